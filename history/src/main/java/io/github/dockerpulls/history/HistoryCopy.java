package io.github.dockerpulls.history;

import io.github.dockerpulls.history.HistoryFailures.Operation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Moves a whole history from one place to another (an SQLite file to a PostgreSQL database, or
 * back), table by table as stored, so that nothing is computed again: the repositories with their
 * ids, every observation with its running total, each repository's first and latest, the Insights
 * figures and the marks of thinning and of finished imports.
 *
 * <p>The target must hold no history yet. Everything is written in one transaction, so a copy that
 * fails leaves the target as it was; rows are read and written a batch at a time, so memory does
 * not grow with the history. At the end the rows of each table are counted on both sides.
 */
public final class HistoryCopy {
  /** The tables in the order their references need. */
  private static final List<Table> TABLES =
      List.of(
          new Table("repository", "id, namespace, name"),
          new Table(
              "observation",
              "repository_id, observed_at, pull_count, star_count, last_updated, growth"),
          new Table(
              "recent", "observed_at, repository_id, pull_count, star_count, last_updated, growth"),
          new Table(
              "latest", "repository_id, first_at, first_growth, observed_at, pull_count, growth"),
          new Table(
              "insight",
              "repository_id, granularity, period_start, dimension, key, source, pulls,"
                  + " downloads, version_checks, unique_ips"));

  /** The {@code meta} keys that describe one database rather than the history it holds. */
  private static final List<String> OWN_KEYS =
      List.of("application_id", "schema_version", Dialect.WRITES);

  private static final int BATCH = 5_000;

  private record Table(String name, String columns) {
    int width() {
      return columns.split(",").length;
    }
  }

  private HistoryCopy() {}

  /**
   * Copies the history at {@code from} into the empty history at {@code to} (created when missing).
   *
   * @param progress told, now and then, the table being copied and the rows copied of it so far
   * @return the rows of each table, as counted on both sides after the copy
   * @throws HistoryException when either cannot be opened, the target already holds a history, or
   *     the counts differ after the copy
   */
  public static Map<String, Long> copy(
      HistoryLocation from, HistoryLocation to, BiConsumer<String, Long> progress)
      throws HistoryException {
    if (from.equals(to)) {
      throw new HistoryException(
          HistoryException.Kind.UNUSABLE, "the history cannot be copied onto itself", null);
    }
    Connection source = null;
    Connection target = null;
    try {
      try {
        // Opened once as the writer would, so that an older schema is brought forward; then
        // read through a connection that never takes the write lock.
        HistoryDatabase.openWriter(from).close();
        source = HistoryDatabase.openReader(from);
      } catch (SQLException e) {
        throw HistoryFailures.translate(from, Operation.READ, e);
      }
      try {
        target = HistoryDatabase.openWriter(to);
      } catch (SQLException e) {
        throw HistoryFailures.translate(to, Operation.OPEN, e);
      }
      long already;
      try {
        already = count(target, "repository");
      } catch (SQLException e) {
        throw HistoryFailures.translate(to, Operation.READ, e);
      }
      if (already > 0) {
        throw new HistoryException(
            HistoryException.Kind.UNUSABLE,
            to
                + " already holds a history ("
                + already
                + (already == 1 ? " repository" : " repositories")
                + "); copy into an empty one",
            null);
      }
      Dialect targetDialect = to.dialect();
      try {
        // A consistent view of the source for the whole copy, and a cursor on PostgreSQL.
        source.setAutoCommit(false);
        targetDialect.beginWrite(target);
        for (Table t : TABLES) {
          copyTable(source, target, t, progress);
        }
        copyMeta(source, target);
        if (targetDialect == Dialect.POSTGRESQL) {
          try (Statement s = target.createStatement()) {
            s.executeQuery(
                    "SELECT setval(pg_get_serial_sequence('repository', 'id'),"
                        + " (SELECT coalesce(max(id), 0) + 1 FROM repository), false)")
                .close();
          }
        }
        targetDialect.written(target);
        target.commit();
      } catch (SQLException e) {
        rollbackQuietly(target);
        throw HistoryFailures.translate(to, Operation.WRITE, e);
      } finally {
        rollbackQuietly(source);
      }
      Map<String, Long> counts = new LinkedHashMap<>();
      try {
        for (Table t : TABLES) {
          long there = count(target, t.name());
          long here = count(source, t.name());
          if (there != here) {
            throw new HistoryException(
                HistoryException.Kind.UNWRITABLE,
                "the copy is incomplete: "
                    + t.name()
                    + " has "
                    + here
                    + " rows in "
                    + from
                    + " and "
                    + there
                    + " in "
                    + to,
                null);
          }
          counts.put(t.name(), there);
        }
      } catch (SQLException e) {
        throw HistoryFailures.translate(to, Operation.READ, e);
      }
      return Collections.unmodifiableMap(counts);
    } finally {
      HistoryDatabase.closeQuietly(source);
      HistoryDatabase.closeQuietly(target);
    }
  }

  private static void copyTable(
      Connection source, Connection target, Table t, BiConsumer<String, Long> progress)
      throws SQLException {
    int width = t.width();
    String marks = "?" + ", ?".repeat(width - 1);
    long copied = 0;
    try (Statement read = source.createStatement();
        PreparedStatement write =
            target.prepareStatement(
                "INSERT INTO " + t.name() + " (" + t.columns() + ") VALUES (" + marks + ")")) {
      read.setFetchSize(BATCH);
      try (ResultSet r =
          read.executeQuery(
              "SELECT " + t.columns() + " FROM " + t.name() + " ORDER BY " + firstColumns(t))) {
        int pending = 0;
        while (r.next()) {
          for (int i = 1; i <= width; i++) {
            Object v = r.getObject(i);
            if (v == null) {
              write.setNull(i, java.sql.Types.BIGINT);
            } else if (v instanceof Number n) {
              write.setLong(i, n.longValue());
            } else {
              write.setString(i, v.toString());
            }
          }
          write.addBatch();
          if (++pending == BATCH) {
            write.executeBatch();
            copied += pending;
            pending = 0;
            progress.accept(t.name(), copied);
          }
        }
        if (pending > 0) {
          write.executeBatch();
          copied += pending;
        }
      }
    }
    progress.accept(t.name(), copied);
  }

  /** The key's first columns, so that rows go in in the order the target's key keeps them. */
  private static String firstColumns(Table t) {
    String[] c = t.columns().split(",\\s*");
    return t.name().equals("repository") ? "id" : c[0] + ", " + c[1];
  }

  private static void copyMeta(Connection source, Connection target) throws SQLException {
    try (Statement s = source.createStatement();
        ResultSet r = s.executeQuery("SELECT key, value FROM meta");
        PreparedStatement upsert =
            target.prepareStatement(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                    + " ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
      while (r.next()) {
        String key = r.getString(1);
        if (!OWN_KEYS.contains(key)) {
          upsert.setString(1, key);
          upsert.setString(2, r.getString(2));
          upsert.executeUpdate();
        }
      }
    }
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
      return r.next() ? r.getLong(1) : 0;
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      if (c != null && !c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException ignored) {
      // The connection is closed next.
    }
  }
}
