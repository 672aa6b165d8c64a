package io.github.dockerpulls.cli;

import com.squareup.moshi.JsonWriter;
import io.github.dockerpulls.exporter.metrics.HubRequestMetrics;
import io.github.dockerpulls.exporter.metrics.PrometheusText;
import io.github.dockerpulls.history.RecentPulls;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.TargetResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okio.Buffer;

/** How {@code export} writes a snapshot. Every format ends each line with a newline. */
public enum Format {
  /** Aligned columns with thousands separators and readable dates, for people. */
  TABLE {
    @Override
    String render(Input in) {
      boolean recent = in.anyRecentKnown();
      List<String[]> rows = new ArrayList<>();
      rows.add(
          recent
              ? new String[] {"REPOSITORY", "PULLS", "24H", "7D", "30D", "STARS", "LAST UPDATED"}
              : new String[] {"REPOSITORY", "PULLS", "STARS", "LAST UPDATED"});
      long total = 0;
      for (RepositoryStats r : in.repositories()) {
        total += r.pullCount();
        List<String> row = new ArrayList<>(7);
        row.add(r.fullName());
        row.add(thousands(r.pullCount()));
        if (recent) {
          for (Long pulls : in.recentOf(r)) {
            row.add(pulls == null ? "-" : thousands(pulls));
          }
        }
        row.add(r.starCount().isPresent() ? thousands(r.starCount().getAsLong()) : "-");
        row.add(r.lastUpdated().map(Format::humanTime).orElse("-"));
        rows.add(row.toArray(String[]::new));
      }
      int columns = rows.get(0).length;
      int[] widths = new int[columns];
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      }
      StringBuilder b = new StringBuilder(rows.size() * 72);
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder(pad(row[0], widths[0], false));
        for (int i = 1; i < columns - 1; i++) {
          line.append("  ").append(pad(row[i], widths[i], true));
        }
        line.append("  ").append(row[columns - 1]);
        b.append(line.toString().stripTrailing()).append('\n');
      }
      int n = in.repositories().size();
      b.append('\n')
          .append(n)
          .append(n == 1 ? " repository, " : " repositories, ")
          .append(thousands(total))
          .append(" pulls, observed ")
          .append(in.snapshot().observedAt().truncatedTo(ChronoUnit.SECONDS))
          .append('\n');
      if (in.recent() != null && !recent) {
        // A fresh history: say since when it collects, and how to bring in what came before.
        java.time.Instant from =
            in.repositories().stream()
                .map(in::coveredFrom)
                .filter(java.util.Objects::nonNull)
                .min(java.util.Comparator.naturalOrder())
                .orElse(in.snapshot().observedAt());
        b.append("History from ")
            .append(humanTime(from))
            .append("; the last day's, week's and month's pulls show from the next export on")
            .append(" (earlier counts: dockerpulls import)\n");
      }
      return b.toString();
    }
  },

  /** One JSON document: the observation time, the repositories and each target's outcome. */
  JSON {
    @Override
    String render(Input in) throws IOException {
      Snapshot snapshot = in.snapshot();
      Buffer buffer = new Buffer();
      try (JsonWriter json = JsonWriter.of(buffer)) {
        json.setIndent("  ");
        json.beginObject();
        json.name("observed_at").value(snapshot.observedAt().toString());
        json.name("repositories").beginArray();
        for (RepositoryStats r : in.repositories()) {
          json.beginObject();
          writeRepository(json, r);
          writeRecent(json, in, r);
          json.endObject();
        }
        json.endArray();
        json.name("targets").beginArray();
        for (TargetResult t : snapshot.targets()) {
          json.beginObject();
          json.name("target").value(t.target().id());
          json.name("type")
              .value(t.target() instanceof Target.Organization ? "organization" : "repository");
          json.name("ok").value(t.ok());
          if (t.ok()) {
            json.name("repository_count").value(t.repositories().size());
          } else {
            HubException e = t.error().orElseThrow();
            json.name("error").beginObject();
            json.name("kind").value(errorKind(e));
            json.name("message").value(e.getMessage());
            if (e.retryTime().isPresent()) {
              json.name("retry_at").value(e.retryTime().get().toString());
            }
            json.endObject();
          }
          json.endObject();
        }
        json.endArray();
        json.endObject();
      }
      return buffer.readUtf8() + "\n";
    }
  },

  /**
   * One compact JSON object per repository and line, each with the observation time: for {@code
   * jq}, log shippers and appending to a file run after run.
   */
  NDJSON {
    @Override
    String render(Input in) throws IOException {
      String observedAt = in.snapshot().observedAt().toString();
      StringBuilder b = new StringBuilder(in.repositories().size() * 160);
      for (RepositoryStats r : in.repositories()) {
        Buffer buffer = new Buffer();
        try (JsonWriter json = JsonWriter.of(buffer)) {
          json.beginObject();
          json.name("observed_at").value(observedAt);
          writeRepository(json, r);
          writeRecent(json, in, r);
          json.endObject();
        }
        b.append(buffer.readUtf8()).append('\n');
      }
      return b.toString();
    }
  },

  /** A header and one row per repository, quoted as RFC 4180 says, lines ending in CRLF. */
  CSV {
    @Override
    String render(Input in) {
      String observedAt = in.snapshot().observedAt().toString();
      StringBuilder b = new StringBuilder(in.repositories().size() * 100);
      b.append("namespace,name,pull_count,star_count,last_updated,observed_at");
      b.append(in.anyRecentKnown() ? ",pulls_24h,pulls_7d,pulls_30d\r\n" : "\r\n");
      for (RepositoryStats r : in.repositories()) {
        b.append(csvField(r.namespace()))
            .append(',')
            .append(csvField(r.name()))
            .append(',')
            .append(r.pullCount())
            .append(',')
            .append(r.starCount().isPresent() ? Long.toString(r.starCount().getAsLong()) : "")
            .append(',')
            .append(r.lastUpdated().map(Object::toString).orElse(""))
            .append(',')
            .append(observedAt);
        if (in.anyRecentKnown()) {
          for (Long pulls : in.recentOf(r)) {
            b.append(',').append(pulls == null ? "" : Long.toString(pulls));
          }
        }
        b.append("\r\n");
      }
      return b.toString();
    }
  },

  /**
   * The Prometheus text format, exactly what {@code serve} exposes after one refresh: for
   * node_exporter's textfile collector or a push to a gateway. The order of families and series is
   * the exporter's; {@code --sort} does not apply.
   */
  PROMETHEUS {
    @Override
    String render(Input in) throws IOException {
      return new String(
          PrometheusText.of(in.snapshot(), in.legacyMetric(), in.requests()),
          StandardCharsets.UTF_8);
    }
  };

  /**
   * What a format writes.
   *
   * @param repositories the snapshot's repositories in the order asked for
   * @param legacyMetric for {@link #PROMETHEUS}: include {@code docker_image_pulls}
   * @param requests for {@link #PROMETHEUS}: the requests the export sent
   * @param recent the pulls of the last 24 hours, 7 days and 30 days per repository (null values
   *     where the history covers none of the window) and since when the history covers it; null
   *     when there is no history to tell them
   */
  record Input(
      Snapshot snapshot,
      List<RepositoryStats> repositories,
      boolean legacyMetric,
      HubRequestMetrics requests,
      Map<String, RecentPulls> recent) {

    Input(
        Snapshot snapshot,
        List<RepositoryStats> repositories,
        boolean legacyMetric,
        HubRequestMetrics requests) {
      this(snapshot, repositories, legacyMetric, requests, null);
    }

    /** The three recent figures of {@code r}, nulls where unknown. */
    Long[] recentOf(RepositoryStats r) {
      RecentPulls values = recent.get(r.fullName());
      return values != null ? values.pulls().toArray(Long[]::new) : new Long[RECENT_WINDOWS.size()];
    }

    /** Whether the history knows any of the recent figures: the table shows them then. */
    boolean anyRecentKnown() {
      return recent != null && recent.values().stream().anyMatch(RecentPulls::anyKnown);
    }

    /** Since when the history covers {@code r}, or null. */
    java.time.Instant coveredFrom(RepositoryStats r) {
      RecentPulls values = recent == null ? null : recent.get(r.fullName());
      return values == null ? null : values.coveredFrom();
    }
  }

  /** The windows of {@link Input#recent()}: the last 24 hours, 7 days and 30 days. */
  static final List<java.time.Duration> RECENT_WINDOWS =
      List.of(
          java.time.Duration.ofHours(24),
          java.time.Duration.ofDays(7),
          java.time.Duration.ofDays(30));

  private static final String[] RECENT_FIELDS = {"pulls_24h", "pulls_7d", "pulls_30d"};

  /**
   * Since when the history covers the repository and its recent pulls' fields, null where unknown,
   * when the export has a history.
   */
  static void writeRecent(JsonWriter json, Input in, RepositoryStats r) throws IOException {
    if (in.recent() == null) {
      return;
    }
    java.time.Instant from = in.coveredFrom(r);
    json.name("covered_from");
    if (from == null) {
      boolean nulls = json.getSerializeNulls();
      json.setSerializeNulls(true);
      json.nullValue();
      json.setSerializeNulls(nulls);
    } else {
      json.value(from.toString());
    }
    Long[] values = in.recentOf(r);
    for (int i = 0; i < RECENT_FIELDS.length; i++) {
      json.name(RECENT_FIELDS[i]);
      if (values[i] == null) {
        boolean nulls = json.getSerializeNulls();
        json.setSerializeNulls(true);
        json.nullValue();
        json.setSerializeNulls(nulls);
      } else {
        json.value(values[i].longValue());
      }
    }
  }

  static final DateTimeFormatter HUMAN_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  abstract String render(Input in) throws IOException;

  /** The repository's fields, into an object the caller has begun. */
  static void writeRepository(JsonWriter json, RepositoryStats r) throws IOException {
    json.name("namespace").value(r.namespace());
    json.name("name").value(r.name());
    json.name("pull_count").value(r.pullCount());
    if (r.starCount().isPresent()) {
      json.name("star_count").value(r.starCount().getAsLong());
    }
    if (r.lastUpdated().isPresent()) {
      json.name("last_updated").value(r.lastUpdated().get().toString());
    }
    if (r.collaboratorCount().isPresent()) {
      json.name("collaborator_count").value(r.collaboratorCount().getAsLong());
    }
  }

  /** {@code not_found}, {@code rate_limited}, ...: the error's class in snake case. */
  static String errorKind(HubException e) {
    return e.getClass()
        .getSimpleName()
        .replaceAll("([a-z])([A-Z])", "$1_$2")
        .toLowerCase(Locale.ROOT);
  }

  /**
   * {@code n} with a comma between groups of three digits, as {@code %,d} in the root locale writes
   * it. By hand: a table of 5,000 repositories formats 10,000 numbers, and {@code String.format}
   * took a tenth of a second of a new process's time for them.
   */
  static String thousands(long n) {
    String digits = Long.toString(n);
    int sign = n < 0 ? 1 : 0;
    int count = digits.length() - sign;
    if (count <= 3) {
      return digits;
    }
    StringBuilder b = new StringBuilder(digits.length() + (count - 1) / 3);
    b.append(digits, 0, sign);
    int first = count % 3 == 0 ? 3 : count % 3;
    b.append(digits, sign, sign + first);
    for (int i = sign + first; i < digits.length(); i += 3) {
      b.append(',').append(digits, i, i + 3);
    }
    return b.toString();
  }

  /** {@code yyyy-MM-dd HH:mm UTC}, as {@link #HUMAN_TIME} writes it, without its formatter. */
  static String humanTime(java.time.Instant t) {
    java.time.LocalDateTime d = java.time.LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    if (d.getYear() < 1000 || d.getYear() > 9999) {
      return HUMAN_TIME.format(t);
    }
    char[] c = "0000-00-00 00:00 UTC".toCharArray();
    digits(c, 0, d.getYear(), 4);
    digits(c, 5, d.getMonthValue(), 2);
    digits(c, 8, d.getDayOfMonth(), 2);
    digits(c, 11, d.getHour(), 2);
    digits(c, 14, d.getMinute(), 2);
    return new String(c);
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
  static String csvField(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  private static String pad(String s, int width, boolean right) {
    String spaces = " ".repeat(Math.max(0, width - s.length()));
    return right ? spaces + s : s + spaces;
  }

  /** The name users type: {@code table}, {@code json}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
