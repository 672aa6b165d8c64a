package io.github.dockerpulls.cli;

import com.squareup.moshi.JsonWriter;
import io.github.dockerpulls.exporter.metrics.HubRequestMetrics;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.SnapshotListener;
import io.github.dockerpulls.hub.TargetResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import okio.Buffer;

/**
 * The long-running commands' log on stderr: one line per refresh (targets, repositories, requests,
 * duration, rate limit left) and a warning per failed target, as text or as JSON lines for log
 * collectors. Messages never contain secrets (the Hub errors carry none).
 */
final class RefreshLog implements SnapshotListener {
  /** How log lines are written. */
  enum LogFormat {
    TEXT,
    JSON;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final PrintWriter err;
  private final LogFormat format;
  private final HubRequestMetrics requests;
  private final Clock clock;
  private long requestsBefore;

  RefreshLog(PrintWriter err, LogFormat format, HubRequestMetrics requests, Clock clock) {
    this.err = err;
    this.format = format;
    this.requests = requests;
    this.clock = clock;
  }

  @Override
  public synchronized void onSnapshot(Snapshot s) {
    long total = requests.total();
    long sent = total - requestsBefore;
    requestsBefore = total;
    int failed = s.failures().size();
    String seconds = String.format(Locale.ROOT, "%.2f", s.duration().toMillis() / 1000.0);
    StringBuilder text =
        new StringBuilder("refreshed ")
            .append(s.targets().size())
            .append(s.targets().size() == 1 ? " target" : " targets")
            .append(failed > 0 ? " (" + failed + " failed)" : "")
            .append(": ")
            .append(s.repositories().size())
            .append(" repositories, ")
            .append(sent)
            .append(" requests, ")
            .append(seconds)
            .append(" s");
    s.rateLimit()
        .ifPresent(
            r ->
                text.append(", API requests left ")
                    .append(r.remaining())
                    .append('/')
                    .append(r.limit()));
    log(
        failed > 0 ? "warn" : "info",
        text.toString(),
        Map.of(
            "targets",
            s.targets().size(),
            "failed",
            failed,
            "repositories",
            s.repositories().size(),
            "requests",
            sent,
            "duration_seconds",
            s.duration().toMillis() / 1000.0));
    for (TargetResult t : s.targets()) {
      t.error()
          // A rate-limited target is announced once, by the poller, with its retry time.
          .filter(e -> e.retryTime().isEmpty())
          .ifPresent(
              e ->
                  log(
                      "warn",
                      t.target().id() + ": " + ErrorText.hub(e),
                      Map.of("target", t.target().id(), "error", Format.errorKind(e))));
      if (t.okButEmpty()) {
        log(
            "warn",
            t.target().id() + ": Docker Hub lists no public repositories (is the name right?)",
            Map.of("target", t.target().id()));
      }
    }
  }

  /** One log line. */
  synchronized void log(String level, String message, Map<String, ?> fields) {
    String time = clock.instant().toString();
    if (format == LogFormat.TEXT) {
      err.println(time + " " + level.toUpperCase(Locale.ROOT) + " " + message);
    } else {
      Buffer buffer = new Buffer();
      try (JsonWriter json = JsonWriter.of(buffer)) {
        json.beginObject();
        json.name("time").value(time);
        json.name("level").value(level);
        json.name("msg").value(message);
        for (var field : new java.util.TreeMap<>(fields).entrySet()) {
          json.name(field.getKey());
          Object v = field.getValue();
          if (v instanceof Number n) {
            json.value(n);
          } else {
            json.value(String.valueOf(v));
          }
        }
        json.endObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      err.println(buffer.readUtf8());
    }
    err.flush();
  }
}
