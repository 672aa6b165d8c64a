package io.github.dockerpulls.hub.internal;

import com.squareup.moshi.FromJson;
import com.squareup.moshi.Json;
import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.ToJson;
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
      @Json(name = "pull_count") Long pullCount,
      @Json(name = "star_count") Long starCount,
      @Json(name = "last_updated") Instant lastUpdated,
      @Json(name = "collaborator_count") Long collaboratorCount) {}

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
      new Moshi.Builder().add(new ExactLongAdapter()).add(new InstantAdapter()).build();

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
   * @throws JsonDataException when a required field (name, namespace, pull_count) is missing
   */
  static RepositoryStats toStats(Repository r) {
    if (r == null || r.name() == null || r.namespace() == null || r.pullCount() == null) {
      throw new JsonDataException("a repository entry lacks name, namespace or pull_count");
    }
    return new RepositoryStats(
        r.namespace(),
        r.name(),
        r.pullCount(),
        optional(r.starCount()),
        Optional.ofNullable(r.lastUpdated()),
        optional(r.collaboratorCount()));
  }

  private static OptionalLong optional(Long value) {
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
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
  static final class ExactLongAdapter {
    @FromJson
    Long fromJson(JsonReader reader) throws IOException {
      if (reader.peek() == JsonReader.Token.NULL) {
        return reader.nextNull();
      }
      String text = reader.nextString();
      try {
        return new BigDecimal(text.strip()).longValueExact();
      } catch (NumberFormatException | ArithmeticException e) {
        throw new JsonDataException("not a whole number: " + text + " at " + reader.getPath());
      }
    }

    @ToJson
    void toJson(JsonWriter writer, Long value) throws IOException {
      writer.value(value);
    }
  }

  /** Times with 0 to 9 fraction digits, {@code Z} or an offset. */
  static final class InstantAdapter {
    @FromJson
    Instant fromJson(JsonReader reader) throws IOException {
      if (reader.peek() == JsonReader.Token.NULL) {
        return reader.nextNull();
      }
      String text = reader.nextString();
      if (text.isBlank()) {
        return null;
      }
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        throw new JsonDataException("not an ISO-8601 time: " + text + " at " + reader.getPath());
      }
    }

    @ToJson
    void toJson(JsonWriter writer, Instant value) throws IOException {
      writer.value(value == null ? null : value.toString());
    }
  }
}
