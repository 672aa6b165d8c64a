package io.github.dockerpulls.cli;

import io.github.dockerpulls.exporter.web.StaticReport;
import io.github.dockerpulls.history.Granularity;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryJson;
import io.github.dockerpulls.history.HistoryReport;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Insights;
import io.github.dockerpulls.history.Period;
import io.github.dockerpulls.history.ReportQuery;
import io.github.dockerpulls.history.ReportWriter;
import io.github.dockerpulls.history.RepositoryHistory;
import io.github.dockerpulls.history.Since;
import io.github.dockerpulls.hub.DockerHub;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.text.CompactNumbers;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How {@code report} writes what the history answered, as {@link Format} is for {@code export}: a
 * table for people, the JSON that {@code /api/v1/history} answers too, CSV with a row per
 * repository and period, and the dashboard as one self-contained HTML file.
 */
enum ReportFormat {
  table {
    @Override
    ReportWriter writer(Input in, Writer out) {
      return new TableWriter(out, in.tags() != null);
    }
  },
  json {
    @Override
    ReportWriter writer(Input in, Writer out) {
      return HistoryJson.writer(out, true);
    }
  },
  csv {
    @Override
    ReportWriter writer(Input in, Writer out) {
      return in.tags() != null ? new TagsCsvWriter(out) : new CsvWriter(out);
    }
  },
  openmetrics {
    @Override
    ReportWriter writer(Input in, Writer out) {
      return null;
    }

    /** The observations themselves, timestamped: a backfill for promtool. */
    @Override
    long write(Input in, Writer out) throws HistoryException, IOException {
      ReportQuery q = in.query();
      return in.store().openMetrics(q.targets(), q.since(), q.until(), in.legacyMetric(), out);
    }
  },
  html {
    @Override
    ReportWriter writer(Input in, Writer out) {
      return null;
    }

    @Override
    long write(Input in, Writer out) throws HistoryException, IOException {
      ReportQuery q = in.query();
      String page = html(in.store(), q.targets(), q.until(), q.zone(), in.since());
      out.write(page);
      return in.store().latest(q.targets()).size();
    }
  };

  /**
   * What a format writes.
   *
   * @param store the history
   * @param query the question asked
   * @param order the repositories' full names in the order asked for, or null for name order
   * @param since {@code --since} as written, which names the HTML report's first window
   * @param tags null without Insights; else the glob of the tags to show ({@code *} for all)
   * @param legacyMetric with openmetrics, the Flask exporter's gauge too
   */
  record Input(
      HistoryStore store,
      ReportQuery query,
      List<String> order,
      String since,
      String tags,
      boolean legacyMetric) {}

  /** The writer that turns the history's answer into this format as it comes. */
  abstract ReportWriter writer(Input in, Writer out);

  /**
   * Writes the whole answer to {@code out} as the history computes it; every line ends with a
   * newline. Returns how many repositories it held.
   *
   * @throws ReportQuery.TooLarge before anything is written, when the answer would be too large
   */
  long write(Input in, Writer out) throws HistoryException, IOException {
    long[] repositories = {0};
    ReportWriter format = writer(in, out);
    in.store().stream(
        in.query(),
        in.order(),
        in.tags(),
        new ReportWriter() {
          @Override
          public void begin(Instant since, Instant until, Granularity by, ZoneId zone)
              throws IOException {
            format.begin(since, until, by, zone);
          }

          @Override
          public void repository(RepositoryHistory r) throws IOException {
            repositories[0]++;
            format.repository(r);
          }

          @Override
          public void end() throws IOException {
            format.end();
          }
        });
    return repositories[0];
  }

  /** The windows of the HTML report, each with its periods' length. */
  private static final Map<String, Granularity> HTML_WINDOWS = new LinkedHashMap<>();

  static {
    HTML_WINDOWS.put("7d", Granularity.DAY);
    HTML_WINDOWS.put("30d", Granularity.DAY);
    HTML_WINDOWS.put("90d", Granularity.DAY);
    HTML_WINDOWS.put("1y", Granularity.WEEK);
  }

  /**
   * The dashboard as one self-contained file: the last 7, 30 and 90 days by day and the last year
   * by week, starting at the window {@code --since} names when it is one of them.
   */
  private static String html(
      HistoryStore store, List<Target> list, Instant until, ZoneId zone, String since)
      throws HistoryException {
    Map<String, HistoryReport> windows = new LinkedHashMap<>();
    for (Map.Entry<String, Granularity> w : HTML_WINDOWS.entrySet()) {
      windows.put(
          w.getKey(),
          store.report(list, Since.parse(w.getKey(), until, zone), until, w.getValue(), zone));
    }
    String first = HTML_WINDOWS.containsKey(since.strip()) ? since.strip() : "30d";
    return StaticReport.render(
        DockerHub.version(), until, list, store.latest(list), windows, first);
  }

  private static final int NAME_WIDTH = 26;
  private static final int TREND_WIDTH = 18;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  /**
   * At most 80 columns: name, total, pulls in the window, per day, change, and a sparkline; then
   * one row per namespace with their sums.
   */
  private static final class TableWriter implements ReportWriter {
    private final Writer out;
    private final Map<String, NamespaceSum> byNamespace = new LinkedHashMap<>();
    private Instant since;
    private Instant until;
    private ZoneId zone;
    private double days;

    /** The earliest time the history covers any repository written. */
    private Instant earliest;

    private final boolean tags;

    TableWriter(Writer out, boolean tags) {
      this.out = out;
      this.tags = tags;
    }

    @Override
    public void begin(Instant since, Instant until, Granularity by, ZoneId zone)
        throws IOException {
      this.since = since;
      this.until = until;
      this.zone = zone;
      this.days = Duration.between(since, until).toSeconds() / 86400.0;
      StringBuilder b = new StringBuilder();
      b.append("Pulls per ")
          .append(by)
          .append(", ")
          .append(DAY.format(since.atZone(zone)))
          .append(" to ")
          .append(DAY.format(until.atZone(zone)))
          .append(' ')
          .append(zone.getId())
          .append('\n');
      b.append(
              String.format(
                  Locale.ROOT,
                  "%-" + NAME_WIDTH + "s  %7s  %7s  %6s  %6s  %s",
                  "REPOSITORY",
                  "TOTAL",
                  "PULLS",
                  "/DAY",
                  "CHANGE",
                  "TREND"))
          .append('\n');
      if (tags) {
        b.append(
                String.format(
                        Locale.ROOT,
                        "  %-" + (NAME_WIDTH - 2) + "s  %7s  %7s  %6s  %6s  %s",
                        "insights / tag",
                        "SHARE",
                        "PULLS",
                        "DOWNL.",
                        "CHECKS",
                        "TREND")
                    .stripTrailing())
            .append('\n');
      }
      out.write(b.toString());
    }

    @Override
    public void repository(RepositoryHistory r) throws IOException {
      StringBuilder b = new StringBuilder(96);
      row(
          b,
          shorten(r.fullName()),
          r.observedAt() == null ? null : r.pullCount(),
          r.pulls(),
          r.previousPulls(),
          days,
          r.series(),
          until);
      if (tags) {
        insightsRows(b, r.insights(), until);
      }
      out.write(b.toString());
      if (r.observedAt() != null) {
        byNamespace.computeIfAbsent(r.namespace(), k -> new NamespaceSum()).add(r);
      }
      if (r.coveredFrom() != null && (earliest == null || r.coveredFrom().isBefore(earliest))) {
        earliest = r.coveredFrom();
      }
    }

    @Override
    public void end() throws IOException {
      StringBuilder b = new StringBuilder();
      if (!byNamespace.isEmpty()) {
        b.append('\n');
      }
      for (Map.Entry<String, NamespaceSum> e : byNamespace.entrySet()) {
        NamespaceSum n = e.getValue();
        String label =
            e.getKey() + " (" + n.repositories + (n.repositories == 1 ? " repo)" : " repos)");
        row(b, shorten(label), n.total, n.pulls, n.previous, days * n.coverage, n.series(), until);
      }
      if (earliest != null && earliest.isAfter(since)) {
        b.append("\nThe history begins ")
            .append(DAY.format(earliest.atZone(zone)))
            .append(": earlier periods are not known, and /DAY counts covered time only.\n");
      }
      out.write(b.toString());
    }
  }

  /** Tags shown per repository in the table; json and csv have all the history keeps. */
  static final int TABLE_TAGS = 5;

  /**
   * Under a repository's row: its Insights over the window (pulls, of which downloads and version
   * checks) and its top tags, each with its share and a sparkline over the periods Insights hold.
   */
  static void insightsRows(StringBuilder b, Insights insights, Instant until) {
    if (insights == null || insights.series().isEmpty()) {
      b.append("  (no Insights in the window)\n");
      return;
    }
    long pulls = 0;
    Long downloads = null;
    Long checks = null;
    List<Period> total = new ArrayList<>();
    for (Insights.Figures f : insights.series()) {
      pulls += f.pulls();
      downloads = plus(downloads, f.downloads());
      checks = plus(checks, f.versionChecks());
      total.add(new Period(f.start(), f.end(), f.pulls()));
    }
    b.append(
        String.format(
                Locale.ROOT,
                "  %-" + (NAME_WIDTH - 2) + "s  %7s  %7s  %6s  %6s  %s",
                "insights, "
                    + insights.series().size()
                    + (insights.series().size() == 1 ? " period" : " periods"),
                "",
                CompactNumbers.format(pulls),
                downloads == null ? "-" : CompactNumbers.format(downloads),
                checks == null ? "-" : CompactNumbers.format(checks),
                sparkline(total, TREND_WIDTH, until))
            .stripTrailing());
    b.append('\n');
    int shown = 0;
    for (Insights.Tag t : insights.tags()) {
      if (shown++ == TABLE_TAGS) {
        b.append("    ... ")
            .append(insights.tags().size() - TABLE_TAGS)
            .append(" more tags in json and csv\n");
        break;
      }
      List<Period> series = new ArrayList<>(total.size());
      Map<Instant, Long> byStart = new LinkedHashMap<>();
      t.series().forEach(f -> byStart.put(f.start(), f.pulls()));
      for (Period p : total) {
        series.add(new Period(p.start(), p.end(), byStart.get(p.start())));
      }
      String share = pulls == 0 ? "-" : Math.round(100.0 * t.pulls() / pulls) + "%";
      b.append(
              String.format(
                      Locale.ROOT,
                      "    %-" + (NAME_WIDTH - 4) + "s  %7s  %7s  %6s  %6s  %s",
                      shorten(t.tag()),
                      share,
                      CompactNumbers.format(t.pulls()),
                      t.downloads() == null ? "-" : CompactNumbers.format(t.downloads()),
                      t.versionChecks() == null ? "-" : CompactNumbers.format(t.versionChecks()),
                      sparkline(series, TREND_WIDTH, until))
                  .stripTrailing())
          .append('\n');
    }
  }

  /** One namespace's sums: null where none of its repositories' figures is known. */
  private static final class NamespaceSum {
    int repositories;
    double coverage;
    long total;
    Long pulls;
    Long previous;
    List<Period> periods;
    Long[] sums;

    void add(RepositoryHistory r) {
      repositories++;
      coverage = Math.max(coverage, r.coverage());
      total += r.pullCount();
      pulls = plus(pulls, r.pulls());
      previous = plus(previous, r.previousPulls());
      if (periods == null) {
        periods = r.series();
        sums = new Long[periods.size()];
      }
      for (int i = 0; i < sums.length && i < r.series().size(); i++) {
        sums[i] = plus(sums[i], r.series().get(i).pulls());
      }
    }

    List<Period> series() {
      List<Period> series = new ArrayList<>(sums.length);
      for (int i = 0; i < sums.length; i++) {
        series.add(new Period(periods.get(i).start(), periods.get(i).end(), sums[i]));
      }
      return series;
    }
  }

  /** The sum of two figures, either of which may be unknown (null). */
  private static Long plus(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(a + b);
  }

  private static void row(
      StringBuilder b,
      String name,
      Long total,
      Long pulls,
      Long previous,
      double days,
      List<Period> series,
      Instant until) {
    String line =
        String.format(
            Locale.ROOT,
            "%-" + NAME_WIDTH + "s  %7s  %7s  %6s  %6s  %s",
            name,
            total == null ? "-" : CompactNumbers.format(total),
            pulls == null ? "-" : CompactNumbers.format(pulls),
            pulls == null || days <= 0 ? "-" : CompactNumbers.format(Math.round(pulls / days)),
            change(pulls, previous),
            sparkline(series, TREND_WIDTH, until));
    b.append(line.stripTrailing()).append('\n');
  }

  static String change(Long pulls, Long previous) {
    if (pulls == null || previous == null) {
      return "-";
    }
    if (previous == 0) {
      return pulls == 0 ? "0%" : "new";
    }
    long percent = Math.round(((double) pulls / previous - 1) * 100);
    return (percent > 0 ? "+" : "") + percent + "%";
  }

  private static String shorten(String name) {
    return name.length() <= NAME_WIDTH ? name : name.substring(0, NAME_WIDTH - 1) + "…";
  }

  private static final char[] BARS = "▁▂▃▄▅▆▇█".toCharArray();

  /**
   * The series in at most {@code width} characters, each the average of its share of the periods
   * (shares differ by one period when they do not divide evenly, so sums would show a false
   * pattern), scaled from the smallest to the largest as sparklines are, so that a trend shows even
   * when it is small against the total; a flat series is a row of middle bars, and a blank marks
   * where nothing is known.
   */
  static String sparkline(List<Period> series, int width, Instant until) {
    int n = series.size();
    int chars = Math.min(n, width);
    double[] averages = new double[chars];
    boolean[] known = new boolean[chars];
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int c = 0; c < chars; c++) {
      int from = (int) ((long) c * n / chars);
      int to = (int) ((long) (c + 1) * n / chars);
      long sum = 0;
      int count = 0;
      for (int i = from; i < to; i++) {
        Period p = series.get(i);
        if (p.pulls() != null) {
          // The period still running counts at the pace it has so far, not as a low one.
          long length = Duration.between(p.start(), p.end()).toSeconds();
          long elapsed = Duration.between(p.start(), until).toSeconds();
          sum += elapsed > 0 && elapsed < length ? p.pulls() * length / elapsed : p.pulls();
          count++;
        }
      }
      if (count > 0) {
        known[c] = true;
        averages[c] = (double) sum / count;
        min = Math.min(min, averages[c]);
        max = Math.max(max, averages[c]);
      }
    }
    StringBuilder b = new StringBuilder(chars);
    for (int c = 0; c < chars; c++) {
      if (!known[c]) {
        b.append(' ');
      } else if (max - min < 0.5) {
        b.append(BARS[BARS.length / 2 - 1]);
      } else {
        int level = (int) Math.round((averages[c] - min) / (max - min) * (BARS.length - 1));
        b.append(BARS[level]);
      }
    }
    return b.toString();
  }

  /**
   * With {@code --tags}: one row per repository, period and tag of the Insights, the tag empty on
   * the repository's own rows.
   */
  private static final class TagsCsvWriter implements ReportWriter {
    private final Writer out;

    TagsCsvWriter(Writer out) {
      this.out = out;
    }

    @Override
    public void begin(Instant since, Instant until, Granularity by, ZoneId zone)
        throws IOException {
      out.write("namespace,name,tag,start,end,pulls,downloads,version_checks,unique_ips\r\n");
    }

    @Override
    public void repository(RepositoryHistory r) throws IOException {
      if (r.insights() == null) {
        return;
      }
      StringBuilder b = new StringBuilder(256);
      String prefix = Format.csvField(r.namespace()) + ',' + Format.csvField(r.name()) + ',';
      for (Insights.Figures f : r.insights().series()) {
        line(b, prefix, "", f, true);
      }
      for (Insights.Tag t : r.insights().tags()) {
        for (Insights.Figures f : t.series()) {
          line(b, prefix, t.tag(), f, false);
        }
      }
      out.write(b.toString());
    }

    private static void line(
        StringBuilder b, String prefix, String tag, Insights.Figures f, boolean ips) {
      b.append(prefix)
          .append(Format.csvField(tag))
          .append(',')
          .append(f.start())
          .append(',')
          .append(f.end())
          .append(',')
          .append(f.pulls())
          .append(',')
          .append(f.downloads() == null ? "" : f.downloads().toString())
          .append(',')
          .append(f.versionChecks() == null ? "" : f.versionChecks().toString())
          .append(',')
          .append(!ips || f.uniqueIps() == null ? "" : f.uniqueIps().toString())
          .append("\r\n");
    }

    @Override
    public void end() {}
  }

  /** One row per repository and period. */
  private static final class CsvWriter implements ReportWriter {
    private final Writer out;

    CsvWriter(Writer out) {
      this.out = out;
    }

    @Override
    public void begin(Instant since, Instant until, Granularity by, ZoneId zone)
        throws IOException {
      out.write("namespace,name,start,end,pulls,coverage\r\n");
    }

    @Override
    public void repository(RepositoryHistory r) throws IOException {
      StringBuilder b = new StringBuilder(r.series().size() * 80);
      String prefix = Format.csvField(r.namespace()) + ',' + Format.csvField(r.name()) + ',';
      for (Period p : r.series()) {
        b.append(prefix)
            .append(p.start())
            .append(',')
            .append(p.end())
            .append(',')
            .append(p.pulls() == null ? "" : p.pulls().toString())
            .append(',')
            .append(HistoryJson.share(p.coverage()))
            .append("\r\n");
      }
      out.write(b.toString());
    }

    @Override
    public void end() {}
  }
}
