package io.github.dockerpulls.exporter.web;

import io.github.dockerpulls.exporter.metrics.ExporterView;
import io.github.dockerpulls.exporter.metrics.SinkState;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.text.Escape;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The dashboard's figures rendered on the server, for a browser without JavaScript: the last
 * refresh, the limits and the sink, each target's state and every repository, as plain tables. The
 * dashboard at {@code /} embeds them in {@code <noscript>}.
 */
public final class NoScriptFigures {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private NoScriptFigures() {}

  /**
   * The figures as HTML tables.
   *
   * @param sink the Elasticsearch sink's state, or null without a sink
   */
  public static String content(ExporterView view, SinkState sink) {
    StringBuilder h = new StringBuilder(4096 + view.repositories().size() * 160);
    h.append("<p>Last refresh: ")
        .append(
            view.refreshedAt()
                .or(view::lastRefresh)
                .map(TIME::format)
                .orElse("none yet (the first one is under way)"));
    if (view.refreshedAt().isPresent()
        && view.lastRefresh().isPresent()
        && !TIME.format(view.refreshedAt().get()).equals(TIME.format(view.lastRefresh().get()))) {
      h.append(" (recorded as of ").append(TIME.format(view.lastRefresh().get())).append(')');
    }
    view.rateLimit()
        .ifPresent(
            r ->
                h.append(" · Docker Hub API requests left: ")
                    .append(r.remaining())
                    .append(" of ")
                    .append(r.limit()));
    view.pullLimit()
        .ifPresent(
            p ->
                h.append(" · registry pulls left: ")
                    .append(
                        p.isUnlimited()
                            ? "unlimited"
                            : p.remaining().isPresent()
                                ? p.remaining().getAsLong() + " of " + p.limit().getAsLong()
                                : "unknown"));
    h.append("</p>\n");
    if (sink != null) {
      h.append("<p>Elasticsearch: ")
          .append(
              sink.lastDelivery()
                  .map(t -> "last delivery " + TIME.format(t))
                  .orElse("nothing delivered yet"))
          .append(" · waiting in the spool: ")
          .append(sink.spooledSnapshots())
          .append(sink.spooledSnapshots() == 1 ? " snapshot" : " snapshots")
          .append(sink.oldestSpooled().map(t -> ", the oldest from " + TIME.format(t)).orElse(""))
          .append(" · dropped since start: ")
          .append(sink.droppedTotal())
          .append("</p>\n");
    }

    h.append("<h2>Targets</h2>\n<table><thead><tr><th>Target</th><th>State</th>")
        .append("<th>Repositories</th><th>Last success</th><th>Error</th></tr></thead><tbody>\n");
    for (ExporterView.TargetState t : view.targets()) {
      h.append("<tr><td>")
          .append(Escape.html(t.target().id()))
          .append("</td><td class=\"")
          .append(
              t.up()
                  ? "up\">up"
                  : t.rateLimitedUntil().isPresent()
                      ? "down\">rate limited until " + TIME.format(t.rateLimitedUntil().get())
                      : "down\">down")
          .append("</td><td class=\"n\">")
          .append(t.repositories().size())
          .append("</td><td>")
          .append(t.lastSuccess().map(TIME::format).orElse("never"))
          .append("</td><td>")
          .append(Escape.html(t.error().orElse("")))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");

    h.append("<h2>Repositories (")
        .append(view.repositories().size())
        .append(")</h2>\n<table><thead><tr><th>Organization</th><th>Repository</th>")
        .append("<th>Pulls</th><th>Stars</th><th>Last updated</th></tr></thead><tbody>\n");
    for (RepositoryStats r : view.repositories()) {
      h.append("<tr><td>")
          .append(Escape.html(r.namespace()))
          .append("</td><td>")
          .append(Escape.html(r.name()))
          .append("</td><td class=\"n\">")
          .append(String.format(Locale.ROOT, "%,d", r.pullCount()))
          .append("</td><td class=\"n\">")
          .append(
              r.starCount().isPresent()
                  ? String.format(Locale.ROOT, "%,d", r.starCount().getAsLong())
                  : "-")
          .append("</td><td>")
          .append(r.lastUpdated().map(TIME::format).orElse("-"))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");
    return h.toString();
  }
}
