package io.github.dockerpulls.history;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Arrays;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * The history's database: how it is recognised (an SQLite file by its header and {@code PRAGMA
 * application_id}, a PostgreSQL database by its {@code meta} table), connected to, created and
 * migrated, and the few SQL conventions the other parts share (the {@code meta} table, id lists as
 * JSON arrays, optional integers).
 */
final class HistoryDatabase {
  /** {@code PRAGMA application_id}: "DPLS", which tells our files from other SQLite files. */
  static final int APPLICATION_ID = 0x44504c53;

  /**
   * {@code PRAGMA user_version}: the schema this code writes. 1: the pull counts; 2: Docker Hub
   * Insights beside them ({@code insight}).
   */
  static final int SCHEMA_VERSION = 2;

  /** How long a write waits for another process's write to finish. */
  static final int BUSY_TIMEOUT_MS = 30_000;

  private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  private HistoryDatabase() {}

  /**
   * Refuses, from the first 100 bytes alone and without loading the SQLite driver, a file that is
   * plainly not a usable history. A missing or empty file passes, as does anything the header
   * cannot judge.
   */
  static void checkHeader(Path file) throws HistoryException {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw HistoryFailures.notAFile(file);
    }
    byte[] header = new byte[100];
    int read = 0;
    try (var in = Files.newInputStream(file)) {
      int n;
      while (read < header.length && (n = in.read(header, read, header.length - read)) > 0) {
        read += n;
      }
    } catch (IOException missingOrUnreadable) {
      return; // opening says what is wrong, or creates the file
    }
    if (read == 0) {
      return;
    }
    if (read < header.length || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw HistoryFailures.damaged(file, null);
    }
    ByteBuffer fields = ByteBuffer.wrap(header); // big-endian, as SQLite writes them
    int version = fields.getInt(60);
    int applicationId = fields.getInt(68);
    if (applicationId != 0 && applicationId != APPLICATION_ID) {
      throw HistoryFailures.foreign(file);
    }
    if (applicationId == APPLICATION_ID && version > SCHEMA_VERSION) {
      throw HistoryFailures.newer(file, version, SCHEMA_VERSION);
    }
  }

  /**
   * The writing connection, on a history that is ours (created or migrated here when it is new or
   * older). On SQLite, in WAL mode, and its transactions take the write lock when they begin, so
   * that two writers queue behind the busy timeout instead of one failing at once when it upgrades
   * a read.
   */
  static Connection openWriter(HistoryLocation where) throws SQLException, HistoryException {
    Properties p = new Properties();
    if (where.dialect() == Dialect.SQLITE) {
      p.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
      p.setProperty("transaction_mode", "IMMEDIATE");
      // A refresh touches one page per repository: keep them in memory between refreshes.
      p.setProperty("cache_size", "-32768");
    }
    Connection c = where.connect(p);
    try {
      if (where.dialect() == Dialect.SQLITE) {
        checkAndMigrate(c, where);
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA journal_mode=WAL");
          s.execute("PRAGMA synchronous=NORMAL");
        }
      } else {
        checkAndMigrateShared(c, where);
      }
      return c;
    } catch (SQLException | HistoryException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** A reading connection: each read has its own, so that it never waits for a write. */
  static Connection openReader(HistoryLocation where) throws SQLException {
    Properties p = new Properties();
    if (where.dialect() == Dialect.SQLITE) {
      p.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
    }
    return where.connect(p);
  }

  /** Refuses a file that is not ours before anything is written to it; creates or migrates. */
  private static void checkAndMigrate(Connection c, HistoryLocation where)
      throws SQLException, HistoryException {
    int applicationId = pragma(c, "application_id");
    int version = pragma(c, "user_version");
    int tables;
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
      tables = r.next() ? r.getInt(1) : 0;
    }
    if (applicationId == 0 && tables == 0) {
      createSchema(c, Dialect.SQLITE);
      return;
    }
    if (applicationId != APPLICATION_ID) {
      throw HistoryFailures.foreign(where);
    }
    if (version > SCHEMA_VERSION) {
      throw HistoryFailures.newer(where, version, SCHEMA_VERSION);
    }
    if (version < 2) {
      inTransaction(c, Dialect.SQLITE, HistoryDatabase::createInsights, 2);
    }
  }

  /** The tables of the schema: a shared database that holds any of them must be ours. */
  private static final java.util.List<String> TABLES =
      java.util.List.of("repository", "observation", "recent", "latest", "meta", "insight");

  /**
   * A PostgreSQL database: the schema is created in it when none of its tables are there; another
   * program's tables of the same names, and a newer schema, are refused. (Histories on PostgreSQL
   * began with schema 2: a later schema adds its migration steps here.) Replicas that start at once
   * take their turn on the writers' lock, so one creates and the others find.
   */
  private static void checkAndMigrateShared(Connection c, HistoryLocation where)
      throws SQLException, HistoryException {
    Dialect d = Dialect.POSTGRESQL;
    d.beginWrite(c);
    try {
      java.util.Set<String> found = new java.util.HashSet<>();
      try (PreparedStatement q =
          c.prepareStatement(
              "SELECT table_name FROM information_schema.tables WHERE table_schema ="
                  + " current_schema()")) {
        try (ResultSet r = q.executeQuery()) {
          while (r.next()) {
            found.add(r.getString(1));
          }
        }
      }
      found.retainAll(TABLES);
      if (found.isEmpty()) {
        try (Statement s = c.createStatement()) {
          createTables(s, d);
          setMeta(c, "application_id", APPLICATION_ID);
          setMeta(c, "schema_version", SCHEMA_VERSION);
        }
        c.commit();
        return;
      }
      if (!found.contains("meta") || meta(c, "application_id", 0) != APPLICATION_ID) {
        throw HistoryFailures.foreign(where);
      }
      long version = meta(c, "schema_version", 0);
      if (version > SCHEMA_VERSION) {
        throw HistoryFailures.newer(where, (int) version, SCHEMA_VERSION);
      }
      c.commit();
    } catch (SQLException | HistoryException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // The failure being thrown says what went wrong.
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * A step of the schema (creating it, or one migration forward) in a transaction of its own,
   * leaving the file at version {@code to}.
   */
  private static void inTransaction(Connection c, Dialect d, SqlStep step, int to)
      throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      step.run(s, d);
      s.execute("PRAGMA user_version=" + to);
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private interface SqlStep {
    void run(Statement s, Dialect d) throws SQLException;
  }

  /**
   * Docker Hub Insights: totals of a complete week or month, never readings of a counter. One row
   * per repository, period and figure: the repository's own ({@code dimension} 0, {@code key}
   * empty), a tag or digest (1), a country (2), a cloud provider (3), a client (4). Only the
   * largest are kept per repository and period, the rest summed under {@code (other)}: see {@link
   * InsightsBatch}.
   */
  private static void createInsights(Statement s, Dialect d) throws SQLException {
    s.execute(
        d.ddl(
            "CREATE TABLE insight ("
                + " repository_id INTEGER NOT NULL REFERENCES repository (id),"
                + " granularity INTEGER NOT NULL,"
                + " period_start INTEGER NOT NULL,"
                + " dimension INTEGER NOT NULL,"
                + " key TEXT NOT NULL,"
                + " source INTEGER NOT NULL,"
                + " pulls INTEGER NOT NULL,"
                + " downloads INTEGER,"
                + " version_checks INTEGER,"
                + " unique_ips INTEGER,"
                + " PRIMARY KEY (repository_id, granularity, period_start, dimension, key))"
                + " WITHOUT ROWID"));
  }

  private static void createSchema(Connection c, Dialect d) throws SQLException {
    inTransaction(
        c,
        d,
        (s, dialect) -> {
          createTables(s, dialect);
          s.execute("PRAGMA application_id=" + APPLICATION_ID);
        },
        SCHEMA_VERSION);
  }

  /** Every table of the current schema. */
  private static void createTables(Statement s, Dialect d) throws SQLException {
    s.execute(
        d.ddl(
            "CREATE TABLE repository ("
                + " id INTEGER PRIMARY KEY,"
                + " namespace TEXT NOT NULL,"
                + " name TEXT NOT NULL,"
                + " UNIQUE (namespace, name))"));
    // Older observations, by repository: one per hour, then one per day, after thinning.
    s.execute(
        d.ddl(
            "CREATE TABLE observation ("
                + " repository_id INTEGER NOT NULL REFERENCES repository (id),"
                + " observed_at INTEGER NOT NULL,"
                + " pull_count INTEGER NOT NULL,"
                + " star_count INTEGER,"
                + " last_updated INTEGER,"
                + " growth INTEGER NOT NULL,"
                + " PRIMARY KEY (repository_id, observed_at)) WITHOUT ROWID"));
    // The newest observations, by time: a refresh appends to the end instead of touching a
    // page per repository.
    s.execute(
        d.ddl(
            "CREATE TABLE recent ("
                + " observed_at INTEGER NOT NULL,"
                + " repository_id INTEGER NOT NULL REFERENCES repository (id),"
                + " pull_count INTEGER NOT NULL,"
                + " star_count INTEGER,"
                + " last_updated INTEGER,"
                + " growth INTEGER NOT NULL,"
                + " PRIMARY KEY (observed_at, repository_id)) WITHOUT ROWID"));
    // Per repository its first and its latest observation.
    s.execute(
        d.ddl(
            "CREATE TABLE latest ("
                + " repository_id INTEGER PRIMARY KEY REFERENCES repository (id),"
                + " first_at INTEGER NOT NULL,"
                + " first_growth INTEGER NOT NULL,"
                + " observed_at INTEGER NOT NULL,"
                + " pull_count INTEGER NOT NULL,"
                + " growth INTEGER NOT NULL)"));
    if (d == Dialect.POSTGRESQL) {
      // A repository's newest observations without reading every repository's of the same
      // times (SQLite answers these from its key order instead).
      s.execute(
          "CREATE INDEX recent_by_repository ON recent (repository_id, observed_at)"
              + " INCLUDE (growth)");
    }
    s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    createInsights(s, d);
  }

  static int pragma(Connection c, String name) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("PRAGMA " + name)) {
      return r.next() ? r.getInt(1) : 0;
    }
  }

  /** A number kept in the {@code meta} table, or {@code fallback}. */
  static long meta(Connection c, String key, long fallback) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      q.setString(1, key);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? Long.parseLong(r.getString(1)) : fallback;
      }
    }
  }

  static void setMeta(Connection c, String key, long value) throws SQLException {
    try (PreparedStatement u =
        c.prepareStatement(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
                + " ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
      u.setString(1, key);
      u.setString(2, Long.toString(value));
      u.executeUpdate();
    }
  }

  /** Ids as a JSON array, for {@link Dialect#idIn}: one bound parameter. */
  static String jsonIds(Collection<Long> ids) {
    StringBuilder b = new StringBuilder(2 + ids.size() * 6).append('[');
    for (long id : ids) {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append(id);
    }
    return b.append(']').toString();
  }

  static void setOptional(PreparedStatement p, int index, OptionalLong value) throws SQLException {
    if (value.isPresent()) {
      p.setLong(index, value.getAsLong());
    } else {
      p.setNull(index, Types.INTEGER);
    }
  }

  /** {@code seconds} down to a multiple of {@code bucket}. */
  static long floor(long seconds, long bucket) {
    return Math.floorDiv(seconds, bucket) * bucket;
  }

  static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Nothing left to do with it.
      }
    }
  }
}
