package io.github.dockerpulls.history;

import io.github.dockerpulls.hub.testing.RealPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where the history's tests keep their histories: an SQLite file in the test's directory, or, when
 * the system property {@value #PROPERTY} is {@code postgresql} (the build's second run of the
 * suite), a database of its own per directory on a real PostgreSQL server, so that the same tests
 * check both.
 */
public final class Histories {
  public static final String PROPERTY = "dockerpulls.test.history";

  private static final Map<Path, HistoryLocation> databases = new HashMap<>();
  private static int created;

  private Histories() {}

  /** Whether this run of the suite is on PostgreSQL. */
  public static boolean onPostgresql() {
    return "postgresql".equals(System.getProperty(PROPERTY));
  }

  /** The history the tests of {@code dir} use: the same one each time for the same directory. */
  public static synchronized HistoryLocation at(Path dir) {
    if (!onPostgresql()) {
      return HistoryLocation.sqlite(dir);
    }
    return databases.computeIfAbsent(dir, d -> newDatabase());
  }

  /** A new, empty database on the shared server. */
  public static synchronized HistoryLocation newDatabase() {
    String name = "history_" + (++created);
    create(name);
    return database(name);
  }

  /** The database {@code name} on the shared server, created or not. */
  public static HistoryLocation database(String name) {
    RealPostgres server = RealPostgres.shared();
    return HistoryLocation.postgresql(server.url(name), server.password());
  }

  /** Creates the empty database {@code name} on the shared server, dropping one of that name. */
  public static void create(String name) {
    RealPostgres server = RealPostgres.shared();
    try (Connection c = admin(server);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new AssertionError("cannot create a test database: " + e.getMessage(), e);
    }
  }

  private static Connection admin(RealPostgres server) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", RealPostgres.USER);
    p.setProperty("password", server.password());
    return DriverManager.getConnection(server.jdbcUrl("postgres"), p);
  }

  public static HistoryStore open(Path dir, Retention retention, Clock clock)
      throws HistoryException {
    return HistoryStore.open(at(dir), retention, clock);
  }

  /** A connection of the test's (or a benchmark's) own to the history at {@code where}. */
  public static Connection connect(HistoryLocation where) throws SQLException {
    return HistoryDatabase.openReader(where);
  }

  /** A connection of the test's own to the history of {@code dir}. */
  public static Connection connect(Path dir) throws SQLException {
    return HistoryDatabase.openReader(at(dir));
  }
}
