package io.github.dockerpulls.cli;

import io.github.dockerpulls.exporter.web.StaticReport;
import io.github.dockerpulls.history.Granularity;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryJson;
import io.github.dockerpulls.history.HistoryReport;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Period;
import io.github.dockerpulls.history.ReportQuery;
import io.github.dockerpulls.history.RepositoryHistory;
import io.github.dockerpulls.history.Since;
import io.github.dockerpulls.hub.DockerHub;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.text.CompactNumbers;
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
    String render(Input in) {
      return table(in.report(), in.report().repositories());
    }
  },
  json {
    @Override
    String render(Input in) {
      return HistoryJson.render(in.report(), true);
    }
  },
  csv {
    @Override
    String render(Input in) {
      return csv(in.report().repositories());
    }
  },
  html {
    @Override
    String render(Input in) throws HistoryException {
      ReportQuery q = in.query();
      return html(in.store(), q.targets(), q.until(), q.zone(), in.since());
    }
  };

  /**
   * What a format renders.
   *
   * @param store the history, for a format that asks more of it (html)
   * @param query the question asked
   * @param report the answer, its repositories in the order asked for
   * @param since {@code --since} as written, which names the HTML report's first window
   */
  record Input(HistoryStore store, ReportQuery query, HistoryReport report, String since) {}

  /** The whole output; every line ends with a newline. */
  abstract String render(Input in) throws HistoryException;

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

  /** At most 80 columns: name, total, pulls in the window, per day, change, and a sparkline. */
  private static String table(HistoryReport report, List<RepositoryHistory> repositories) {
    StringBuilder b = new StringBuilder();
    double days = Duration.between(report.since(), report.until()).toSeconds() / 86400.0;
    b.append("Pulls per ")
        .append(report.by())
        .append(", ")
        .append(DAY.format(report.since().atZone(report.zone())))
        .append(" to ")
        .append(DAY.format(report.until().atZone(report.zone())))
        .append(' ')
        .append(report.zone().getId())
        .append('\n');
    String header =
        String.format(
            Locale.ROOT,
            "%-" + NAME_WIDTH + "s  %7s  %7s  %6s  %6s  %s",
            "REPOSITORY",
            "TOTAL",
            "PULLS",
            "/DAY",
            "CHANGE",
            "TREND");
    b.append(header).append('\n');
    Map<String, List<RepositoryHistory>> byNamespace = new LinkedHashMap<>();
    for (RepositoryHistory r : repositories) {
      row(
          b,
          shorten(r.fullName()),
          r.pullCount(),
          r.pulls(),
          r.previousPulls(),
          days,
          r.series(),
          report.until());
      byNamespace.computeIfAbsent(r.namespace(), k -> new ArrayList<>()).add(r);
    }
    if (!repositories.isEmpty()) {
      b.append('\n');
    }
    for (Map.Entry<String, List<RepositoryHistory>> e : byNamespace.entrySet()) {
      List<RepositoryHistory> rs = e.getValue();
      long total = rs.stream().mapToLong(RepositoryHistory::pullCount).sum();
      Long pulls = sum(rs.stream().map(RepositoryHistory::pulls).toList());
      Long previous = sum(rs.stream().map(RepositoryHistory::previousPulls).toList());
      List<Period> series = new ArrayList<>();
      for (int i = 0; i < rs.get(0).series().size(); i++) {
        int k = i;
        Period p = rs.get(0).series().get(i);
        series.add(
            new Period(
                p.start(), p.end(), sum(rs.stream().map(r -> r.series().get(k).pulls()).toList())));
      }
      String label = e.getKey() + " (" + rs.size() + (rs.size() == 1 ? " repo)" : " repos)");
      row(b, shorten(label), total, pulls, previous, days, series, report.until());
    }
    return b.toString();
  }

  private static void row(
      StringBuilder b,
      String name,
      long total,
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
            CompactNumbers.format(total),
            pulls == null ? "-" : CompactNumbers.format(pulls),
            pulls == null || days <= 0 ? "-" : CompactNumbers.format(Math.round(pulls / days)),
            change(pulls, previous),
            sparkline(series, TREND_WIDTH, until));
    b.append(line.stripTrailing()).append('\n');
  }

  /** The sum of the known values, or null when none is known. */
  private static Long sum(List<Long> values) {
    Long total = null;
    for (Long v : values) {
      if (v != null) {
        total = total == null ? v : total + v;
      }
    }
    return total;
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

  /** One row per repository and period. */
  private static String csv(List<RepositoryHistory> repositories) {
    StringBuilder b = new StringBuilder("namespace,name,start,end,pulls\r\n");
    for (RepositoryHistory r : repositories) {
      for (Period p : r.series()) {
        b.append(Format.csvField(r.namespace()))
            .append(',')
            .append(Format.csvField(r.name()))
            .append(',')
            .append(p.start())
            .append(',')
            .append(p.end())
            .append(',')
            .append(p.pulls() == null ? "" : p.pulls().toString())
            .append("\r\n");
      }
    }
    return b.toString();
  }
}
