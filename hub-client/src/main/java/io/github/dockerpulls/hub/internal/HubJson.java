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
      @Json(name = "collaborator_count") Raw collaboratorCount,
      String description) {}

  /**
   * A repository's count (or time) as the Hub wrote it: read without failing, so that a bad one is
   * reported with the repository's name and the field's, not as a position in the document.
   *
   * @param value the exact value, or null when {@code text} is not a whole number (always for a
   *     time)
   * @param text what the document held, for the message
   */
  public record Raw(Long value, String text) {}

  /** A tags listing page: {@code {"count", "next", "previous", "results"}}. */
  public record TagPage(Long count, String next, List<TagEntry> results) {}

  /** A tag as the tags listing gives it. Unknown fields ignored. */
  public record TagEntry(
      String name,
      String digest,
      @Json(name = "full_size") Raw fullSize,
      @Json(name = "tag_last_pushed") Raw lastPushed,
      @Json(name = "tag_last_pulled") Raw lastPulled,
      @Json(name = "tag_status") String status,
      List<ImageEntry> images) {}

  /** One platform's image of a tag. */
  public record ImageEntry(
      String architecture, String os, Raw size, @Json(name = "last_pulled") Raw lastPulled) {}

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

  /** DVP Data API {@code GET /}. */
  public record AnalyticsRoot(List<String> namespaces) {}

  /** DVP Data API {@code GET /namespaces/{ns}}. */
  public record AnalyticsNamespace(
      String namespace, List<String> extraRepos, List<AnalyticsDataset> datasets) {}

  /** A data set a namespace offers. */
  public record AnalyticsDataset(String name, List<String> views, List<String> timespans) {}

  /** DVP Data API pulls: {@code {"pulls": [...]}}. */
  public record AnalyticsPulls(List<AnalyticsPull> pulls) {}

  /** One period's pulls of a repository. */
  public record AnalyticsPull(
      String start,
      String end,
      String repo,
      String namespace,
      Long pullCount,
      Long ipCount,
      String country) {}

  /** {@code {"years": [{"year": 2026}]}}. */
  public record ExportYears(List<ExportNumber> years) {}

  /** {@code {"weeks": [{"week": 48}]}} or {@code {"months": [{"month": 11}]}}. */
  public record ExportPeriods(List<ExportNumber> weeks, List<ExportNumber> months) {}

  /** One of the numbers above. */
  public record ExportNumber(Integer year, Integer week, Integer month) {}

  /** {@code {"data": [{"url", "size"}]}}. */
  public record ExportData(List<ExportLink> data) {}

  /** A link to an exported file. */
  public record ExportLink(String url, Long size) {}

  static final Moshi MOSHI =
      new Moshi.Builder()
          .add(Long.class, new ExactLongAdapter().nullSafe())
          .add(Raw.class, new RawAdapter().nullSafe())
          .build();

  static final JsonAdapter<Page> PAGE = lazy(Page.class);
  static final JsonAdapter<Repository> REPOSITORY = lazy(Repository.class);
  static final JsonAdapter<TagPage> TAG_PAGE = lazy(TagPage.class);
  static final JsonAdapter<AnalyticsRoot> ANALYTICS_ROOT = lazy(AnalyticsRoot.class);
  static final JsonAdapter<AnalyticsNamespace> ANALYTICS_NAMESPACE = lazy(AnalyticsNamespace.class);
  static final JsonAdapter<AnalyticsPulls> ANALYTICS_PULLS = lazy(AnalyticsPulls.class);
  static final JsonAdapter<ExportYears> EXPORT_YEARS = lazy(ExportYears.class);
  static final JsonAdapter<ExportPeriods> EXPORT_PERIODS = lazy(ExportPeriods.class);
  static final JsonAdapter<ExportData> EXPORT_DATA = lazy(ExportData.class);
  static final JsonAdapter<Error> ERROR = lazy(Error.class);
  static final JsonAdapter<HubToken> HUB_TOKEN = lazy(HubToken.class);
  static final JsonAdapter<RegistryToken> REGISTRY_TOKEN = lazy(RegistryToken.class);
  static final JsonAdapter<TokenRequest> TOKEN_REQUEST = lazy(TokenRequest.class);
  static final JsonAdapter<JwtClaims> JWT_CLAIMS = lazy(JwtClaims.class);

  private HubJson() {}

  /**
   * An adapter made on its first use: making one reads the record's components by reflection, and a
   * short command that answers one repository needs one of these, not fourteen.
   */
  private static <T> JsonAdapter<T> lazy(Class<T> type) {
    return new JsonAdapter<T>() {
      private volatile JsonAdapter<T> made;

      private JsonAdapter<T> made() {
        JsonAdapter<T> adapter = made;
        if (adapter == null) {
          adapter = MOSHI.adapter(type); // Moshi keeps what it made: a race makes it once
          made = adapter;
        }
        return adapter;
      }

      @Override
      public T fromJson(JsonReader reader) throws IOException {
        return made().fromJson(reader);
      }

      @Override
      public void toJson(JsonWriter writer, T value) throws IOException {
        made().toJson(writer, value);
      }

      @Override
      public String toString() {
        return "JsonAdapter(" + type.getSimpleName() + ")";
      }
    };
  }

  /**
   * An entry that has every required field, one of whose values is not what it must be (a count
   * that is negative, not whole or beyond 10^15, a time that is not one): that entry is left out of
   * a listing, where a missing field fails the page.
   */
  static final class InvalidFigure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidFigure(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The record for one repository entry.
   *
   * @throws JsonDataException when a required field (name, namespace, pull_count) is missing
   * @throws InvalidFigure when a count is not a count or a time is not a time; the message names
   *     the repository and the field
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
        optional(r.collaboratorCount(), "collaborator_count", who),
        description(r.description()));
  }

  /** A description on one line, bounded; empty when the Hub gives none or a blank one. */
  static java.util.Optional<String> description(String text) {
    if (text == null || text.isBlank()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        HubHttp.oneLine(text, io.github.dockerpulls.hub.RepositoryStats.MAX_DESCRIPTION));
  }

  /**
   * The record for one tag entry.
   *
   * @throws JsonDataException when the entry has no name
   * @throws InvalidFigure when a size is not a count or a time is not a time
   */
  static io.github.dockerpulls.hub.Tag toTag(TagEntry t, String repository) {
    if (t == null || t.name() == null) {
      throw new JsonDataException("a tag of " + repository + " has no name");
    }
    String who = repository + ":" + t.name();
    List<io.github.dockerpulls.hub.Tag.Image> images = new java.util.ArrayList<>();
    if (t.images() != null) {
      for (ImageEntry i : t.images()) {
        if (i != null) {
          images.add(
              new io.github.dockerpulls.hub.Tag.Image(
                  Optional.ofNullable(i.architecture()),
                  Optional.ofNullable(i.os()),
                  optional(i.size(), "size", who),
                  time(i.lastPulled(), "last_pulled", who)));
        }
      }
    }
    return new io.github.dockerpulls.hub.Tag(
        t.name(),
        Optional.ofNullable(t.digest()),
        optional(t.fullSize(), "full_size", who),
        time(t.lastPushed(), "tag_last_pushed", who),
        time(t.lastPulled(), "tag_last_pulled", who),
        Optional.ofNullable(t.status()),
        images);
  }

  private static long exact(Raw count, String field, String who) {
    if (count.value() == null) {
      throw new InvalidFigure(
          who + ": " + field + " is not a whole number: " + HubHttp.oneLine(count.text(), 40));
    }
    if (!RepositoryStats.isCount(count.value())) {
      throw new InvalidFigure(
          who + ": " + field + " " + count.value() + " is not a count (0 to 10^15)");
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
      return Optional.of(instant(time.text().strip()));
    } catch (DateTimeParseException e) {
      throw new InvalidFigure(
          who + ": " + field + " is not an ISO-8601 time: " + HubHttp.oneLine(time.text(), 40));
    }
  }

  /**
   * An ISO-8601 time with an offset. The Hub's own form, {@code 2026-01-02T03:04:05.123456Z}, is
   * read by hand (a listing of 5,000 repositories has 5,000 of them, and the formatter is slow in a
   * new process); anything else, or anything odd in that form, goes to {@link OffsetDateTime}.
   */
  static Instant instant(String t) {
    int n = t.length();
    if (n >= 20
        && n <= 30
        && t.charAt(n - 1) == 'Z'
        && t.charAt(4) == '-'
        && t.charAt(7) == '-'
        && t.charAt(10) == 'T'
        && t.charAt(13) == ':'
        && t.charAt(16) == ':'
        && (n == 20 || t.charAt(19) == '.' && n > 21)) {
      int year = number(t, 0, 4);
      int month = number(t, 5, 7);
      int day = number(t, 8, 10);
      int hour = number(t, 11, 13);
      int minute = number(t, 14, 16);
      int second = number(t, 17, 19);
      int nanos = 0;
      if (n > 20) {
        int fraction = number(t, 20, n - 1);
        nanos = fraction < 0 ? -1 : fraction * SCALE[n - 21];
      }
      if (year >= 0
          && month >= 0
          && day >= 0
          && hour >= 0
          && minute >= 0
          && second >= 0
          && nanos >= 0) {
        try {
          return java.time.LocalDateTime.of(year, month, day, hour, minute, second, nanos)
              .toInstant(java.time.ZoneOffset.UTC);
        } catch (java.time.DateTimeException invalid) {
          // February 30th, hour 24: the formatter says what is wrong
        }
      }
    }
    return OffsetDateTime.parse(t).toInstant();
  }

  /** Nanoseconds per unit of a fraction of 1 to 9 digits. */
  private static final int[] SCALE = {
    0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
  };

  /** The ASCII digits {@code t[from, to)} as a number, or -1 when one of them is not a digit. */
  private static int number(String t, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /**
   * A whole number from its text, or null when it is not one. Plain integers, the Hub's usual form,
   * take the short way; only text made of a number's characters goes to {@link BigDecimal};
   * anything else (every {@code last_updated} goes through here) is refused without an exception,
   * since 5,000 thrown and caught exceptions cost a new process a tenth of a second.
   */
  static Long exactOrNull(String text) {
    String t = text.strip();
    int start = t.startsWith("-") ? 1 : 0;
    if (t.length() > start && t.length() <= 18 && digitsOnly(t, start)) {
      return Long.parseLong(t);
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!(c >= '0' && c <= '9') && c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E') {
        return null;
      }
    }
    try {
      return new BigDecimal(t).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  private static boolean digitsOnly(String t, int from) {
    for (int i = from; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
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
