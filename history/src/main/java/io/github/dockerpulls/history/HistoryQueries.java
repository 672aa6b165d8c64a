package io.github.dockerpulls.history;

import io.github.dockerpulls.history.NeighbourSearch.Points;
import io.github.dockerpulls.hub.Target;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The history's read side: which repositories a set of targets means, and the figures asked of them
 * (periods, latest observations, recent windows). Each read opens a connection of its own, so that
 * it never waits for a write.
 */
final class HistoryQueries {
  /** Above this many repository targets, they are found in one scan rather than one seek each. */
  private static final int FEW_TARGETS = 50;

  private HistoryQueries() {}

  /** Repositories whose figures are computed together: bounds the points held at once. */
  static final int CHUNK = 100;

  /** The instants a report needs: its periods' bounds, its end, the previous window's start. */
  record Window(
      List<Instant> boundaries,
      Instant lastEnd,
      Instant start,
      Instant previousStart,
      List<Long> at) {
    static Window of(ReportQuery q) {
      ZonedDateTime first = q.by().floor(q.since().atZone(q.zone()));
      List<Instant> boundaries = new ArrayList<>();
      for (ZonedDateTime t = first; t.toInstant().isBefore(q.until()); t = q.by().next(t)) {
        boundaries.add(t.toInstant());
      }
      Instant start = first.toInstant();
      if (boundaries.isEmpty()) {
        boundaries.add(start);
      }
      Instant lastEnd =
          q.by().next(boundaries.get(boundaries.size() - 1).atZone(q.zone())).toInstant();
      Instant previousStart = start.minus(Duration.between(start, q.until()));
      List<Long> at = new ArrayList<>(boundaries.size() + 2);
      for (Instant b : boundaries) {
        at.add(b.getEpochSecond());
      }
      at.add(q.until().getEpochSecond());
      at.add(previousStart.getEpochSecond());
      return new Window(boundaries, lastEnd, start, previousStart, at);
    }

    /** Only what the window totals need: its start, its end, the previous window's start. */
    List<Long> totalsOnly(Instant until) {
      return List.of(
          start.getEpochSecond(), until.getEpochSecond(), previousStart.getEpochSecond());
    }
  }

  /**
   * The report, written to {@code out} a repository at a time and computed {@value #CHUNK}
   * repositories at a time, in {@code order} (full names) or, when null, by namespace and name.
   *
   * @param withSeries false to leave each repository's series empty (only the window's figures)
   * @throws ReportQuery.TooLarge when the answer would exceed {@link ReportQuery#MAX_VALUES}
   */
  static void stream(
      Connection reader, ReportQuery q, List<String> order, boolean withSeries, ReportWriter out)
      throws SQLException, IOException {
    stream(reader, q, order, withSeries, null, out);
  }

  /** {@link #stream} with each repository's {@link Insights}, the tags {@code tags} matches. */
  static void stream(
      Connection reader,
      ReportQuery q,
      List<String> order,
      boolean withSeries,
      String tags,
      ReportWriter out)
      throws SQLException, IOException {
    ReportCursor cursor = new ReportCursor(reader, q, order, withSeries, false).insights(tags);
    out.begin(cursor.since(), cursor.until(), cursor.by(), cursor.zone());
    List<RepositoryHistory> chunk;
    while (!(chunk = cursor.nextChunk()).isEmpty()) {
      for (RepositoryHistory r : chunk) {
        out.repository(r);
      }
    }
    out.end();
  }

  /**
   * The ids of the targets' repositories in {@code order} (full names), those it does not name
   * after them in name order; all in name order without one.
   */
  static List<Long> ordered(Map<Long, RepositoryName> repositories, List<String> order) {
    if (order == null) {
      return new ArrayList<>(repositories.keySet());
    }
    Map<String, Long> byName = new HashMap<>();
    repositories.forEach((id, name) -> byName.put(name.fullName(), id));
    List<Long> ids = new ArrayList<>(repositories.size());
    java.util.Set<Long> placed = new java.util.HashSet<>();
    for (String name : order) {
      Long id = byName.get(name);
      if (id != null && placed.add(id)) {
        ids.add(id);
      }
    }
    // The rest (such as the repositories known only from Insights) follow in name order.
    for (Long id : repositories.keySet()) {
      if (!placed.contains(id)) {
        ids.add(id);
      }
    }
    return ids;
  }

  /** One stored observation, as {@link #observations} hands them over. */
  @FunctionalInterface
  interface ObservationVisitor {
    /**
     * @param stars the star count, or null when not known
     * @param lastUpdated the last push in epoch seconds, or null when not known
     * @param growth the running total of pulls counted up to this observation
     */
    void visit(long at, long pullCount, Long stars, Long lastUpdated, long growth)
        throws IOException;
  }

  /**
   * One repository's observations from {@code since} to {@code until}, both included, oldest first,
   * from both tables that keep them, one row at a time.
   */
  static void observations(
      Connection c, long repositoryId, Instant since, Instant until, ObservationVisitor visitor)
      throws SQLException, IOException {
    String columns = "observed_at, pull_count, star_count, last_updated, growth";
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT "
                + columns
                + " FROM observation WHERE repository_id = ? AND observed_at BETWEEN ? AND ?"
                + " UNION ALL SELECT "
                + columns
                + " FROM recent WHERE repository_id = ? AND observed_at BETWEEN ? AND ?"
                + " ORDER BY observed_at")) {
      for (int i = 0; i < 2; i++) {
        q.setLong(1 + 3 * i, repositoryId);
        q.setLong(2 + 3 * i, since.getEpochSecond());
        q.setLong(3 + 3 * i, until.getEpochSecond());
      }
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          long stars = r.getLong(3);
          Long knownStars = r.wasNull() ? null : stars;
          long pushed = r.getLong(4);
          Long knownPush = r.wasNull() ? null : pushed;
          visitor.visit(r.getLong(1), r.getLong(2), knownStars, knownPush, r.getLong(5));
        }
      }
    }
  }

  /** The shortest gap between observations that makes a period's figure an estimate. */
  static final long GAP_FLOOR_SECONDS = 2 * 3600;

  static RepositoryHistory history(
      RepositoryName name, Points p, Window w, Instant until, boolean withSeries) {
    Growth growth = p.growth();
    long end = until.getEpochSecond();
    List<Period> periods = new ArrayList<>(withSeries ? w.boundaries().size() : 0);
    if (withSeries) {
      List<Instant> boundaries = w.boundaries();
      for (int i = 0; i < boundaries.size(); i++) {
        Instant a = boundaries.get(i);
        Instant b = i + 1 < boundaries.size() ? boundaries.get(i + 1) : w.lastEnd();
        long to = Math.min(b.getEpochSecond(), end);
        double coverage = coverage(p, a.getEpochSecond(), to);
        // A gap longer than the period (and than two hours) at one of its bounds: estimated.
        long tolerance = Math.max(GAP_FLOOR_SECONDS, b.getEpochSecond() - a.getEpochSecond());
        boolean estimated =
            coverage > 0 && (p.inGap(a.getEpochSecond(), tolerance) || p.inGap(to, tolerance));
        periods.add(
            new Period(
                a,
                b,
                coverage == 0 ? null : growth.pulls(a.getEpochSecond(), to),
                coverage,
                estimated));
      }
    }
    long start = w.start().getEpochSecond();
    long previousStart = w.previousStart().getEpochSecond();
    double coverage = coverage(p, start, end);
    // A change against the window before says something only when that window is known whole.
    boolean previousCovered = p.firstAt() <= previousStart && p.latestAt() >= start;
    return new RepositoryHistory(
        name.namespace(),
        name.name(),
        p.latestCount(),
        Instant.ofEpochSecond(p.latestAt()),
        coverage == 0 ? null : growth.pulls(start, end),
        previousCovered ? growth.pulls(previousStart, start) : null,
        Instant.ofEpochSecond(p.firstAt()),
        coverage,
        periods);
  }

  /**
   * The share of {@code [from, to)} between the repository's first and latest observation, rounded
   * to four decimals: 0 when the history covers none of it.
   */
  static double coverage(Points p, long from, long to) {
    if (to <= from) {
      return 0;
    }
    long covered = Math.min(to, p.latestAt()) - Math.max(from, p.firstAt());
    if (covered <= 0) {
      return 0;
    }
    // Any covered time counts: a few seconds of a day round up to the least share, not to 0.
    double share = Math.round(10_000.0 * covered / (to - from)) / 10_000.0;
    return Math.min(1, Math.max(0.0001, share));
  }

  /** See {@link HistoryStore#report}: the whole answer in memory, for small questions. */
  static HistoryReport report(Connection reader, ReportQuery q) throws SQLException {
    Collected collected = new Collected();
    try {
      stream(reader, q, null, true, collected);
    } catch (IOException e) {
      throw new IllegalStateException("collecting in memory does not fail", e);
    }
    return collected.report;
  }

  /** A writer that keeps the report in memory. */
  private static final class Collected implements ReportWriter {
    private final List<RepositoryHistory> repositories = new ArrayList<>();
    private Instant since;
    private Instant until;
    private Granularity by;
    private ZoneId zone;
    HistoryReport report;

    @Override
    public void begin(Instant since, Instant until, Granularity by, ZoneId zone) {
      this.since = since;
      this.until = until;
      this.by = by;
      this.zone = zone;
    }

    @Override
    public void repository(RepositoryHistory repository) {
      repositories.add(repository);
    }

    @Override
    public void end() {
      report = new HistoryReport(since, until, by, zone, repositories);
    }
  }

  /** See {@link HistoryStore#latest}. */
  static List<Observation> latest(Connection reader, List<Target> targets) throws SQLException {
    List<Observation> result = new ArrayList<>();
    Map<Long, RepositoryName> repositories = select(reader, targets);
    try (PreparedStatement q =
            reader.prepareStatement(
                "SELECT l.repository_id, l.observed_at, l.pull_count,"
                    + " coalesce(r.star_count, o.star_count),"
                    + " coalesce(r.last_updated, o.last_updated)"
                    + " FROM latest l"
                    + " LEFT JOIN recent r"
                    + " ON r.repository_id = l.repository_id AND r.observed_at = l.observed_at"
                    + " LEFT JOIN observation o"
                    + " ON o.repository_id = l.repository_id AND o.observed_at = l.observed_at");
        ResultSet rows = q.executeQuery()) {
      while (rows.next()) {
        RepositoryName name = repositories.get(rows.getLong(1));
        if (name == null) {
          continue;
        }
        long stars = rows.getLong(4);
        boolean hasStars = !rows.wasNull();
        long updated = rows.getLong(5);
        boolean hasUpdated = !rows.wasNull();
        result.add(
            new Observation(
                name.namespace(),
                name.name(),
                Instant.ofEpochSecond(rows.getLong(2)),
                rows.getLong(3),
                hasStars ? OptionalLong.of(stars) : OptionalLong.empty(),
                hasUpdated ? Optional.of(Instant.ofEpochSecond(updated)) : Optional.empty()));
      }
    }
    result.sort(Comparator.comparing(Observation::namespace).thenComparing(Observation::name));
    return result;
  }

  /**
   * See {@link HistoryStore#growth}; {@code known} are the repositories as the writer knows them,
   * or null to look them up.
   */
  static Map<String, RecentPulls> growth(
      Connection reader,
      HistoryWriter.Known known,
      List<Target> targets,
      Instant until,
      List<Duration> windows)
      throws SQLException {
    Map<String, RecentPulls> result = new LinkedHashMap<>();
    List<Long> at = new ArrayList<>();
    at.add(until.getEpochSecond());
    for (Duration w : windows) {
      at.add(until.minus(w).getEpochSecond());
    }
    Map<Long, RepositoryName> repositories =
        known != null ? known.names() : select(reader, targets);
    Map<Long, Points> points =
        NeighbourSearch.points(
            reader, repositories.keySet(), at, known != null ? known.latest() : null);
    long end = until.getEpochSecond();
    for (Map.Entry<Long, RepositoryName> e : repositories.entrySet()) {
      Points p = points.get(e.getKey());
      List<Long> values = new ArrayList<>(windows.size());
      Instant coveredFrom = null;
      if (p != null) {
        coveredFrom = Instant.ofEpochSecond(p.firstAt());
        Growth g = p.growth();
        for (Duration w : windows) {
          long start = until.minus(w).getEpochSecond();
          values.add(coverage(p, start, end) == 0 ? null : g.pulls(start, end));
        }
      } else {
        windows.forEach(w -> values.add(null));
      }
      result.put(e.getValue().fullName(), new RecentPulls(coveredFrom, values));
    }
    return result;
  }

  /**
   * Repository ids and names for the targets (every recorded repository of an organization), in
   * namespace and name order.
   */
  static Map<Long, RepositoryName> select(Connection c, List<Target> targets) throws SQLException {
    TreeMap<String, Long> order = new TreeMap<>();
    Map<Long, RepositoryName> names = new HashMap<>();
    boolean anyOrganization = targets.stream().anyMatch(t -> t instanceof Target.Organization);
    if (anyOrganization || targets.size() > FEW_TARGETS) {
      Set<String> namespaces = new HashSet<>();
      Set<String> repositories = new HashSet<>();
      for (Target t : targets) {
        if (t instanceof Target.Repository r) {
          repositories.add(r.id());
        } else {
          namespaces.add(((Target.Organization) t).namespace());
        }
      }
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT id, namespace, name FROM repository")) {
        while (r.next()) {
          RepositoryName name = new RepositoryName(r.getString(2), r.getString(3));
          if (namespaces.contains(name.namespace()) || repositories.contains(name.fullName())) {
            order.put(name.fullName(), r.getLong(1));
            names.put(r.getLong(1), name);
          }
        }
      }
    } else {
      try (PreparedStatement q =
          c.prepareStatement("SELECT id FROM repository WHERE namespace = ? AND name = ?")) {
        for (Target t : targets) {
          Target.Repository r = (Target.Repository) t;
          q.setString(1, r.namespace());
          q.setString(2, r.name());
          try (ResultSet rs = q.executeQuery()) {
            if (rs.next()) {
              order.put(r.id(), rs.getLong(1));
              names.put(rs.getLong(1), new RepositoryName(r.namespace(), r.name()));
            }
          }
        }
      }
    }
    Map<Long, RepositoryName> sorted = new LinkedHashMap<>();
    for (long id : order.values()) {
      sorted.put(id, names.get(id));
    }
    return sorted;
  }

  /**
   * Every observation of {@code repositories} from {@code from} to {@code to} (epoch seconds), in
   * time order, handed to {@code out} one instant at a time: the observations that share a second,
   * as a refresh recorded them. Rows are read as they come (a cursor on PostgreSQL), so memory
   * holds one instant, whatever the range.
   *
   * @return the observations handed out
   */
  static long replay(
      Connection c,
      Map<Long, RepositoryName> repositories,
      long from,
      long to,
      java.util.function.Consumer<List<Observation>> out)
      throws SQLException {
    if (repositories.isEmpty()) {
      return 0;
    }
    Dialect d = Dialect.of(c);
    String json = HistoryDatabase.jsonIds(repositories.keySet());
    String columns = "observed_at, repository_id, pull_count, star_count, last_updated";
    String sql =
        "SELECT "
            + columns
            + " FROM (SELECT "
            + columns
            + " FROM observation WHERE observed_at BETWEEN ? AND ? AND "
            + d.idIn("repository_id")
            + " UNION ALL SELECT "
            + columns
            + " FROM recent WHERE observed_at BETWEEN ? AND ? AND "
            + d.idIn("repository_id")
            + ") AS o ORDER BY observed_at, repository_id";
    boolean autoCommit = c.getAutoCommit();
    if (d == Dialect.POSTGRESQL) {
      c.setAutoCommit(false); // PostgreSQL fetches in batches only inside a transaction
    }
    long count = 0;
    try (PreparedStatement q = c.prepareStatement(sql)) {
      q.setFetchSize(5_000);
      for (int part = 0; part < 2; part++) {
        q.setLong(1 + part * 3, from);
        q.setLong(2 + part * 3, to);
        q.setString(3 + part * 3, json);
      }
      List<Observation> instant = new ArrayList<>();
      long at = Long.MIN_VALUE;
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          long t = r.getLong(1);
          if (t != at && !instant.isEmpty()) {
            out.accept(List.copyOf(instant));
            instant.clear();
          }
          at = t;
          RepositoryName name = repositories.get(r.getLong(2));
          long stars = r.getLong(4);
          java.util.OptionalLong starCount =
              r.wasNull() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(stars);
          long pushed = r.getLong(5);
          java.util.Optional<Instant> lastUpdated =
              r.wasNull()
                  ? java.util.Optional.empty()
                  : java.util.Optional.of(Instant.ofEpochSecond(pushed));
          instant.add(
              new Observation(
                  name.namespace(),
                  name.name(),
                  Instant.ofEpochSecond(t),
                  r.getLong(3),
                  starCount,
                  lastUpdated));
          count++;
        }
      }
      if (!instant.isEmpty()) {
        out.accept(List.copyOf(instant));
      }
    } finally {
      if (d == Dialect.POSTGRESQL) {
        c.rollback();
        c.setAutoCommit(autoCommit);
      }
    }
    return count;
  }
}
