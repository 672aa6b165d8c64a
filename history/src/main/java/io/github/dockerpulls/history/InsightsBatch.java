package io.github.dockerpulls.history;

import io.github.dockerpulls.history.HistoryFailures.Operation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Docker Hub Insights on their way into the history: figures are summed by repository, period,
 * dimension and key as they come (a trends report's rows per country, cloud and client add up to
 * per-tag figures), and each {@link #commit} replaces, in one transaction, what the history held
 * for the periods and dimensions staged since the one before. Importing the same figures twice thus
 * gives the same history as once, and an import cut off keeps every commit made before.
 *
 * <p>Per repository and period at most {@value #TAGS_KEPT} tags (or digests) and {@value
 * #BREAKDOWN_KEPT} countries, cloud providers and clients each are kept, the largest by pulls; the
 * rest is summed under {@value #OTHER}. The repository's own figure is kept whole.
 *
 * <p>Memory stays bounded whatever the input: at most {@value #BUFFERED} sums are held, the rest
 * waits in a temporary table on disk. Not thread-safe.
 */
public final class InsightsBatch implements AutoCloseable {
  /** Tags or digests kept per repository and period. */
  public static final int TAGS_KEPT = 10;

  /** Countries, cloud providers and clients kept, each, per repository and period. */
  public static final int BREAKDOWN_KEPT = 5;

  /** The key of the figures summed beyond the ones kept: no tag can be named so. */
  public static final String OTHER = "(other)";

  /** The key of the pulls that named no tag (by digest), from a trends report's {@code \N}. */
  public static final String UNTAGGED = "(untagged)";

  static final int BUFFERED = 20_000;

  private static final String META_PREFIX = "insights:";

  private final HistoryLocation where;
  private final Dialect dialect;
  private final Source source;
  private final Connection connection;
  private final Map<Key, Sum> buffer = new HashMap<>();
  private long staged;

  private record Key(
      String namespace, String name, int by, long start, int dimension, String key) {}

  private static final class Sum {
    long pulls;
    Long downloads;
    Long versionChecks;
    Long uniqueIps;

    void add(InsightFigure f) {
      pulls = saturated(pulls, f.pulls());
      downloads = plus(downloads, f.downloads());
      versionChecks = plus(versionChecks, f.versionChecks());
      uniqueIps = max(uniqueIps, f.uniqueIps());
    }
  }

  /** What figures come from; stored as a small number beside them. Never reorder. */
  public enum Source {
    /** The DVP Data API's JSON pulls. */
    API,
    /** The DVP Data API's exported files. */
    EXPORT,
    /** A summary report downloaded from Docker Hub's web pages. */
    FILE,
    /** A trends report downloaded from Docker Hub's web pages. */
    TRENDS_FILE;

    int code() {
      return ordinal() + 1;
    }
  }

  InsightsBatch(HistoryLocation where, Source source) throws HistoryException {
    this.where = where;
    this.dialect = where.dialect();
    this.source = source;
    Connection c = null;
    try {
      c = HistoryDatabase.openReader(where);
      try (Statement s = c.createStatement()) {
        if (dialect == Dialect.SQLITE) {
          s.execute("PRAGMA cache_size=-8192");
          s.execute("PRAGMA synchronous=NORMAL");
        }
        s.execute(
            dialect.ddl(
                "CREATE TEMP TABLE insight_stage ("
                    + " namespace TEXT NOT NULL, name TEXT NOT NULL, granularity INTEGER NOT NULL,"
                    + " period_start INTEGER NOT NULL, dimension INTEGER NOT NULL, key TEXT NOT NULL,"
                    + " pulls INTEGER NOT NULL, downloads INTEGER, version_checks INTEGER,"
                    + " unique_ips INTEGER,"
                    + " PRIMARY KEY (namespace, name, granularity, period_start, dimension, key))"
                    + " WITHOUT ROWID"));
      }
      this.connection = c;
    } catch (SQLException e) {
      HistoryDatabase.closeQuietly(c);
      throw HistoryFailures.translate(where, Operation.WRITE, e);
    }
  }

  /** How a granularity is stored. */
  static int code(Granularity by) {
    return switch (by) {
      case WEEK -> 1;
      case MONTH -> 2;
      case DAY -> throw new IllegalArgumentException("Insights are weekly or monthly");
    };
  }

  /** Adds a figure to what the next {@link #commit} stores. */
  public void add(InsightFigure f) throws HistoryException {
    String key = f.dimension() == InsightFigure.Dimension.REPOSITORY ? "" : f.key();
    Key k =
        new Key(
            f.namespace(),
            f.name(),
            code(f.by()),
            f.start().atStartOfDay(ZoneOffset.UTC).toEpochSecond(),
            f.dimension().ordinal(),
            key);
    buffer.computeIfAbsent(k, x -> new Sum()).add(f);
    if (buffer.size() >= BUFFERED) {
      flush();
    }
  }

  /** The figures added since the last commit, distinct sums counted once. */
  public long pending() {
    return staged + buffer.size();
  }

  /**
   * Whether a unit of work ({@code key}, such as one exported file) was committed by an earlier
   * import, so that a resumed import can pass it over.
   */
  public boolean done(String key) throws HistoryException {
    try {
      return HistoryDatabase.meta(connection, META_PREFIX + key, -1) >= 0;
    } catch (SQLException | NumberFormatException e) {
      return false;
    }
  }

  /**
   * What one commit stored.
   *
   * @param periods the repositories' periods whose figures it replaced
   * @param rows the rows it wrote, {@value #OTHER} included
   */
  public record Result(long periods, long rows) {}

  /**
   * Stores what was added since the last commit, replacing the history's figures of the same
   * repositories, periods and dimensions, in one transaction.
   *
   * @param doneKeys units of work to mark as done in the same transaction (see {@link #done})
   */
  public Result commit(String... doneKeys) throws HistoryException {
    try {
      flush();
      return apply(doneKeys);
    } catch (SQLException e) {
      rollbackQuietly();
      throw HistoryFailures.translate(where, Operation.WRITE, e);
    }
  }

  private Result apply(String[] doneKeys) throws SQLException {
    try (Statement s = connection.createStatement()) {
      boolean sqlite = dialect == Dialect.SQLITE;
      if (sqlite) {
        // The write lock at once: other writers queue behind the busy timeout.
        s.execute("BEGIN IMMEDIATE");
      } else {
        dialect.beginWrite(connection);
      }
      // WHERE true: SQLite would otherwise read ON CONFLICT as the join's constraint.
      s.executeUpdate(
          "INSERT INTO repository (namespace, name)"
              + " SELECT DISTINCT namespace, name FROM insight_stage WHERE true"
              + " ON CONFLICT DO NOTHING");
      long periods;
      try (ResultSet r =
          s.executeQuery(
              "SELECT count(*) FROM (SELECT DISTINCT namespace, name, granularity, period_start"
                  + " FROM insight_stage) AS p")) {
        periods = r.next() ? r.getLong(1) : 0;
      }
      s.executeUpdate(
          "DELETE FROM insight WHERE (repository_id, granularity, period_start, dimension) IN"
              + " (SELECT r.id, s.granularity, s.period_start, s.dimension FROM insight_stage s"
              + " JOIN repository r ON r.namespace = s.namespace AND r.name = s.name)");
      String ranked =
          "WITH ranked AS (SELECT r.id AS repository_id, s.granularity, s.period_start,"
              + " s.dimension, s.key, s.pulls, s.downloads, s.version_checks, s.unique_ips,"
              + " row_number() OVER (PARTITION BY r.id, s.granularity, s.period_start, s.dimension"
              + " ORDER BY s.key = '"
              + OTHER
              + "', s.pulls DESC, s.key) AS rank"
              + " FROM insight_stage s JOIN repository r ON r.namespace = s.namespace"
              + " AND r.name = s.name) ";
      String limit =
          "CASE dimension WHEN 0 THEN 1 WHEN 1 THEN "
              + TAGS_KEPT
              + " ELSE "
              + BREAKDOWN_KEPT
              + " END";
      long rows;
      try (PreparedStatement kept =
          connection.prepareStatement(
              ranked
                  + "INSERT INTO insight (repository_id, granularity, period_start, dimension,"
                  + " key, source, pulls, downloads, version_checks, unique_ips)"
                  + " SELECT repository_id, granularity, period_start, dimension, key, ?, pulls,"
                  + " downloads, version_checks, unique_ips FROM ranked"
                  + " WHERE rank <= "
                  + limit
                  + " AND key <> '"
                  + OTHER
                  + "'")) {
        kept.setInt(1, source.code());
        rows = kept.executeUpdate();
      }
      try (PreparedStatement other =
          connection.prepareStatement(
              ranked
                  + "INSERT INTO insight (repository_id, granularity, period_start, dimension,"
                  + " key, source, pulls, downloads, version_checks, unique_ips)"
                  + " SELECT repository_id, granularity, period_start, dimension, '"
                  + OTHER
                  + "', ?, sum(pulls), sum(downloads), sum(version_checks), NULL FROM ranked"
                  + " WHERE dimension <> 0 AND (rank > "
                  + limit
                  + " OR key = '"
                  + OTHER
                  + "') GROUP BY repository_id, granularity, period_start, dimension")) {
        other.setInt(1, source.code());
        rows += other.executeUpdate();
      }
      s.executeUpdate("DELETE FROM insight_stage");
      for (String key : doneKeys) {
        HistoryDatabase.setMeta(
            connection, META_PREFIX + key, java.time.Instant.now().getEpochSecond());
      }
      dialect.written(connection);
      if (sqlite) {
        s.execute("COMMIT");
      } else {
        connection.commit();
        connection.setAutoCommit(true);
      }
      staged = 0;
      return new Result(periods, rows);
    }
  }

  private void flush() throws HistoryException {
    if (buffer.isEmpty()) {
      return;
    }
    try (PreparedStatement p =
        connection.prepareStatement(
            "INSERT INTO insight_stage (namespace, name, granularity, period_start, dimension,"
                + " key, pulls, downloads, version_checks, unique_ips)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (namespace, name, granularity, period_start, dimension, key)"
                + " DO UPDATE SET pulls = "
                + saturatedSql("insight_stage.pulls", "excluded.pulls")
                + ", downloads = "
                + plusSql("downloads")
                + ", version_checks = "
                + plusSql("version_checks")
                + ", unique_ips = "
                + dialect.greatest(
                    "coalesce(insight_stage.unique_ips, excluded.unique_ips)",
                    "coalesce(excluded.unique_ips, insight_stage.unique_ips)"))) {
      boolean began = connection.getAutoCommit();
      connection.setAutoCommit(false);
      for (Map.Entry<Key, Sum> e : buffer.entrySet()) {
        Key k = e.getKey();
        Sum v = e.getValue();
        p.setString(1, k.namespace());
        p.setString(2, k.name());
        p.setInt(3, k.by());
        p.setLong(4, k.start());
        p.setInt(5, k.dimension());
        p.setString(6, k.key());
        p.setLong(7, v.pulls);
        setNullable(p, 8, v.downloads);
        setNullable(p, 9, v.versionChecks);
        setNullable(p, 10, v.uniqueIps);
        p.addBatch();
      }
      p.executeBatch();
      connection.commit();
      connection.setAutoCommit(began);
      staged += buffer.size();
      buffer.clear();
    } catch (SQLException e) {
      rollbackQuietly();
      throw HistoryFailures.translate(where, Operation.WRITE, e);
    }
  }

  private static String plusSql(String column) {
    String stored = "insight_stage." + column;
    return "CASE WHEN "
        + stored
        + " IS NULL THEN excluded."
        + column
        + " WHEN excluded."
        + column
        + " IS NULL THEN "
        + stored
        + " ELSE "
        + saturatedSql(stored, "excluded." + column)
        + " END";
  }

  /** {@code a + b} in SQL, stopping at the largest integer (SQLite would turn to a real). */
  private static String saturatedSql(String a, String b) {
    return "CASE WHEN "
        + a
        + " > "
        + Long.MAX_VALUE
        + " - "
        + b
        + " THEN "
        + Long.MAX_VALUE
        + " ELSE "
        + a
        + " + "
        + b
        + " END";
  }

  private static void setNullable(PreparedStatement p, int i, Long v) throws SQLException {
    if (v == null) {
      p.setNull(i, Types.INTEGER);
    } else {
      p.setLong(i, v);
    }
  }

  /** The sum of two counts either of which may be unknown (null), stopping at the largest long. */
  static Long plus(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(saturated(a, b));
  }

  /** A sum of counts that stops at the largest long instead of wrapping to a negative one. */
  static long saturated(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  private static Long max(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
  }

  private void rollbackQuietly() {
    try {
      if (!connection.getAutoCommit()) {
        connection.rollback();
        connection.setAutoCommit(true);
      } else {
        try (Statement s = connection.createStatement()) {
          s.execute("ROLLBACK");
        }
      }
    } catch (SQLException ignored) {
      // Nothing was in progress, or the connection is gone: closing ends it either way.
    }
  }

  /** Drops what was added and not committed. */
  @Override
  public void close() {
    buffer.clear();
    HistoryDatabase.closeQuietly(connection);
  }
}
