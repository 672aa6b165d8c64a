package io.github.dockerpulls.history;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a history lives: an SQLite file in a directory, the embedded answer for one process, or a
 * PostgreSQL database that several processes (replicas of {@code serve}) share.
 *
 * <p>A PostgreSQL location is written as {@code postgresql://HOST[:PORT]/DATABASE?user=NAME}, with
 * PostgreSQL's own {@code sslmode} (disable, allow, prefer, require, verify-ca, verify-full),
 * {@code sslrootcert}, {@code sslcert}, {@code sslkey}, {@code connect_timeout} (seconds) and
 * {@code application_name}. The password is given apart from the URL (see {@link #postgresql}); one
 * in the URL is accepted but never shown. {@link #toString()} never holds the password.
 */
public final class HistoryLocation {
  /** The URL parameters a PostgreSQL location accepts, by the name the JDBC driver gives them. */
  private static final Map<String, String> PARAMETERS =
      Map.of(
          "user", "user",
          "password", "password",
          "sslmode", "sslmode",
          "sslrootcert", "sslrootcert",
          "sslcert", "sslcert",
          "sslkey", "sslkey",
          "connect_timeout", "connectTimeout",
          "application_name", "ApplicationName");

  private static final List<String> SSL_MODES =
      List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  private final Path file;
  private final String jdbcUrl;
  private final String shown;
  private final Properties properties;

  private HistoryLocation(Path file, String jdbcUrl, String shown, Properties properties) {
    this.file = file;
    this.jdbcUrl = jdbcUrl;
    this.shown = shown;
    this.properties = properties;
  }

  /** The SQLite file {@value HistoryStore#FILE_NAME} in {@code directory}. */
  public static HistoryLocation sqlite(Path directory) {
    Path file = directory.resolve(HistoryStore.FILE_NAME);
    return new HistoryLocation(file, "jdbc:sqlite:" + file, file.toString(), new Properties());
  }

  /** Whether {@code text} is written as a PostgreSQL location ({@code postgresql://...}). */
  public static boolean isPostgresql(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    return t.startsWith("postgresql://") || t.startsWith("postgres://");
  }

  /**
   * A PostgreSQL database.
   *
   * @param url {@code postgresql://HOST[:PORT]/DATABASE?user=NAME[&sslmode=...]}
   * @param password the password, or null for none (or the one in the URL)
   * @throws IllegalArgumentException with one line saying what is wrong with the URL (never the
   *     password)
   */
  public static HistoryLocation postgresql(String url, String password) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "the history URL is not a URL (postgresql://HOST[:PORT]/DATABASE?user=NAME)");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
      throw new IllegalArgumentException(
          "the history URL must start with postgresql:// (postgresql://HOST[:PORT]/DATABASE)");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("the history URL names no host: postgresql://HOST/DB");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String database = decode(path.startsWith("/") ? path.substring(1) : path);
    if (database.isEmpty() || database.contains("/")) {
      throw new IllegalArgumentException(
          "the history URL names no database: postgresql://" + host + "/DATABASE");
    }
    Properties properties = new Properties();
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      properties.setProperty("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
      if (colon >= 0) {
        properties.setProperty("password", decode(userInfo.substring(colon + 1)));
      }
    }
    Map<String, String> shownParameters = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        String property = PARAMETERS.get(name);
        if (property == null) {
          throw new IllegalArgumentException(
              "the history URL has an unknown parameter '"
                  + name
                  + "' (known: user, sslmode, sslrootcert, sslcert, sslkey, connect_timeout,"
                  + " application_name)");
        }
        if (name.equals("sslmode") && !SSL_MODES.contains(value)) {
          throw new IllegalArgumentException(
              "the history URL's sslmode '"
                  + value
                  + "' is none of "
                  + String.join(", ", SSL_MODES));
        }
        if (name.equals("connect_timeout") && !value.matches("[0-9]{1,4}")) {
          throw new IllegalArgumentException(
              "the history URL's connect_timeout is not a number of seconds: '" + value + "'");
        }
        properties.setProperty(property, value);
        if (!name.equals("password")) {
          shownParameters.put(name, value);
        }
      }
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.putIfAbsent("connectTimeout", "10");
    properties.putIfAbsent("ApplicationName", "dockerpulls");
    properties.setProperty("tcpKeepAlive", "true");
    // Batches of inserts go over as multi-row statements: a copy or an import is one round trip
    // per batch instead of one per row.
    properties.setProperty("reWriteBatchedInserts", "true");
    String authority = (host.contains(":") ? "[" + host + "]" : host);
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String jdbc = "jdbc:postgresql://" + authority + ":" + port + "/" + database;
    StringBuilder shown =
        new StringBuilder("postgresql://").append(authority).append(':').append(port);
    shown.append('/').append(database);
    String user = properties.getProperty("user");
    char sep = '?';
    if (user != null && !shownParameters.containsKey("user")) {
      shown.append(sep).append("user=").append(user);
      sep = '&';
    }
    for (Map.Entry<String, String> e : shownParameters.entrySet()) {
      shown.append(sep).append(e.getKey()).append('=').append(e.getValue());
      sep = '&';
    }
    return new HistoryLocation(null, jdbc, shown.toString(), properties);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The SQLite file; empty for a PostgreSQL database. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** Whether several processes may share it: true for PostgreSQL. */
  public boolean shared() {
    return file == null;
  }

  Dialect dialect() {
    return file == null ? Dialect.POSTGRESQL : Dialect.SQLITE;
  }

  /** A new connection with {@code extra} properties beside the location's own. */
  Connection connect(Properties extra) throws SQLException {
    Properties p = new Properties();
    p.putAll(properties);
    p.putAll(extra);
    return DriverManager.getConnection(jdbcUrl, p);
  }

  /** The file, or the database's URL without its password. */
  @Override
  public String toString() {
    return shown;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HistoryLocation l && l.jdbcUrl.equals(jdbcUrl);
  }

  @Override
  public int hashCode() {
    return Objects.hash(jdbcUrl);
  }
}
