package io.github.dockerpulls.history;

import io.github.dockerpulls.hub.Target;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The history's observations as OpenMetrics text, with their own timestamps: what {@code promtool
 * tsdb create-blocks-from openmetrics} turns into blocks, so that Prometheus gets the months before
 * it scraped dockerpulls (a backfill).
 *
 * <p>{@code dockerhub_repository_pulls_total{organization,repository}} is the exporter's counter:
 * it never goes down, as the history counts a drop of the Hub's figure as no pulls (its value is
 * the first observation's count in the window plus the pulls counted since). The Flask exporter's
 * gauge {@code docker_image_pulls{image,organization}}, on request, is the Hub's figure as
 * observed. Each repository's samples are written together, oldest first; a repository's whole
 * window is held at a time, never the whole history.
 */
public final class HistoryOpenMetrics {
  private HistoryOpenMetrics() {}

  /** Writes the targets' observations from {@code since} to {@code until}; the count of samples. */
  static long write(
      Connection c,
      List<Target> targets,
      Instant since,
      Instant until,
      boolean legacyGauge,
      Appendable out)
      throws SQLException, IOException {
    Map<Long, RepositoryName> repositories = HistoryQueries.select(c, targets);
    long samples = 0;
    out.append("# TYPE dockerhub_repository_pulls counter\n");
    out.append(
        "# HELP dockerhub_repository_pulls Total pulls of a Docker Hub repository since it was"
            + " created, from the dockerpulls history.\n");
    for (Map.Entry<Long, RepositoryName> e : repositories.entrySet()) {
      samples += series(c, e.getKey(), e.getValue(), since, until, false, out);
    }
    if (legacyGauge) {
      out.append("# TYPE docker_image_pulls gauge\n");
      out.append(
          "# HELP docker_image_pulls Docker image pulls, as the Flask exporter served them.\n");
      for (Map.Entry<Long, RepositoryName> e : repositories.entrySet()) {
        samples += series(c, e.getKey(), e.getValue(), since, until, true, out);
      }
    }
    out.append("# EOF\n");
    return samples;
  }

  private static long series(
      Connection c,
      long id,
      RepositoryName name,
      Instant since,
      Instant until,
      boolean gauge,
      Appendable out)
      throws SQLException, IOException {
    String labels =
        gauge
            ? "docker_image_pulls{image=\""
                + label(name.name())
                + "\",organization=\""
                + label(name.namespace())
                + "\"} "
            : "dockerhub_repository_pulls_total{organization=\""
                + label(name.namespace())
                + "\",repository=\""
                + label(name.name())
                + "\"} ";
    long[] samples = {0};
    long[] base = {-1, 0}; // the window's first count and running total
    StringBuilder b = new StringBuilder(4096);
    HistoryQueries.observations(
        c,
        id,
        since,
        until,
        (at, count, stars, pushed, growth) -> {
          if (base[0] < 0) {
            base[0] = count;
            base[1] = growth;
          }
          long value = gauge ? count : base[0] + (growth - base[1]);
          b.append(labels).append(value).append(' ').append(at).append('\n');
          samples[0]++;
          if (b.length() > 64 * 1024) {
            out.append(b);
            b.setLength(0);
          }
        });
    out.append(b);
    return samples[0];
  }

  /** A label value as OpenMetrics escapes it. */
  private static String label(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
