package io.github.dockerpulls.exporter.web;

import io.github.dockerpulls.history.HistoryJson;
import io.github.dockerpulls.history.HistoryReport;
import io.github.dockerpulls.history.Observation;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.text.Escape;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard as one self-contained HTML file ({@code dockerpulls report -f html}): the chart
 * library, the app, the styles and the data are inline, and nothing is fetched, so the file opens
 * from disk or from any static host (GitHub Pages and the like). The data is the same JSON the
 * exporter's API answers: {@code status} shaped as {@code /api/v1/status}, and per window the shape
 * of {@code /api/v1/history?series=total}.
 */
public final class StaticReport {
  private StaticReport() {}

  /**
   * @param latest each repository's latest observation
   * @param windows per window name ({@code 7d}, {@code 30d}, ...) its report, in display order
   * @param defaultWindow the window shown first
   */
  public static String render(
      String version,
      Instant generated,
      List<Target> targets,
      List<Observation> latest,
      Map<String, HistoryReport> windows,
      String defaultWindow) {
    StringBuilder data = new StringBuilder(1024 + latest.size() * 900);
    data.append("{\"generated\":").append(Escape.json(generated.toString()));
    data.append(",\"defaultWindow\":").append(Escape.json(defaultWindow));
    data.append(",\"status\":").append(status(version, targets, latest));
    data.append(",\"history\":{");
    int i = 0;
    for (Map.Entry<String, HistoryReport> w : new LinkedHashMap<>(windows).entrySet()) {
      data.append(i++ == 0 ? "" : ",")
          .append(Escape.json(w.getKey()))
          .append(':')
          .append(HistoryJson.renderTotals(w.getValue()));
    }
    data.append("}}");

    StringBuilder h = new StringBuilder(data.length() + 220_000);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<meta name=\"color-scheme\" content=\"light dark\">")
        .append("<title>Docker Hub pulls · dockerpulls report</title>\n<style>")
        .append(Dashboard.text("uplot.css"))
        .append('\n')
        .append(Dashboard.text("app.css"))
        .append("</style></head>\n<body data-base=\"\">\n<header><h1>Docker Hub pulls</h1>")
        .append("<p class=\"muted\">A dockerpulls report of ")
        .append(Escape.html(String.join(", ", targets.stream().map(Target::id).toList())))
        .append(", made ")
        .append(
            Escape.html(
                generated
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    .toString()
                    .replace("T", " ")
                    .replace("Z", " UTC")))
        .append(".</p></header>\n<noscript>")
        .append(noscriptTable(latest, windows.get(defaultWindow)))
        .append("</noscript>\n<main id=\"app\" aria-live=\"polite\"></main>\n")
        .append("<footer>dockerpulls ")
        .append(Escape.html(version))
        .append("</footer>\n<script type=\"application/json\" id=\"dockerpulls-data\">")
        .append(data)
        .append("</script>\n<script>")
        .append(inline(Dashboard.text("uplot.js")))
        .append("</script>\n<script>")
        .append(inline(Dashboard.text("app.js")))
        .append("</script>\n</body></html>\n");
    return h.toString();
  }

  /** Code placed inside a script element must not close it early. */
  private static String inline(String code) {
    return code.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT");
  }

  private static String status(String version, List<Target> targets, List<Observation> latest) {
    Instant last =
        latest.stream().map(Observation::observedAt).max(Instant::compareTo).orElse(null);
    StringBuilder b = new StringBuilder(256 + latest.size() * 150);
    b.append("{\"version\":").append(Escape.json(version));
    b.append(",\"ready\":true,\"last_refresh\":")
        .append(last == null ? "null" : Escape.json(last.toString()));
    b.append(",\"refresh_duration_seconds\":null,\"history\":true,\"rate_limit\":null,")
        .append("\"pull_limit\":null,\"elasticsearch\":null,\"targets\":[");
    int i = 0;
    for (Target t : targets) {
      long count =
          latest.stream()
              .filter(
                  o ->
                      t instanceof Target.Organization org
                          ? o.namespace().equals(org.namespace())
                          : (o.namespace() + "/" + o.name()).equals(t.id()))
              .count();
      b.append(i++ == 0 ? "" : ",")
          .append("{\"target\":")
          .append(Escape.json(t.id()))
          .append(",\"up\":")
          .append(count > 0)
          .append(",\"last_success\":null,\"error\":")
          .append(count > 0 ? "null" : Escape.json("nothing recorded"))
          .append(",\"rate_limited_until\":null,\"repositories\":")
          .append(count)
          .append('}');
    }
    b.append("],\"repositories\":");
    StatusJson.repositories(
        b,
        latest.stream()
            .map(
                o ->
                    new io.github.dockerpulls.hub.RepositoryStats(
                        o.namespace(),
                        o.name(),
                        o.pullCount(),
                        o.starCount(),
                        o.lastUpdated(),
                        java.util.OptionalLong.empty()))
            .toList());
    return b.append('}').toString();
  }

  private static String noscriptTable(List<Observation> latest, HistoryReport window) {
    Map<String, Long> pulls = new LinkedHashMap<>();
    if (window != null) {
      window.repositories().forEach(r -> pulls.put(r.fullName(), r.pulls()));
    }
    StringBuilder t =
        new StringBuilder("<table><thead><tr><th>Repository</th><th class=\"n\">Total pulls</th>")
            .append("<th class=\"n\">Pulls in the window</th><th class=\"n\">Stars</th>")
            .append("</tr></thead><tbody>");
    for (Observation o : latest) {
      String full = o.namespace() + "/" + o.name();
      Long p = pulls.get(full);
      t.append("<tr><td>")
          .append(Escape.html(full))
          .append("</td><td class=\"n\">")
          .append(String.format(Locale.ROOT, "%,d", o.pullCount()))
          .append("</td><td class=\"n\">")
          .append(p == null ? "-" : String.format(Locale.ROOT, "%,d", p))
          .append("</td><td class=\"n\">")
          .append(o.starCount().isPresent() ? Long.toString(o.starCount().getAsLong()) : "-")
          .append("</td></tr>");
    }
    return t.append("</tbody></table>").toString();
  }
}
