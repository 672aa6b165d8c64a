package io.github.dockerpulls.hub.internal;

import com.squareup.moshi.Json;
import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import com.squareup.moshi.Moshi;
import io.github.dockerpulls.hub.RepositoryStats;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The JSON shapes of Docker Hub's answers and how they become the library's records. */
public final class HubJson {
  /** A listing page: {@code {"count", "next", "previous", "results"}}. */
  public record Page(Long count, String next, List<Repository> results) {}

  /** A repository as a listing or a single-repository answer gives it. Unknown fields ignored. */
  public record Repository(
      String name,
      String namespace,
      @Json(name = "pull_count") Raw pullCount,
      @Json(name = "star_count") Raw starCount,
      @Json(name = "last_updated") Raw lastUpdated,
      @Json(name = "collaborator_count") Raw collaboratorCount) {}

  /**
   * A repository's count (or time) as the Hub wrote it: read without failing, so that a bad one is
   * reported with the repository's name and the field's, not as a position in the document.
   *
   * @param value the exact value, or null when {@code text} is not a whole number (always for a
   *     time)
   * @param text what the document held, for the message
   */
  public record Raw(Long value, String text) {}

  /** Both error shapes: {@code {"message","errinfo"}} and {@code {"detail"}}. */
  public record Error(String message, String detail) {}

  /** {@code POST /v2/auth/token}. */
  public record HubToken(@Json(name = "access_token") String accessToken) {}

  /** {@code auth.docker.io/token}. */
  public record RegistryToken(String token, @Json(name = "access_token") String accessToken) {}

  /** {@code POST /v2/auth/token} request body. */
  public record TokenRequest(String identifier, String secret) {}

  /** JWT claims the client reads: only the expiry. */
  public record JwtClaims(Long exp) {}

  static final Moshi MOSHI =
      new Moshi.Builder()
          .add(Long.class, new ExactLongAdapter().nullSafe())
          .add(Raw.class, new RawAdapter().nullSafe())
          .build();

  static final JsonAdapter<Page> PAGE = MOSHI.adapter(Page.class);
  static final JsonAdapter<Repository> REPOSITORY = MOSHI.adapter(Repository.class);
  static final JsonAdapter<Error> ERROR = MOSHI.adapter(Error.class);
  static final JsonAdapter<HubToken> HUB_TOKEN = MOSHI.adapter(HubToken.class);
  static final JsonAdapter<RegistryToken> REGISTRY_TOKEN = MOSHI.adapter(RegistryToken.class);
  static final JsonAdapter<TokenRequest> TOKEN_REQUEST = MOSHI.adapter(TokenRequest.class);
  static final JsonAdapter<JwtClaims> JWT_CLAIMS = MOSHI.adapter(JwtClaims.class);

  private HubJson() {}

  /**
   * The record for one repository entry.
   *
   * @throws JsonDataException when a required field (name, namespace, pull_count) is missing or a
   *     count is not a whole number; the message names the repository and the field
   */
  static RepositoryStats toStats(Repository r) {
    if (r == null) {
      throw new JsonDataException("a repository entry is null");
    }
    String who =
        r.namespace() != null && r.name() != null
            ? r.namespace() + "/" + r.name()
            : r.name() != null ? "the repository '" + r.name() + "'" : "a repository entry";
    if (r.name() == null || r.namespace() == null) {
      throw new JsonDataException(who + " has no " + (r.name() == null ? "name" : "namespace"));
    }
    if (r.pullCount() == null) {
      throw new JsonDataException(who + " has no pull_count");
    }
    return new RepositoryStats(
        r.namespace(),
        r.name(),
        exact(r.pullCount(), "pull_count", who),
        optional(r.starCount(), "star_count", who),
        time(r.lastUpdated(), "last_updated", who),
        optional(r.collaboratorCount(), "collaborator_count", who));
  }

  private static long exact(Raw count, String field, String who) {
    if (count.value() == null) {
      throw new JsonDataException(
          who + ": " + field + " is not a whole number: " + HubHttp.oneLine(count.text(), 40));
    }
    return count.value();
  }

  private static OptionalLong optional(Raw count, String field, String who) {
    return count == null ? OptionalLong.empty() : OptionalLong.of(exact(count, field, who));
  }

  /** Times with 0 to 9 fraction digits, {@code Z} or an offset; empty when absent or blank. */
  private static Optional<Instant> time(Raw time, String field, String who) {
    if (time == null || time.text().isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(time.text().strip()).toInstant());
    } catch (DateTimeParseException e) {
      throw new JsonDataException(
          who + ": " + field + " is not an ISO-8601 time: " + HubHttp.oneLine(time.text(), 40));
    }
  }

  /** A whole number from its text, or null when it is not one. */
  private static Long exactOrNull(String text) {
    try {
      return new BigDecimal(text.strip()).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  /** Reads the message of an error body in either shape; empty when there is none. */
  static String errorMessage(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    try {
      Error e = ERROR.fromJson(body);
      if (e == null) {
        return "";
      }
      String text = e.message() != null ? e.message() : e.detail();
      return text == null ? "" : text;
    } catch (IOException | RuntimeException notJson) {
      return "";
    }
  }

  /**
   * Counts are exact 64-bit integers, whatever form they arrive in: {@code 159}, {@code
   * 2244658322}, {@code 2.244658322e+09} or {@code "159"}. A count with a fraction is an error,
   * never rounded.
   */
  static final class ExactLongAdapter extends JsonAdapter<Long> {
    @Override
    public Long fromJson(JsonReader reader) throws IOException {
      String path = reader.getPath();
      String text = scalar(reader);
      Long value = exactOrNull(text);
      if (value == null) {
        throw new JsonDataException(
            field(path) + " is not a whole number: " + HubHttp.oneLine(text, 40));
      }
      return value;
    }

    @Override
    public void toJson(JsonWriter writer, Long value) throws IOException {
      writer.value(value);
    }
  }

  /** A {@link Raw}: never fails on a value, only on a broken document. */
  static final class RawAdapter extends JsonAdapter<Raw> {
    @Override
    public Raw fromJson(JsonReader reader) throws IOException {
      String text = scalar(reader);
      return new Raw(exactOrNull(text), text);
    }

    @Override
    public void toJson(JsonWriter writer, Raw value) throws IOException {
      writer.value(value.value());
    }
  }

  /** A number or string as text; any other value (true, an object) as its JSON-like text. */
  private static String scalar(JsonReader reader) throws IOException {
    JsonReader.Token token = reader.peek();
    if (token == JsonReader.Token.NUMBER || token == JsonReader.Token.STRING) {
      return reader.nextString();
    }
    return String.valueOf(reader.readJsonValue());
  }

  /** The last name of a JSON path ({@code $.results[3].pull_count} gives {@code pull_count}). */
  private static String field(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? path : path.substring(dot + 1);
  }
}
