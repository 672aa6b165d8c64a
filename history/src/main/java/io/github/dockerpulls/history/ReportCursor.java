package io.github.dockerpulls.history;

import io.github.dockerpulls.history.HistoryFailures.Operation;
import io.github.dockerpulls.history.NeighbourSearch.Points;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A report read a chunk of repositories at a time, when the reader asks for the next: what an
 * answer written to a slow client needs, since nothing is computed before the client has taken what
 * came before. Holds a reading connection of its own until closed.
 */
public final class ReportCursor implements AutoCloseable {
  private final Connection reader;
  private final boolean owned;
  private final ReportQuery query;
  private final boolean withSeries;
  private final HistoryQueries.Window window;
  private final Map<Long, RepositoryName> repositories;
  private final List<Long> ids;
  private final List<Long> at;
  private HistoryLocation where;
  private int chunk = HistoryQueries.CHUNK;
  private int position;
  private String tags;

  ReportCursor(
      Connection reader, ReportQuery query, List<String> order, boolean withSeries, boolean owned)
      throws SQLException {
    this.reader = reader;
    this.owned = owned;
    this.query = query;
    this.withSeries = withSeries;
    this.window = HistoryQueries.Window.of(query);
    this.repositories = HistoryQueries.select(reader, query.targets());
    if (withSeries) {
      query.requireWithinCeiling(repositories.size());
    }
    this.ids = HistoryQueries.ordered(repositories, order);
    this.at = withSeries ? window.at() : window.totalsOnly(query.until());
  }

  /** Computes at most {@code repositories} repositories per {@link #next()}. */
  ReportCursor chunk(int repositories) {
    if (repositories < 1) {
      throw new IllegalArgumentException("a chunk holds at least one repository");
    }
    this.chunk = repositories;
    return this;
  }

  /**
   * Gives each repository its {@link Insights} too, and includes the repositories the history knows
   * only from Insights. Insights are weekly or monthly: by day there are none.
   */
  ReportCursor insights(String tags) {
    this.tags = query.by() == Granularity.DAY ? null : tags;
    if (this.tags != null) {
      // A repository's Insights are up to 30 rows a period: fewer repositories a chunk.
      this.chunk = Math.min(chunk, INSIGHTS_CHUNK);
    }
    return this;
  }

  /** The most repositories computed at once with their Insights. */
  static final int INSIGHTS_CHUNK = 20;

  /** Names the history in failures of {@link #next()}. */
  ReportCursor location(HistoryLocation where) {
    this.where = where;
    return this;
  }

  /** The first period's start. */
  public Instant since() {
    return window.start();
  }

  public Instant until() {
    return query.until();
  }

  public Granularity by() {
    return query.by();
  }

  public ZoneId zone() {
    return query.zone();
  }

  /** The next repositories with any observation, at most a chunk's; empty at the end. */
  public List<RepositoryHistory> next() throws HistoryException {
    try {
      return nextChunk();
    } catch (SQLException e) {
      throw HistoryFailures.translate(where, Operation.READ, e);
    }
  }

  List<RepositoryHistory> nextChunk() throws SQLException {
    while (position < ids.size()) {
      List<Long> part = ids.subList(position, Math.min(ids.size(), position + chunk));
      position += part.size();
      Map<Long, Points> points = NeighbourSearch.points(reader, part, at);
      Map<Long, Insights> read =
          tags != null
              ? InsightsQueries.read(reader, part, query.by(), query.since(), query.until())
              : Map.of();
      List<RepositoryHistory> result = new ArrayList<>(part.size());
      for (long id : part) {
        Points p = points.get(id);
        Insights i = read.get(id);
        i = i == null ? null : i.matching(tags);
        RepositoryName name = repositories.get(id);
        if (p != null) {
          RepositoryHistory h = HistoryQueries.history(name, p, window, query.until(), withSeries);
          result.add(i == null ? h : h.withInsights(i));
        } else if (i != null) {
          result.add(RepositoryHistory.insightsOnly(name.namespace(), name.name(), i));
        }
      }
      if (!result.isEmpty()) {
        return result;
      }
    }
    return List.of();
  }

  @Override
  public void close() {
    if (owned) {
      HistoryDatabase.closeQuietly(reader);
    }
  }
}
