package io.github.dockerpulls.history;

import io.github.dockerpulls.text.Escape;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * A {@link HistoryReport} as JSON: the one shape that {@code dockerpulls report -f json} prints and
 * the exporter's {@code /api/v1/history} answers, so that the two cannot disagree.
 *
 * <pre>{@code
 * {"since": "...", "until": "...", "by": "day", "timezone": "UTC",
 *  "repositories": [{"namespace": "...", "name": "...", "pull_count": 123,
 *    "observed_at": "...", "pulls": 45, "previous_pulls": 40,
 *    "covered_from": "...", "coverage": 1,
 *    "series": [{"start": "...", "end": "...", "pulls": 12, "coverage": 1}, ...]}]}
 * }</pre>
 *
 * A period whose figure is estimated across a gap in the observations (see {@link
 * Period#estimated()}) carries {@code "estimated": true}; the others carry nothing more.
 *
 * <p>Times are ISO-8601 instants in UTC. {@code covered_from} is the repository's first
 * observation; {@code coverage} is the share of the window, or of a period, that the history covers
 * (0 to 1); {@code pulls} is null where it covers none of it, {@code previous_pulls} unless it
 * covers the window before whole.
 */
public final class HistoryJson {
  private HistoryJson() {}

  /** The report as one JSON document, indented for people when {@code pretty}. */
  public static String render(HistoryReport report, boolean pretty) {
    StringBuilder b = new StringBuilder(256 + report.repositories().size() * 512);
    ReportWriter w = writer(b, pretty);
    try {
      w.begin(report.since(), report.until(), report.by(), report.zone());
      for (RepositoryHistory r : report.repositories()) {
        w.repository(r);
      }
      w.end();
    } catch (IOException e) {
      throw new IllegalStateException("a StringBuilder does not fail", e);
    }
    return b.toString();
  }

  /**
   * Writes the report's JSON to {@code out} as it is computed, a repository at a time: the same
   * text {@link #render} gives.
   */
  public static ReportWriter writer(Appendable out, boolean pretty) {
    return new JsonReportWriter(out, pretty);
  }

  private static final class JsonReportWriter implements ReportWriter {
    private final Appendable out;
    private final boolean pretty;
    private final String nl;
    private final String in1;
    private final String in2;
    private final String in3;
    private final String sp;
    private boolean first = true;

    JsonReportWriter(Appendable out, boolean pretty) {
      this.out = out;
      this.pretty = pretty;
      this.nl = pretty ? "\n" : "";
      this.in1 = pretty ? "  " : "";
      this.in2 = pretty ? "    " : "";
      this.in3 = pretty ? "      " : "";
      this.sp = pretty ? " " : "";
    }

    @Override
    public void begin(Instant since, Instant until, Granularity by, ZoneId zone)
        throws IOException {
      StringBuilder b = new StringBuilder(256);
      b.append('{').append(nl);
      field(b, in1, "since", sp).append(Escape.json(since.toString())).append(',').append(nl);
      field(b, in1, "until", sp).append(Escape.json(until.toString())).append(',').append(nl);
      field(b, in1, "by", sp).append(Escape.json(by.toString())).append(',').append(nl);
      field(b, in1, "timezone", sp).append(Escape.json(zone.getId())).append(',').append(nl);
      field(b, in1, "repositories", sp).append('[').append(nl);
      out.append(b);
    }

    @Override
    public void repository(RepositoryHistory r) throws IOException {
      StringBuilder b = new StringBuilder(256 + r.series().size() * 96);
      if (!first) {
        b.append(',').append(nl);
      }
      first = false;
      b.append(in2).append('{');
      field(b, "", "namespace", sp).append(Escape.json(r.namespace())).append(',').append(sp);
      field(b, "", "name", sp).append(Escape.json(r.name())).append(',').append(sp);
      field(b, "", "pull_count", sp)
          .append(r.observedAt() == null ? "null" : Long.toString(r.pullCount()))
          .append(',')
          .append(sp);
      field(b, "", "observed_at", sp).append(time(r.observedAt())).append(',');
      b.append(sp);
      field(b, "", "pulls", sp).append(r.pulls()).append(',').append(sp);
      field(b, "", "previous_pulls", sp).append(r.previousPulls()).append(',').append(sp);
      field(b, "", "covered_from", sp).append(time(r.coveredFrom())).append(',').append(sp);
      field(b, "", "coverage", sp).append(share(r.coverage())).append(',').append(sp);
      field(b, "", "series", sp).append('[').append(nl);
      int j = 0;
      for (Period p : r.series()) {
        b.append(in3).append('{');
        field(b, "", "start", sp).append(Escape.json(p.start().toString())).append(',').append(sp);
        field(b, "", "end", sp).append(Escape.json(p.end().toString())).append(',').append(sp);
        field(b, "", "pulls", sp).append(p.pulls()).append(',').append(sp);
        field(b, "", "coverage", sp).append(share(p.coverage()));
        if (p.estimated()) {
          b.append(',').append(sp);
          field(b, "", "estimated", sp).append("true");
        }
        b.append('}');
        b.append(++j < r.series().size() ? "," : "").append(nl);
      }
      b.append(pretty ? in2 : "").append(']');
      if (r.insights() != null) {
        b.append(',').append(sp);
        field(b, "", "insights", sp);
        insights(b, r.insights());
      }
      b.append('}');
      out.append(b);
    }

    @Override
    public void end() throws IOException {
      out.append(first ? "" : nl).append(in1).append(']').append(nl).append('}');
      out.append(pretty ? "\n" : "");
    }
  }

  /**
   * A repository's Insights, on one line: {@code {"series": [...], "tags": [...], "breakdowns":
   * {...}}}.
   */
  static void insights(StringBuilder b, Insights i) {
    b.append("{\"series\":[");
    figures(b, i.series(), true);
    b.append("],\"tags\":[");
    int n = 0;
    for (Insights.Tag t : i.tags()) {
      b.append(n++ == 0 ? "" : ",").append("{\"tag\":").append(Escape.json(t.tag()));
      counts(b, t.pulls(), t.downloads(), t.versionChecks());
      b.append(",\"series\":[");
      figures(b, t.series(), false);
      b.append("]}");
    }
    b.append("],\"breakdowns\":{");
    n = 0;
    for (var e : i.breakdowns().entrySet()) {
      b.append(n++ == 0 ? "" : ",").append(Escape.json(e.getKey())).append(":[");
      int m = 0;
      for (Insights.Breakdown k : e.getValue()) {
        b.append(m++ == 0 ? "" : ",").append("{\"key\":").append(Escape.json(k.key()));
        counts(b, k.pulls(), k.downloads(), k.versionChecks());
        b.append('}');
      }
      b.append(']');
    }
    b.append("}}");
  }

  private static void figures(StringBuilder b, List<Insights.Figures> series, boolean ips) {
    int n = 0;
    for (Insights.Figures f : series) {
      b.append(n++ == 0 ? "" : ",")
          .append("{\"start\":")
          .append(Escape.json(f.start().toString()))
          .append(",\"end\":")
          .append(Escape.json(f.end().toString()));
      counts(b, f.pulls(), f.downloads(), f.versionChecks());
      if (ips) {
        b.append(",\"unique_ips\":").append(f.uniqueIps());
      }
      b.append('}');
    }
  }

  private static void counts(StringBuilder b, long pulls, Long downloads, Long checks) {
    b.append(",\"pulls\":")
        .append(pulls)
        .append(",\"downloads\":")
        .append(downloads)
        .append(",\"version_checks\":")
        .append(checks);
  }

  /**
   * The report without each repository's series, and with the periods' sums over all of them
   * instead: what a dashboard needs for thousands of repositories, in a few hundred kilobytes.
   *
   * <pre>{@code
   * {"since", "until", "by", "timezone",
   *  "total": [{"start", "end", "pulls"}, ...],
   *  "repositories": [{"namespace", "name", "pull_count", "observed_at", "pulls",
   *    "previous_pulls"}, ...]}
   * }</pre>
   *
   * A period's total is null when no repository's pulls are known for it.
   */
  public static String renderTotals(HistoryReport report) {
    return Totals.of(report).render();
  }

  /**
   * A report reduced as it is read, for {@link #renderTotals}: each repository without its series,
   * and the periods' sums, so that thousands of repositories' series are never held at once.
   */
  public static final class Totals implements ReportWriter {
    private final List<RepositoryHistory> repositories = new java.util.ArrayList<>();
    private List<Period> periods = List.of();
    private Long[] sums = new Long[0];
    private boolean[] estimated = new boolean[0];
    private Instant since;
    private Instant until;
    private Granularity by;
    private ZoneId zone;

    @Override
    public void begin(Instant since, Instant until, Granularity by, ZoneId zone) {
      this.since = since;
      this.until = until;
      this.by = by;
      this.zone = zone;
    }

    @Override
    public void repository(RepositoryHistory r) {
      if (sums.length == 0 && !r.series().isEmpty()) {
        periods = r.series();
        sums = new Long[periods.size()];
        estimated = new boolean[periods.size()];
      }
      for (int i = 0; i < sums.length && i < r.series().size(); i++) {
        Long p = r.series().get(i).pulls();
        if (p != null) {
          sums[i] = sums[i] == null ? p : Long.valueOf(sums[i] + p);
          estimated[i] |= r.series().get(i).estimated();
        }
      }
      repositories.add(
          new RepositoryHistory(
              r.namespace(),
              r.name(),
              r.pullCount(),
              r.observedAt(),
              r.pulls(),
              r.previousPulls(),
              r.coveredFrom(),
              r.coverage(),
              List.of()));
    }

    @Override
    public void end() {}

    /** A report held whole, read through this writer. */
    static Totals of(HistoryReport report) {
      Totals t = new Totals();
      t.begin(report.since(), report.until(), report.by(), report.zone());
      report.repositories().forEach(t::repository);
      t.end();
      return t;
    }

    /** Each period's sum over the repositories read, null where none knows its pulls. */
    List<Period> periods() {
      List<Period> total = new java.util.ArrayList<>(sums.length);
      for (int i = 0; i < sums.length; i++) {
        total.add(
            new Period(
                periods.get(i).start(),
                periods.get(i).end(),
                sums[i],
                sums[i] == null ? 0 : 1,
                estimated[i]));
      }
      return total;
    }

    /** The JSON of {@link #renderTotals(HistoryReport)} for what was read. */
    public String render() {
      return renderTotals(since, until, by, zone, periods(), repositories);
    }
  }

  private static String renderTotals(
      Instant since,
      Instant until,
      Granularity by,
      ZoneId zone,
      List<Period> total,
      List<RepositoryHistory> repositories) {
    StringBuilder b = new StringBuilder(256 + repositories.size() * 160);
    b.append("{\"since\":").append(Escape.json(since.toString()));
    b.append(",\"until\":").append(Escape.json(until.toString()));
    b.append(",\"by\":").append(Escape.json(by.toString()));
    b.append(",\"timezone\":").append(Escape.json(zone.getId()));
    b.append(",\"total\":[");
    for (int i = 0; i < total.size(); i++) {
      Period p = total.get(i);
      b.append(i == 0 ? "" : ",")
          .append("{\"start\":")
          .append(Escape.json(p.start().toString()))
          .append(",\"end\":")
          .append(Escape.json(p.end().toString()))
          .append(",\"pulls\":")
          .append(p.pulls())
          .append(p.estimated() ? ",\"estimated\":true}" : "}");
    }
    b.append("],\"repositories\":[");
    int i = 0;
    for (RepositoryHistory r : repositories) {
      b.append(i++ == 0 ? "" : ",")
          .append("{\"namespace\":")
          .append(Escape.json(r.namespace()))
          .append(",\"name\":")
          .append(Escape.json(r.name()))
          .append(",\"pull_count\":")
          .append(r.pullCount())
          .append(",\"observed_at\":")
          .append(time(r.observedAt()))
          .append(",\"pulls\":")
          .append(r.pulls())
          .append(",\"previous_pulls\":")
          .append(r.previousPulls())
          .append(",\"covered_from\":")
          .append(time(r.coveredFrom()))
          .append(",\"coverage\":")
          .append(share(r.coverage()))
          .append('}');
    }
    return b.append("]}").toString();
  }

  /** Each period's pulls summed over the report's repositories; null where none is known. */
  public static List<Period> totals(HistoryReport report) {
    return Totals.of(report).periods();
  }

  private static String time(Instant t) {
    return t == null ? "null" : Escape.json(t.toString());
  }

  /** A share from 0 to 1 as JSON (and CSV): 0 and 1 whole, else up to four decimals. */
  public static String share(double v) {
    if (v == 0 || v == 1) {
      return v == 0 ? "0" : "1";
    }
    String text = java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    return text;
  }

  private static StringBuilder field(StringBuilder b, String indent, String name, String sp) {
    return b.append(indent).append('"').append(name).append("\":").append(sp);
  }
}
