package io.github.dockerpulls.exporter.web;

import io.github.dockerpulls.exporter.http.Http11Server;
import io.github.dockerpulls.exporter.http.HttpRequest;
import io.github.dockerpulls.exporter.http.HttpResponse;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryJson;
import io.github.dockerpulls.history.HistoryReport;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.ReportQuery;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.text.Escape;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/history?repo=NS/NAME&org=NS&since=30d&by=day&timezone=UTC}: the same JSON as
 * {@code dockerpulls report -f json}, from the same query. {@code repo} and {@code org} repeat;
 * without either, the exporter's own targets. With {@code series=total}, the periods' sums over the
 * repositories instead of each one's series (the dashboard's chart). Errors are JSON too: {@code
 * {"error": "..."}}.
 */
public final class HistoryEndpoint implements Http11Server.Handler {
  private final HistoryStore store;
  private final String noHistory;
  private final List<Target> defaultTargets;
  private final Clock clock;

  /**
   * @param store the history, or null when there is none
   * @param noHistory why there is none: the 404's message
   */
  public HistoryEndpoint(
      HistoryStore store, String noHistory, List<Target> defaultTargets, Clock clock) {
    this.store = store;
    this.noHistory = noHistory;
    this.defaultTargets = List.copyOf(defaultTargets);
    this.clock = clock;
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    if (store == null) {
      return answer(404, error("no history: " + noHistory));
    }
    Map<String, List<String>> query = query(request.rawQuery());
    List<Target> targets = new ArrayList<>();
    ReportQuery question;
    boolean totals;
    try {
      for (String org : query.getOrDefault("org", List.of())) {
        if (org.indexOf('/') >= 0) {
          throw new IllegalArgumentException("org '" + org + "' has a '/': use repo=NS/NAME");
        }
        targets.add(Target.organization(org));
      }
      for (String repo : query.getOrDefault("repo", List.of())) {
        targets.add(Target.repository(repo));
      }
      if (targets.isEmpty()) {
        targets.addAll(defaultTargets);
      }
      question =
          ReportQuery.parse(
              targets,
              first(query, "since", ReportQuery.DEFAULT_SINCE),
              first(query, "by", ReportQuery.DEFAULT_BY),
              first(query, "timezone", ReportQuery.DEFAULT_ZONE),
              clock.instant());
      String series = first(query, "series", "each");
      if (!series.equals("each") && !series.equals("total")) {
        throw new IllegalArgumentException("series: '" + series + "' is not each or total");
      }
      totals = series.equals("total");
    } catch (HubException.InvalidName | IllegalArgumentException e) {
      return answer(400, error(e.getMessage()));
    }
    HistoryReport report;
    try {
      report = store.report(question);
    } catch (HistoryException e) {
      return answer(503, error("the history cannot be read now"));
    }
    return answer(
        200, totals ? HistoryJson.renderTotals(report) : HistoryJson.render(report, false));
  }

  private static String first(Map<String, List<String>> query, String name, String fallback) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? fallback : values.get(0);
  }

  /** The query's parameters, each name with its values in order; '+' is a space. */
  static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return params;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  private static String error(String message) {
    return "{\"error\":" + Escape.json(message) + "}";
  }

  private static HttpResponse answer(int status, String json) {
    return HttpResponse.of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }
}
