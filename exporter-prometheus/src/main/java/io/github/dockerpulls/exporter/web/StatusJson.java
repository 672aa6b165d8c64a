package io.github.dockerpulls.exporter.web;

import io.github.dockerpulls.exporter.metrics.ExporterView;
import io.github.dockerpulls.exporter.metrics.SinkState;
import io.github.dockerpulls.hub.PullLimit;
import io.github.dockerpulls.hub.RateLimit;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.text.Escape;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code GET /api/v1/status}: what the exporter holds as of its latest refresh, as JSON. The
 * dashboard reads it (with {@code /api/v1/history}), so what the page shows and what scripts read
 * cannot disagree.
 *
 * <pre>{@code
 * {"version", "ready", "not_ready", "last_refresh", "refreshed_at", "refresh_duration_seconds",
 *  "history",
 *  "rate_limit": {"limit", "remaining", "reset"} | null,
 *  "pull_limit": {"unlimited", "limit", "remaining", "window_seconds"} | null,
 *  "elasticsearch": {"spool_snapshots", "spool_bytes", "oldest_spooled", "dropped_total",
 *    "last_delivery"} | null,
 *  "targets": [{"target", "up", "last_success", "error", "rate_limited_until", "repositories"}],
 *  "repositories": [{"namespace", "name", "pull_count", "star_count", "last_updated"}]}
 * }</pre>
 *
 * Times are ISO-8601 instants in UTC; unknown values are null.
 */
public final class StatusJson {
  private StatusJson() {}

  /** The status of a view that is judged ready by {@link ExporterView#ready()} alone. */
  public static String render(ExporterView v, SinkState sink, String version, boolean history) {
    return render(
        v,
        sink,
        version,
        history,
        v.ready() ? Optional.empty() : v.notReady(Instant.EPOCH, java.time.Duration.ZERO));
  }

  /**
   * @param notReady why the exporter is not ready ({@link ExporterView#notReady}); empty when it is
   */
  public static String render(
      ExporterView v, SinkState sink, String version, boolean history, Optional<String> notReady) {
    StringBuilder b = new StringBuilder(1024 + v.repositories().size() * 150);
    b.append("{\"version\":").append(Escape.json(version));
    b.append(",\"ready\":").append(notReady.isEmpty());
    b.append(",\"not_ready\":").append(notReady.map(Escape::json).orElse("null"));
    b.append(",\"last_refresh\":").append(time(v.lastRefresh()));
    b.append(",\"refreshed_at\":").append(time(v.refreshedAt()));
    b.append(",\"refresh_duration_seconds\":").append(v.lastDuration().toMillis() / 1000.0);
    b.append(",\"history\":").append(history);
    b.append(",\"rate_limit\":");
    if (v.rateLimit().isPresent()) {
      RateLimit r = v.rateLimit().get();
      b.append("{\"limit\":")
          .append(r.limit())
          .append(",\"remaining\":")
          .append(r.remaining())
          .append(",\"reset\":")
          .append(time(Optional.of(r.reset())))
          .append('}');
    } else {
      b.append("null");
    }
    b.append(",\"pull_limit\":");
    if (v.pullLimit().isPresent()) {
      PullLimit p = v.pullLimit().get();
      b.append("{\"unlimited\":")
          .append(p.isUnlimited())
          .append(",\"limit\":")
          .append(p.limit().isPresent() ? Long.toString(p.limit().getAsLong()) : "null")
          .append(",\"remaining\":")
          .append(p.remaining().isPresent() ? Long.toString(p.remaining().getAsLong()) : "null")
          .append(",\"window_seconds\":")
          .append(p.window().map(w -> Long.toString(w.toSeconds())).orElse("null"))
          .append('}');
    } else {
      b.append("null");
    }
    b.append(",\"elasticsearch\":");
    if (sink != null) {
      b.append("{\"spool_snapshots\":")
          .append(sink.spooledSnapshots())
          .append(",\"spool_bytes\":")
          .append(sink.spooledBytes())
          .append(",\"oldest_spooled\":")
          .append(time(sink.oldestSpooled()))
          .append(",\"dropped_total\":")
          .append(sink.droppedTotal())
          .append(",\"last_delivery\":")
          .append(time(sink.lastDelivery()))
          .append('}');
    } else {
      b.append("null");
    }
    b.append(",\"targets\":[");
    int i = 0;
    for (ExporterView.TargetState t : v.targets()) {
      b.append(i++ == 0 ? "" : ",")
          .append("{\"target\":")
          .append(Escape.json(t.target().id()))
          .append(",\"up\":")
          .append(t.up())
          .append(",\"last_success\":")
          .append(time(t.lastSuccess()))
          .append(",\"error\":")
          .append(t.error().map(Escape::json).orElse("null"))
          .append(",\"rate_limited_until\":")
          .append(time(t.rateLimitedUntil()))
          .append(",\"repositories\":")
          .append(t.repositories().size())
          .append('}');
    }
    b.append("],\"repositories\":");
    repositories(b, v.repositories());
    return b.append('}').toString();
  }

  /** {@code [{"namespace", "name", "pull_count", "star_count", "last_updated"}, ...]}. */
  static void repositories(StringBuilder b, java.util.List<RepositoryStats> repositories) {
    b.append('[');
    int i = 0;
    for (RepositoryStats r : repositories) {
      b.append(i++ == 0 ? "" : ",")
          .append("{\"namespace\":")
          .append(Escape.json(r.namespace()))
          .append(",\"name\":")
          .append(Escape.json(r.name()))
          .append(",\"pull_count\":")
          .append(r.pullCount())
          .append(",\"star_count\":")
          .append(r.starCount().isPresent() ? Long.toString(r.starCount().getAsLong()) : "null")
          .append(",\"last_updated\":")
          .append(time(r.lastUpdated()))
          .append('}');
    }
    b.append(']');
  }

  private static String time(Optional<Instant> t) {
    return t.map(x -> Escape.json(x.toString())).orElse("null");
  }
}
