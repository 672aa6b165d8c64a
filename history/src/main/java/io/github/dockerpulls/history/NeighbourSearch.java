package io.github.dockerpulls.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The query planner behind every figure: for each repository, its first and latest observation and
 * the observations just before and just after each instant asked for. Interpolating the cumulative
 * growth between those gives the exact value at each instant, whatever lies between them, without
 * reading every observation.
 *
 * <p>Thinned observations ({@code observation}) are kept by repository and found by seeks; the
 * newest ({@code recent}) are kept by time and found by short scans around each instant.
 */
final class NeighbourSearch {
  /** Within this far of an instant the newest observations are searched for its neighbours. */
  private static final long NEIGHBOURHOOD = 15 * 60;

  /** Up to this many instants, each is searched near itself; more read the range between. */
  private static final int FEW_INSTANTS = 8;

  /** Up to this many repositories, scans of the newest observations filter by id. */
  private static final int FEW_REPOSITORIES = 100;

  private NeighbourSearch() {}

  /** Known points of one repository's cumulative growth, and its latest total. */
  static final class Points {
    private final TreeMap<Long, Long> growth = new TreeMap<>();
    private final long firstAt;
    private final long latestAt;
    private final long latestCount;

    private Points(long firstAt, long latestAt, long latestCount) {
      this.firstAt = firstAt;
      this.latestAt = latestAt;
      this.latestCount = latestCount;
    }

    /** The repository's first observation: the history covers it from then on. */
    long firstAt() {
      return firstAt;
    }

    long latestAt() {
      return latestAt;
    }

    long latestCount() {
      return latestCount;
    }

    /**
     * Whether {@code t}, inside the span the observations cover, falls between two observations
     * more than {@code tolerance} seconds apart: a figure split there is an interpolation across a
     * gap.
     */
    boolean inGap(long t, long tolerance) {
      if (t <= firstAt || t >= latestAt) {
        return false;
      }
      Long before = growth.floorKey(t);
      Long after = growth.ceilingKey(t);
      if (before == null || after == null || before == t || after == t) {
        return false;
      }
      return after - before > tolerance;
    }

    Growth growth() {
      long[] times = new long[growth.size()];
      long[] values = new long[growth.size()];
      int i = 0;
      for (Map.Entry<Long, Long> e : growth.entrySet()) {
        times[i] = e.getKey();
        values[i] = e.getValue();
        i++;
      }
      return Growth.ofCumulative(times, values);
    }
  }

  /** The points around each of {@code at} (epoch seconds) of each repository that has any. */
  static Map<Long, Points> points(Connection c, Collection<Long> ids, List<Long> at)
      throws SQLException {
    return points(c, ids, at, null);
  }

  /**
   * {@link #points(Connection, Collection, List)}, with the repositories' first and latest
   * observations as the writer holds them in memory ({@code latest}, null to read them).
   */
  static Map<Long, Points> points(
      Connection c, Collection<Long> ids, List<Long> at, Map<Long, HistoryWriter.Latest> latest)
      throws SQLException {
    Map<Long, Points> points = new HashMap<>();
    if (ids.isEmpty()) {
      return points;
    }
    String json = HistoryDatabase.jsonIds(ids);
    if (latest != null) {
      for (long id : ids) {
        HistoryWriter.Latest l = latest.get(id);
        if (l != null) {
          Points p = new Points(l.firstAt(), l.at(), l.count());
          p.growth.put(l.firstAt(), l.firstGrowth());
          p.growth.put(l.at(), l.growth());
          points.put(id, p);
        }
      }
    } else {
      readLatest(c, json, points);
    }
    return pointsAround(c, ids, json, at, points);
  }

  private static void readLatest(Connection c, String json, Map<Long, Points> points)
      throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT repository_id, first_at, first_growth, observed_at, pull_count, growth FROM"
                + " latest WHERE "
                + Dialect.of(c).idIn("repository_id"))) {
      q.setString(1, json);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          Points p = new Points(r.getLong(2), r.getLong(4), r.getLong(5));
          p.growth.put(r.getLong(2), r.getLong(3));
          p.growth.put(p.latestAt, r.getLong(6));
          points.put(r.getLong(1), p);
        }
      }
    }
  }

  private static Map<Long, Points> pointsAround(
      Connection c, Collection<Long> ids, String json, List<Long> at, Map<Long, Points> points)
      throws SQLException {
    long recentFrom = Long.MAX_VALUE;
    long recentUntil = Long.MIN_VALUE;
    // Two queries: SQLite answers min() or max() alone from the key, both at once with a scan.
    try (Statement s = c.createStatement();
        ResultSet first = s.executeQuery("SELECT min(observed_at) FROM recent")) {
      if (first.next() && first.getObject(1) != null) {
        recentFrom = first.getLong(1);
      }
    }
    try (Statement s = c.createStatement();
        ResultSet last = s.executeQuery("SELECT max(observed_at) FROM recent")) {
      if (last.next() && last.getObject(1) != null) {
        recentUntil = last.getLong(1);
      }
    }
    // At or after this instant every repository's latest observation is its neighbour.
    long newestCommon = Long.MAX_VALUE;
    for (Points p : points.values()) {
      newestCommon = Math.min(newestCommon, p.latestAt);
    }
    Window recent = new Window(recentFrom, recentUntil, newestCommon);
    if (at.size() <= FEW_INSTANTS) {
      thinnedNearEach(c, ids, json, at, recent, points);
    } else {
      thinnedBetween(c, json, at, points);
    }
    recentNearEach(c, ids, json, at, recent, points);
    return points;
  }

  /**
   * What the newest observations span, and the instant from which every repository's latest
   * observation is its neighbour.
   */
  private record Window(long from, long until, long newestCommon) {
    boolean isEmpty() {
      return from == Long.MAX_VALUE;
    }
  }

  private static String neighbourSql(Dialect d, String aggregate, String comparison) {
    return "SELECT o.repository_id, o.observed_at, o.growth FROM "
        + d.idJoin("observation", "o")
        + " ON o.repository_id = j.value AND o.observed_at = (SELECT "
        + aggregate
        + "(p.observed_at) FROM observation p WHERE p.repository_id = j.value AND p.observed_at "
        + comparison
        + " ?)";
  }

  /** The thinned observations of the ids bound first between the two instants bound next. */
  private static String betweenSql(Dialect d) {
    return "SELECT o.repository_id, o.observed_at, o.growth FROM "
        + d.idJoin("observation", "o")
        + " ON o.repository_id = j.value AND o.observed_at BETWEEN ? AND ?";
  }

  /**
   * Per repository the first ({@code min}) or last ({@code max}) of the newest observations between
   * two bound instants, of the ids bound third when {@code filtered}.
   */
  private static String nearestRecentSql(Dialect d, String aggregate, boolean filtered) {
    if (filtered && d == Dialect.POSTGRESQL) {
      // One seek per id into recent's index by repository: the range holds every repository's
      // rows, which PostgreSQL would otherwise read all of to keep a hundred.
      return "SELECT CAST(j.id AS bigint), o.observed_at, o.growth FROM (SELECT CAST(? AS bigint)"
          + " AS lo, CAST(? AS bigint) AS hi, CAST(? AS json) AS ids) p CROSS JOIN LATERAL"
          + " json_array_elements_text(p.ids) AS j (id) CROSS JOIN LATERAL (SELECT r.observed_at,"
          + " r.growth FROM recent r WHERE r.repository_id = CAST(j.id AS bigint) AND"
          + " r.observed_at BETWEEN p.lo AND p.hi ORDER BY r.observed_at"
          + (aggregate.equals("max") ? " DESC" : "")
          + " LIMIT 1) o";
    }
    return d.extremePerGroup(
        aggregate,
        "repository_id",
        "growth",
        "recent",
        "observed_at BETWEEN ? AND ?" + (filtered ? " AND " + d.idIn("repository_id") : ""),
        "repository_id");
  }

  /**
   * A few instants: the thinned observations within one bucket of each, which are its neighbours;
   * an exact seek only for the repositories that have none on a side.
   */
  private static void thinnedNearEach(
      Connection c,
      Collection<Long> ids,
      String json,
      List<Long> at,
      Window recent,
      Map<Long, Points> points)
      throws SQLException {
    long dailyUntil = HistoryDatabase.meta(c, "compacted_daily_until", 0);
    Dialect d = Dialect.of(c);
    try (PreparedStatement before = c.prepareStatement(neighbourSql(d, "max", "<="));
        PreparedStatement after = c.prepareStatement(neighbourSql(d, "min", ">="));
        PreparedStatement near = c.prepareStatement(betweenSql(d))) {
      for (long t : at) {
        if (t > recent.from() || t >= recent.newestCommon()) {
          continue; // the newest observations, or the latest, hold the neighbours
        }
        // A repository first observed after t has no neighbour before it, and its first
        // observation, known already, is the one after: only the others are searched. (A young
        // history's 30-day boundary would otherwise seek every repository twice in vain.)
        List<Long> older = new ArrayList<>();
        for (long id : ids) {
          Points p = points.get(id);
          if (p != null && p.firstAt <= t) {
            older.add(id);
          }
        }
        if (older.isEmpty()) {
          continue;
        }
        long span = t < dailyUntil ? 86400 : 3600;
        near.setString(1, older.size() == ids.size() ? json : HistoryDatabase.jsonIds(older));
        near.setLong(2, t - span);
        near.setLong(3, t + span);
        Set<Long> below = new HashSet<>();
        Set<Long> above = new HashSet<>();
        try (ResultSet r = near.executeQuery()) {
          while (r.next()) {
            Points p = points.get(r.getLong(1));
            if (p != null) {
              p.growth.put(r.getLong(2), r.getLong(3));
              (r.getLong(2) <= t ? below : above).add(r.getLong(1));
            }
          }
        }
        seekMissing(before, older, below, t, points);
        List<Long> stillMissing = seekMissing(after, older, above, t, points);
        if (!stillMissing.isEmpty() && !recent.isEmpty()) {
          // Moved no further than the last thinning: the next one is among the newest.
          recentNeighbours(
              c,
              nearestRecentSql(d, "min", true),
              Math.max(t, recent.from()),
              recent.until(),
              HistoryDatabase.jsonIds(stillMissing),
              points);
        }
      }
    }
  }

  /** Many instants: every thinned observation between the first and the last, and one each side. */
  private static void thinnedBetween(
      Connection c, String json, List<Long> at, Map<Long, Points> points) throws SQLException {
    long lo = at.stream().mapToLong(Long::longValue).min().getAsLong();
    long hi = at.stream().mapToLong(Long::longValue).max().getAsLong();
    Dialect d = Dialect.of(c);
    try (PreparedStatement before = c.prepareStatement(neighbourSql(d, "max", "<="));
        PreparedStatement after = c.prepareStatement(neighbourSql(d, "min", ">="));
        PreparedStatement range = c.prepareStatement(betweenSql(d))) {
      before.setString(1, json);
      before.setLong(2, lo);
      collect(before, points);
      after.setString(1, json);
      after.setLong(2, hi);
      collect(after, points);
      range.setString(1, json);
      range.setLong(2, lo);
      range.setLong(3, hi);
      collect(range, points);
    }
  }

  /**
   * The newest observations are kept by time: near each instant, one scan of a short range, then,
   * for the repositories it did not find (a longer interval, a gap), a scan as far as the newest
   * observations reach.
   */
  private static void recentNearEach(
      Connection c,
      Collection<Long> ids,
      String json,
      List<Long> at,
      Window recent,
      Map<Long, Points> points)
      throws SQLException {
    Dialect d = Dialect.of(c);
    boolean few = ids.size() <= FEW_REPOSITORIES;
    for (long t : at) {
      if (t + NEIGHBOURHOOD < recent.from() || t >= recent.newestCommon() || t > recent.until()) {
        continue;
      }
      Set<Long> below =
          recentNeighbours(
              c, nearestRecentSql(d, "max", few), t - NEIGHBOURHOOD, t, few ? json : null, points);
      Set<Long> above =
          t < recent.until()
              ? recentNeighbours(
                  c,
                  nearestRecentSql(d, "min", few),
                  t,
                  t + NEIGHBOURHOOD,
                  few ? json : null,
                  points)
              : new HashSet<>(ids);
      List<Long> missingBelow = new ArrayList<>();
      List<Long> missingAbove = new ArrayList<>();
      for (long id : ids) {
        if (!below.contains(id)) {
          missingBelow.add(id);
        }
        if (!above.contains(id)) {
          missingAbove.add(id);
        }
      }
      if (!missingBelow.isEmpty()) {
        recentNeighbours(
            c,
            nearestRecentSql(d, "max", true),
            recent.from(),
            t,
            HistoryDatabase.jsonIds(missingBelow),
            points);
      }
      if (!missingAbove.isEmpty()) {
        recentNeighbours(
            c,
            nearestRecentSql(d, "min", true),
            t,
            recent.until(),
            HistoryDatabase.jsonIds(missingAbove),
            points);
      }
    }
  }

  /** Adds the rows of one neighbour query on {@code recent}; returns the repositories found. */
  private static Set<Long> recentNeighbours(
      Connection c, String sql, long from, long to, String json, Map<Long, Points> points)
      throws SQLException {
    try (PreparedStatement q = c.prepareStatement(sql)) {
      q.setLong(1, from);
      q.setLong(2, to);
      if (json != null) {
        q.setString(3, json);
      }
      return collect(q, points);
    }
  }

  /**
   * The exact neighbour on one side of {@code t} among the thinned observations, for the
   * repositories not in {@code found}; returns those that have none there either.
   */
  private static List<Long> seekMissing(
      PreparedStatement q, Collection<Long> ids, Set<Long> found, long t, Map<Long, Points> points)
      throws SQLException {
    List<Long> missing = new ArrayList<>();
    for (long id : ids) {
      if (!found.contains(id)) {
        missing.add(id);
      }
    }
    if (missing.isEmpty()) {
      return missing;
    }
    q.setString(1, HistoryDatabase.jsonIds(missing));
    q.setLong(2, t);
    Set<Long> got = collect(q, points);
    missing.removeIf(got::contains);
    return missing;
  }

  /** Adds the points a neighbour query found; returns the repositories it found them for. */
  private static Set<Long> collect(PreparedStatement q, Map<Long, Points> points)
      throws SQLException {
    Set<Long> found = new HashSet<>();
    try (ResultSet r = q.executeQuery()) {
      while (r.next()) {
        Points p = points.get(r.getLong(1));
        if (p != null) {
          p.growth.put(r.getLong(2), r.getLong(3));
          found.add(r.getLong(1));
        }
      }
    }
    return found;
  }
}
