package io.github.dockerpulls.exporter.web;

import io.github.dockerpulls.exporter.http.BodySource;
import io.github.dockerpulls.exporter.http.Http11Server;
import io.github.dockerpulls.exporter.http.HttpRequest;
import io.github.dockerpulls.exporter.http.HttpResponse;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryJson;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.ReportCursor;
import io.github.dockerpulls.history.ReportQuery;
import io.github.dockerpulls.history.ReportWriter;
import io.github.dockerpulls.history.RepositoryHistory;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.text.Escape;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
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
  private final TotalsCache cache;

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
    this.cache = new TotalsCache(clock);
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
    String tags;
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
      Instant now = clock.instant();
      String timezone = first(query, "timezone", ReportQuery.DEFAULT_ZONE);
      question =
          ReportQuery.parse(
              targets,
              first(query, "since", ReportQuery.DEFAULT_SINCE),
              first(query, "by", ReportQuery.DEFAULT_BY),
              timezone,
              until(first(query, "until", null), timezone, now));
      if (question.since().isAfter(question.until())) {
        throw new IllegalArgumentException("since: the window starts after it ends (until)");
      }
      String series = first(query, "series", "each");
      if (!series.equals("each") && !series.equals("total")) {
        throw new IllegalArgumentException("series: '" + series + "' is not each or total");
      }
      totals = series.equals("total");
      tags = tags(query, question);
      if (tags != null && totals) {
        throw new IllegalArgumentException("tags: not with series=total");
      }
    } catch (HubException.InvalidName | IllegalArgumentException e) {
      return answer(400, error(e.getMessage()));
    }
    if (totals) {
      TotalsCache.Key key =
          new TotalsCache.Key(
              targets,
              first(query, "since", ReportQuery.DEFAULT_SINCE),
              first(query, "by", ReportQuery.DEFAULT_BY),
              first(query, "timezone", ReportQuery.DEFAULT_ZONE),
              first(query, "until", null));
      cache.asked(key);
      try {
        long changes = store.changes();
        String json = cache.get(key, changes);
        if (json == null) {
          json = totals(question);
          cache.put(key, changes, json);
          cache.warm(key, changes, k -> warmed(k, changes));
        }
        return answer(200, json);
      } catch (ReportQuery.TooLarge e) {
        return answer(400, error(e.getMessage()));
      } catch (HistoryException e) {
        return answer(503, error("the history cannot be read now"));
      }
    }
    ReportCursor cursor;
    try {
      // Twenty repositories a year by day are about 600 KB of JSON: what one slow reader holds.
      cursor = store.cursor(question, null, 20, tags);
    } catch (ReportQuery.TooLarge e) {
      return answer(400, error(e.getMessage()));
    } catch (HistoryException e) {
      return answer(503, error("the history cannot be read now"));
    }
    return HttpResponse.streamed(200, "application/json", new JsonBody(cursor));
  }

  /**
   * Tells the endpoint that the history changed (a refresh recorded): the chart questions readers
   * asked within the last hour are answered again in the background, so that the first reader after
   * the refresh does not wait for them. Cheap when no one asked.
   */
  public void historyChanged() {
    if (store == null) {
      return;
    }
    try {
      long changes = store.changes();
      cache.rewarm(changes, k -> warmed(k, changes));
    } catch (HistoryException e) {
      // The next question says so; nothing to answer ahead.
    }
  }

  /**
   * The dashboard's chart: the periods' sums and each repository without its series, small whatever
   * the window; the series are read a hundred repositories at a time.
   */
  private String totals(ReportQuery question) throws HistoryException {
    try (ReportCursor cursor = store.cursor(question, null, 100, null)) {
      HistoryJson.Totals sums = new HistoryJson.Totals();
      sums.begin(cursor.since(), cursor.until(), cursor.by(), cursor.zone());
      List<RepositoryHistory> chunk;
      while (!(chunk = cursor.next()).isEmpty()) {
        chunk.forEach(sums::repository);
      }
      return sums.render();
    }
  }

  /**
   * A neighbouring chart answered ahead of its question, while the history is still at {@code
   * changes}; null when it is not, or the question cannot be answered.
   */
  private String warmed(TotalsCache.Key key, long changes) {
    try {
      if (store.changes() != changes) {
        return null;
      }
      Instant now = clock.instant();
      return totals(
          ReportQuery.parse(
              key.targets(),
              key.since(),
              key.by(),
              key.timezone(),
              until(key.until(), key.timezone(), now)));
    } catch (HistoryException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The answer's JSON made twenty repositories at a time, each part only when the client has taken
   * the last: a client that does not read holds one part, not the answer.
   */
  private static final class JsonBody implements BodySource {
    private final ReportCursor cursor;
    private final StringBuilder buffer = new StringBuilder(64 * 1024);
    private final ReportWriter json = HistoryJson.writer(buffer, false);
    private boolean begun;
    private boolean ended;

    JsonBody(ReportCursor cursor) {
      this.cursor = cursor;
    }

    @Override
    public byte[] next() throws IOException {
      if (ended) {
        return null;
      }
      buffer.setLength(0);
      if (!begun) {
        begun = true;
        json.begin(cursor.since(), cursor.until(), cursor.by(), cursor.zone());
      }
      List<RepositoryHistory> chunk;
      try {
        chunk = cursor.next();
      } catch (HistoryException e) {
        throw new IOException(e.getMessage(), e);
      }
      for (RepositoryHistory r : chunk) {
        json.repository(r);
      }
      if (chunk.isEmpty()) {
        json.end();
        ended = true;
      }
      return buffer.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      cursor.close();
    }
  }

  /**
   * The window's end: {@code until} as a date (the end of that day in the report's zone) or an
   * instant, never later than now; now when not given.
   */
  static Instant until(String until, String timezone, Instant now) {
    if (until == null) {
      return now;
    }
    Instant end;
    try {
      end =
          until.length() == 10
              ? java.time.LocalDate.parse(until)
                  .plusDays(1)
                  .atStartOfDay(ReportQuery.zone(timezone))
                  .toInstant()
              : Instant.parse(until);
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          "until: '" + until + "' is not a date such as 2026-11-30 or an ISO-8601 instant");
    }
    return end.isAfter(now) ? now : end;
  }

  /**
   * {@code tags=true} (every tag) or {@code tag=PATTERN} (the tags it matches): the Docker Hub
   * Insights with each repository; null without them.
   */
  private static String tags(Map<String, List<String>> query, ReportQuery question) {
    String flag = first(query, "tags", "false");
    if (!flag.equals("true") && !flag.equals("false")) {
      throw new IllegalArgumentException("tags: '" + flag + "' is not true or false");
    }
    String pattern = first(query, "tag", null);
    if (pattern != null && (pattern.isBlank() || pattern.length() > 128)) {
      throw new IllegalArgumentException("tag: give a tag or a pattern such as 8.*");
    }
    String tags = pattern != null ? pattern : flag.equals("true") ? "*" : null;
    if (tags != null && question.by() == io.github.dockerpulls.history.Granularity.DAY) {
      throw new IllegalArgumentException(
          "tags: Insights are totals of weeks or months, not days: ask by=week or by=month");
    }
    return tags;
  }

  static String first(Map<String, List<String>> query, String name, String fallback) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? fallback : values.get(0);
  }

  /** The query's parameters, each name with its values in order; '+' is a space. */
  public static Map<String, List<String>> query(String raw) {
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

  static String error(String message) {
    return "{\"error\":" + Escape.json(message) + "}";
  }

  static HttpResponse answer(int status, String json) {
    return HttpResponse.of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }
}
