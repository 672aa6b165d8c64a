package io.github.dockerpulls.exporter.web;

import io.github.dockerpulls.exporter.http.HttpRequest;
import io.github.dockerpulls.exporter.http.HttpResponse;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.ReportQuery;
import io.github.dockerpulls.history.RepositoryEvents;
import io.github.dockerpulls.history.Since;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.text.Escape;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/events?repo=NS/NAME&since=30d[&until=DATE]}: one repository's star counts where
 * they changed and its pushes over the window, from the history:
 *
 * <pre>{@code
 * {"repository": "camunda/zeebe", "since": "...", "until": "...",
 *  "stars": [{"at": "...", "stars": 120}], "pushes": ["..."], "truncated": false}
 * }</pre>
 */
public final class EventsEndpoint
    implements io.github.dockerpulls.exporter.http.Http11Server.Handler {
  private final HistoryStore store;
  private final String noHistory;
  private final Clock clock;

  public EventsEndpoint(HistoryStore store, String noHistory, Clock clock) {
    this.store = store;
    this.noHistory = noHistory;
    this.clock = clock;
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    if (store == null) {
      return HistoryEndpoint.answer(404, HistoryEndpoint.error("no history: " + noHistory));
    }
    Map<String, List<String>> query = HistoryEndpoint.query(request.rawQuery());
    Target.Repository repo;
    Instant since;
    Instant until;
    try {
      List<String> repos = query.getOrDefault("repo", List.of());
      if (repos.size() != 1) {
        throw new IllegalArgumentException("name one repository: repo=NAMESPACE/NAME");
      }
      repo = Target.repository(repos.get(0));
      String timezone = HistoryEndpoint.first(query, "timezone", ReportQuery.DEFAULT_ZONE);
      ZoneId zone = ReportQuery.zone(timezone);
      until =
          HistoryEndpoint.until(
              HistoryEndpoint.first(query, "until", null), timezone, clock.instant());
      since =
          Since.parse(
              HistoryEndpoint.first(query, "since", ReportQuery.DEFAULT_SINCE), until, zone);
    } catch (HubException.InvalidName | IllegalArgumentException e) {
      return HistoryEndpoint.answer(400, HistoryEndpoint.error(e.getMessage()));
    }
    RepositoryEvents events;
    try {
      events = store.events(repo.id(), since, until);
    } catch (HistoryException e) {
      return HistoryEndpoint.answer(503, HistoryEndpoint.error("the history cannot be read now"));
    }
    StringBuilder b = new StringBuilder(256 + events.stars().size() * 48);
    b.append("{\"repository\":").append(Escape.json(repo.id()));
    b.append(",\"since\":").append(Escape.json(since.toString()));
    b.append(",\"until\":").append(Escape.json(until.toString()));
    b.append(",\"stars\":[");
    int i = 0;
    for (RepositoryEvents.Stars s : events.stars()) {
      b.append(i++ == 0 ? "" : ",")
          .append("{\"at\":")
          .append(Escape.json(s.at().toString()))
          .append(",\"stars\":")
          .append(s.stars())
          .append('}');
    }
    b.append("],\"pushes\":[");
    i = 0;
    for (Instant p : events.pushes()) {
      b.append(i++ == 0 ? "" : ",").append(Escape.json(p.toString()));
    }
    b.append("],\"truncated\":").append(events.truncated()).append('}');
    return HistoryEndpoint.answer(200, b.toString());
  }
}
