package io.github.dockerpulls.history;

import java.time.Instant;
import java.util.List;

/**
 * A {@link HistoryReport} as JSON: the one shape that {@code dockerpulls report -f json} prints and
 * the exporter's {@code /api/v1/history} answers, so that the two cannot disagree.
 *
 * <pre>{@code
 * {"since": "...", "until": "...", "by": "day", "timezone": "UTC",
 *  "repositories": [{"namespace": "...", "name": "...", "pull_count": 123,
 *    "observed_at": "...", "pulls": 45, "previous_pulls": 40,
 *    "series": [{"start": "...", "end": "...", "pulls": 12}, ...]}]}
 * }</pre>
 *
 * Times are ISO-8601 instants in UTC; {@code pulls} and {@code previous_pulls} are null where
 * nothing is known.
 */
public final class HistoryJson {
  private HistoryJson() {}

  /** The report as one JSON document, indented for people when {@code pretty}. */
  public static String render(HistoryReport report, boolean pretty) {
    String nl = pretty ? "\n" : "";
    String in1 = pretty ? "  " : "";
    String in2 = pretty ? "    " : "";
    String in3 = pretty ? "      " : "";
    String sp = pretty ? " " : "";
    StringBuilder b = new StringBuilder(256 + report.repositories().size() * 512);
    b.append('{').append(nl);
    field(b, in1, "since", sp).append(quote(report.since().toString())).append(',').append(nl);
    field(b, in1, "until", sp).append(quote(report.until().toString())).append(',').append(nl);
    field(b, in1, "by", sp).append(quote(report.by().toString())).append(',').append(nl);
    field(b, in1, "timezone", sp).append(quote(report.zone().getId())).append(',').append(nl);
    field(b, in1, "repositories", sp).append('[').append(nl);
    int i = 0;
    for (RepositoryHistory r : report.repositories()) {
      b.append(in2).append('{');
      field(b, "", "namespace", sp).append(quote(r.namespace())).append(',').append(sp);
      field(b, "", "name", sp).append(quote(r.name())).append(',').append(sp);
      field(b, "", "pull_count", sp).append(r.pullCount()).append(',').append(sp);
      field(b, "", "observed_at", sp).append(quote(r.observedAt().toString())).append(',');
      b.append(sp);
      field(b, "", "pulls", sp).append(r.pulls()).append(',').append(sp);
      field(b, "", "previous_pulls", sp).append(r.previousPulls()).append(',').append(sp);
      field(b, "", "series", sp).append('[').append(nl);
      int j = 0;
      for (Period p : r.series()) {
        b.append(in3).append('{');
        field(b, "", "start", sp).append(quote(p.start().toString())).append(',').append(sp);
        field(b, "", "end", sp).append(quote(p.end().toString())).append(',').append(sp);
        field(b, "", "pulls", sp).append(p.pulls()).append('}');
        b.append(++j < r.series().size() ? "," : "").append(nl);
      }
      b.append(pretty ? in2 : "").append("]}");
      b.append(++i < report.repositories().size() ? "," : "").append(nl);
    }
    b.append(in1).append(']').append(nl).append('}').append(pretty ? "\n" : "");
    return b.toString();
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
    StringBuilder b = new StringBuilder(256 + report.repositories().size() * 160);
    b.append("{\"since\":").append(quote(report.since().toString()));
    b.append(",\"until\":").append(quote(report.until().toString()));
    b.append(",\"by\":").append(quote(report.by().toString()));
    b.append(",\"timezone\":").append(quote(report.zone().getId()));
    b.append(",\"total\":[");
    List<Period> total = totals(report);
    for (int i = 0; i < total.size(); i++) {
      Period p = total.get(i);
      b.append(i == 0 ? "" : ",")
          .append("{\"start\":")
          .append(quote(p.start().toString()))
          .append(",\"end\":")
          .append(quote(p.end().toString()))
          .append(",\"pulls\":")
          .append(p.pulls())
          .append('}');
    }
    b.append("],\"repositories\":[");
    int i = 0;
    for (RepositoryHistory r : report.repositories()) {
      b.append(i++ == 0 ? "" : ",")
          .append("{\"namespace\":")
          .append(quote(r.namespace()))
          .append(",\"name\":")
          .append(quote(r.name()))
          .append(",\"pull_count\":")
          .append(r.pullCount())
          .append(",\"observed_at\":")
          .append(quote(r.observedAt().toString()))
          .append(",\"pulls\":")
          .append(r.pulls())
          .append(",\"previous_pulls\":")
          .append(r.previousPulls())
          .append('}');
    }
    return b.append("]}").toString();
  }

  /** Each period's pulls summed over the report's repositories; null where none is known. */
  public static List<Period> totals(HistoryReport report) {
    java.util.TreeMap<Instant, Period> sums = new java.util.TreeMap<>();
    for (RepositoryHistory r : report.repositories()) {
      for (Period p : r.series()) {
        Period before = sums.get(p.start());
        Long pulls;
        if (before == null || before.pulls() == null) {
          pulls = p.pulls();
        } else if (p.pulls() == null) {
          pulls = before.pulls();
        } else {
          pulls = Long.valueOf(before.pulls() + p.pulls());
        }
        sums.put(p.start(), new Period(p.start(), p.end(), pulls));
      }
    }
    return List.copyOf(sums.values());
  }

  private static StringBuilder field(StringBuilder b, String indent, String name, String sp) {
    return b.append(indent).append('"').append(name).append("\":").append(sp);
  }

  /** A JSON string, with {@code <>&} escaped too so that it is safe inside HTML. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
