package io.github.dockerpulls.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads the Insights of a chunk of repositories over a window: see {@link Insights}. */
final class InsightsQueries {
  private InsightsQueries() {}

  /** A row as stored. */
  private record Row(
      long start, int dimension, String key, long pulls, Long downloads, Long checks, Long ips) {}

  /**
   * The Insights of each of {@code ids} that has any in the window: the periods of length {@code
   * by} that start from the period holding {@code since} (in UTC, as Docker Hub counts them) and
   * before {@code until}.
   */
  static Map<Long, Insights> read(
      Connection c, Collection<Long> ids, Granularity by, Instant since, Instant until)
      throws SQLException {
    Map<Long, Insights> result = new HashMap<>();
    if (by == Granularity.DAY || ids.isEmpty()) {
      return result;
    }
    long from = by.floor(since.atZone(ZoneOffset.UTC)).toEpochSecond();
    Map<Long, List<Row>> rows = new LinkedHashMap<>();
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT repository_id, period_start, dimension, key, pulls, downloads,"
                + " version_checks, unique_ips FROM insight"
                + " WHERE "
                + Dialect.of(c).idIn("repository_id")
                + " AND granularity = ? AND period_start >= ? AND period_start < ?"
                + " ORDER BY repository_id, period_start")) {
      q.setString(1, HistoryDatabase.jsonIds(ids));
      q.setInt(2, InsightsBatch.code(by));
      q.setLong(3, from);
      q.setLong(4, until.getEpochSecond());
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          rows.computeIfAbsent(r.getLong(1), k -> new ArrayList<>())
              .add(
                  new Row(
                      r.getLong(2),
                      r.getInt(3),
                      r.getString(4),
                      r.getLong(5),
                      optional(r, 6),
                      optional(r, 7),
                      optional(r, 8)));
        }
      }
    }
    for (Map.Entry<Long, List<Row>> e : rows.entrySet()) {
      result.put(e.getKey(), insights(e.getValue(), by));
    }
    return result;
  }

  /** See {@link HistoryStore#insightFigures}. */
  static void figures(
      Connection c,
      String namespace,
      java.time.LocalDate since,
      java.util.function.Consumer<InsightFigure> out)
      throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT r.name, i.granularity, i.period_start, i.dimension, i.key, i.pulls,"
                + " i.downloads, i.version_checks, i.unique_ips FROM insight i"
                + " JOIN repository r ON r.id = i.repository_id"
                + " WHERE r.namespace = ? AND i.period_start >= ?"
                + " ORDER BY r.name, i.granularity, i.period_start, i.dimension, i.key")) {
      q.setString(1, namespace);
      q.setLong(2, since.atStartOfDay(ZoneOffset.UTC).toEpochSecond());
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          out.accept(
              new InsightFigure(
                  r.getInt(2) == 1 ? Granularity.WEEK : Granularity.MONTH,
                  Instant.ofEpochSecond(r.getLong(3)).atZone(ZoneOffset.UTC).toLocalDate(),
                  namespace,
                  r.getString(1),
                  InsightFigure.Dimension.values()[r.getInt(4)],
                  r.getString(5),
                  optional(r, 7),
                  optional(r, 8),
                  r.getLong(6),
                  optional(r, 9)));
        }
      }
    }
  }

  private static Insights insights(List<Row> rows, Granularity by) {
    TreeMap<Long, Insights.Figures> totals = new TreeMap<>();
    TreeMap<Long, long[]> tagSums = new TreeMap<>(); // a period's tags, when it has no total
    Map<String, List<Insights.Figures>> tagSeries = new LinkedHashMap<>();
    Map<Integer, Map<String, Insights.Breakdown>> breakdowns = new TreeMap<>();
    for (Row r : rows) {
      Instant start = Instant.ofEpochSecond(r.start());
      Instant end = by.next(start.atZone(ZoneOffset.UTC)).toInstant();
      Insights.Figures f =
          new Insights.Figures(start, end, r.pulls(), r.downloads(), r.checks(), r.ips());
      switch (r.dimension()) {
        case 0 -> totals.put(r.start(), f);
        case 1 -> tagSeries.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(f);
        default -> {
          breakdowns
              .computeIfAbsent(r.dimension(), k -> new LinkedHashMap<>())
              .merge(
                  r.key(),
                  new Insights.Breakdown(r.key(), r.pulls(), r.downloads(), r.checks()),
                  InsightsQueries::sum);
        }
      }
      if (r.dimension() == 1) {
        long[] sum = tagSums.computeIfAbsent(r.start(), k -> new long[1]);
        sum[0] = InsightsBatch.saturated(sum[0], r.pulls());
      }
    }
    // A period known only by its tags (a summary without repository rows): their sum.
    for (Map.Entry<Long, long[]> e : tagSums.entrySet()) {
      if (!totals.containsKey(e.getKey())) {
        Instant start = Instant.ofEpochSecond(e.getKey());
        totals.put(
            e.getKey(),
            new Insights.Figures(
                start,
                by.next(start.atZone(ZoneOffset.UTC)).toInstant(),
                e.getValue()[0],
                null,
                null,
                null));
      }
    }
    List<Insights.Tag> tags = new ArrayList<>(tagSeries.size());
    for (Map.Entry<String, List<Insights.Figures>> e : tagSeries.entrySet()) {
      long pulls = 0;
      Long downloads = null;
      Long checks = null;
      for (Insights.Figures f : e.getValue()) {
        pulls = InsightsBatch.saturated(pulls, f.pulls());
        downloads = plus(downloads, f.downloads());
        checks = plus(checks, f.versionChecks());
      }
      tags.add(new Insights.Tag(e.getKey(), pulls, downloads, checks, e.getValue()));
    }
    tags.sort(
        Comparator.comparing((Insights.Tag t) -> t.tag().equals(InsightsBatch.OTHER))
            .thenComparing(Insights.Tag::pulls, Comparator.reverseOrder())
            .thenComparing(Insights.Tag::tag));
    Map<String, List<Insights.Breakdown>> kept = new LinkedHashMap<>();
    for (Map.Entry<Integer, Map<String, Insights.Breakdown>> e : breakdowns.entrySet()) {
      List<Insights.Breakdown> list = new ArrayList<>(e.getValue().values());
      list.sort(
          Comparator.comparing((Insights.Breakdown b) -> b.key().equals(InsightsBatch.OTHER))
              .thenComparing(Insights.Breakdown::pulls, Comparator.reverseOrder())
              .thenComparing(Insights.Breakdown::key));
      kept.put(InsightFigure.Dimension.values()[e.getKey()].label(), list);
    }
    return new Insights(new ArrayList<>(totals.values()), tags, kept);
  }

  private static Insights.Breakdown sum(Insights.Breakdown a, Insights.Breakdown b) {
    return new Insights.Breakdown(
        a.key(),
        InsightsBatch.saturated(a.pulls(), b.pulls()),
        plus(a.downloads(), b.downloads()),
        plus(a.versionChecks(), b.versionChecks()));
  }

  private static Long plus(Long a, Long b) {
    return InsightsBatch.plus(a, b);
  }

  private static Long optional(ResultSet r, int column) throws SQLException {
    long v = r.getLong(column);
    return r.wasNull() ? null : v;
  }
}
