package io.github.dockerpulls.history;

import io.github.dockerpulls.hub.Target;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
    long samples = 0;
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT observed_at, pull_count, growth FROM observation"
                + " WHERE repository_id = ? AND observed_at BETWEEN ? AND ?"
                + " UNION ALL SELECT observed_at, pull_count, growth FROM recent"
                + " WHERE repository_id = ? AND observed_at BETWEEN ? AND ?"
                + " ORDER BY observed_at")) {
      for (int i = 0; i < 2; i++) {
        q.setLong(1 + 3 * i, id);
        q.setLong(2 + 3 * i, since.getEpochSecond());
        q.setLong(3 + 3 * i, until.getEpochSecond());
      }
      long base = -1;
      long firstGrowth = 0;
      StringBuilder b = new StringBuilder(4096);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          long at = r.getLong(1);
          long count = r.getLong(2);
          long growth = r.getLong(3);
          if (base < 0) {
            base = count;
            firstGrowth = growth;
          }
          long value = gauge ? count : base + (growth - firstGrowth);
          b.append(labels).append(value).append(' ').append(at).append('\n');
          samples++;
          if (b.length() > 64 * 1024) {
            out.append(b);
            b.setLength(0);
          }
        }
      }
      out.append(b);
    }
    return samples;
  }

  /** A label value as OpenMetrics escapes it. */
  private static String label(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
