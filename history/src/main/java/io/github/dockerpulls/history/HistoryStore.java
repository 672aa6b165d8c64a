package io.github.dockerpulls.history;

import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.Target;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The pull count history: one SQLite file, {@value #FILE_NAME}, that records every observation and
 * answers how many pulls a set of repositories had per day, week or month.
 *
 * <p>The file is in WAL mode with a busy timeout, so that an {@code export} may record beside a
 * running {@code serve}: each records in its own short transaction and neither fails. A process
 * killed in the middle of a write loses at most that write; what was committed stays. A file that
 * is not a dockerpulls history is never written to.
 *
 * <p>Thread-safe: writes are serialized on one connection; each read uses a connection of its own,
 * so reading (a report, the exporter's API) never waits for a write.
 */
public final class HistoryStore implements AutoCloseable {
  /** The database file's name inside the data directory. */
  public static final String FILE_NAME = "dockerpulls.db";

  /** {@code PRAGMA application_id}: "DPLS", which tells our files from other SQLite files. */
  static final int APPLICATION_ID = 0x44504c53;

  /** {@code PRAGMA user_version}: the schema this code writes. */
  static final int SCHEMA_VERSION = 1;

  private static final System.Logger LOG = System.getLogger(HistoryStore.class.getName());

  /** How long a write waits for another process's write to finish. */
  private static final int BUSY_TIMEOUT_MS = 30_000;

  /** Compaction runs at most this often. */
  private static final Duration COMPACTION_EVERY = Duration.ofHours(1);

  private final Path file;
  private final Retention retention;
  private final Clock clock;
  private final Connection writer;
  private final Map<String, Long> ids = new HashMap<>();

  /** The latest pull count written per repository id, to see decreases. */
  private final Map<Long, long[]> latest = new HashMap<>();

  private long dataVersion = -1;
  private Instant lastCompaction = Instant.EPOCH;

  private HistoryStore(Path file, Retention retention, Clock clock, Connection writer) {
    this.file = file;
    this.retention = retention;
    this.clock = clock;
    this.writer = writer;
  }

  /**
   * Opens (or creates) {@value #FILE_NAME} in {@code directory}, migrating an older schema forward.
   *
   * @throws HistoryException {@link HistoryException.Kind#UNUSABLE} when the file is not a
   *     dockerpulls history (left untouched), {@link HistoryException.Kind#UNWRITABLE} when the
   *     directory or the file cannot be created or written
   */
  public static HistoryStore open(Path directory, Retention retention, Clock clock)
      throws HistoryException {
    Path file = directory.resolve(FILE_NAME);
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new HistoryException(
          HistoryException.Kind.UNWRITABLE,
          "cannot create the history directory " + directory + " (" + reason(e) + ")",
          e);
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new HistoryException(
          HistoryException.Kind.UNUSABLE,
          file + " is not a file; move it or choose --data-dir",
          null);
    }
    Connection connection = null;
    try {
      connection = connectWriter(file);
      checkAndMigrate(connection, file);
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
      }
      return new HistoryStore(file, retention, clock, connection);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw translate(file, "open", e);
    } catch (HistoryException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  /** Opens with the default retention and the system clock. */
  public static HistoryStore open(Path directory) throws HistoryException {
    return open(directory, Retention.DEFAULT, Clock.systemUTC());
  }

  /**
   * The default data directory: {@code $XDG_DATA_HOME/dockerpulls}, else {@code
   * $HOME/.local/share/dockerpulls}, from {@code env}; empty when neither is set.
   */
  public static Optional<Path> defaultDirectory(Map<String, String> env) {
    String xdg = env.get("XDG_DATA_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Optional.of(Path.of(xdg, "dockerpulls"));
    }
    String home = env.get("HOME");
    if (home != null && !home.isBlank()) {
      return Optional.of(Path.of(home, ".local", "share", "dockerpulls"));
    }
    return Optional.empty();
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  private static Connection connect(Path file) throws SQLException {
    Properties p = new Properties();
    p.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
    return DriverManager.getConnection("jdbc:sqlite:" + file, p);
  }

  /**
   * The writing connection: its transactions take the write lock when they begin, so that two
   * writers queue behind the busy timeout instead of one failing at once when it upgrades a read.
   */
  private static Connection connectWriter(Path file) throws SQLException {
    Properties p = new Properties();
    p.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
    p.setProperty("transaction_mode", "IMMEDIATE");
    return DriverManager.getConnection("jdbc:sqlite:" + file, p);
  }

  /** Refuses a file that is not ours before anything is written to it; creates or migrates. */
  private static void checkAndMigrate(Connection c, Path file)
      throws SQLException, HistoryException {
    int applicationId = pragma(c, "application_id");
    int version = pragma(c, "user_version");
    int tables;
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
      tables = r.getInt(1);
    }
    if (applicationId == 0 && tables == 0) {
      createSchema(c);
      return;
    }
    if (applicationId != APPLICATION_ID) {
      throw new HistoryException(
          HistoryException.Kind.UNUSABLE,
          file
              + " is another program's SQLite database, not a dockerpulls history; move it or"
              + " choose --data-dir",
          null);
    }
    if (version > SCHEMA_VERSION) {
      throw new HistoryException(
          HistoryException.Kind.UNUSABLE,
          file
              + " was written by a newer dockerpulls (schema "
              + version
              + ", this one knows "
              + SCHEMA_VERSION
              + "); upgrade dockerpulls",
          null);
    }
    // Version 1 is the first schema: later versions add their steps here, each in a transaction.
  }

  private static void createSchema(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE repository ("
              + " id INTEGER PRIMARY KEY,"
              + " namespace TEXT NOT NULL,"
              + " name TEXT NOT NULL,"
              + " UNIQUE (namespace, name))");
      s.execute(
          "CREATE TABLE observation ("
              + " repository_id INTEGER NOT NULL REFERENCES repository (id),"
              + " observed_at INTEGER NOT NULL,"
              + " pull_count INTEGER NOT NULL,"
              + " star_count INTEGER,"
              + " last_updated INTEGER,"
              + " PRIMARY KEY (repository_id, observed_at)) WITHOUT ROWID");
      s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      s.execute("PRAGMA application_id=" + APPLICATION_ID);
      s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static int pragma(Connection c, String name) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("PRAGMA " + name)) {
      return r.next() ? r.getInt(1) : 0;
    }
  }

  /** Records what a snapshot observed; the snapshot's time, to the second, is the key. */
  public RecordResult record(Snapshot snapshot) throws HistoryException {
    List<Observation> observations = new ArrayList<>(snapshot.repositories().size());
    for (RepositoryStats repo : snapshot.repositories()) {
      observations.add(Observation.of(snapshot.observedAt(), repo));
    }
    return record(observations);
  }

  /**
   * Records observations in one transaction. An observation of a repository at a second that is
   * already recorded is skipped, so that recording (or importing) twice adds nothing twice. A pull
   * count lower than the repository's latest is kept as it is (it is the new base) and logged once,
   * when it is recorded.
   */
  public synchronized RecordResult record(Collection<Observation> observations)
      throws HistoryException {
    int added = 0;
    List<String> decreases = new ArrayList<>();
    try {
      writer.setAutoCommit(false);
      try {
        forgetIfChangedElsewhere();
        try (PreparedStatement insert =
            writer.prepareStatement(
                "INSERT OR IGNORE INTO observation"
                    + " (repository_id, observed_at, pull_count, star_count, last_updated)"
                    + " VALUES (?, ?, ?, ?, ?)")) {
          for (Observation o : observations) {
            long id = repositoryId(o.namespace(), o.name());
            long at = o.observedAt().getEpochSecond();
            long[] last = latest(id);
            insert.setLong(1, id);
            insert.setLong(2, at);
            insert.setLong(3, o.pullCount());
            setOptional(insert, 4, o.starCount());
            setOptional(
                insert,
                5,
                o.lastUpdated()
                    .map(t -> OptionalLong.of(t.getEpochSecond()))
                    .orElse(OptionalLong.empty()));
            if (insert.executeUpdate() == 0) {
              continue;
            }
            added++;
            if (last == null || at > last[0]) {
              if (last != null && o.pullCount() < last[1]) {
                decreases.add(o.fullName() + " " + last[1] + " -> " + o.pullCount());
              }
              latest.put(id, new long[] {at, o.pullCount()});
            }
          }
        }
        compactIfDue();
        writer.commit();
        dataVersion = pragma(writer, "data_version");
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly();
        ids.clear();
        latest.clear();
        throw e;
      } finally {
        restoreAutoCommit();
      }
    } catch (SQLException e) {
      throw translate(file, "write", e);
    }
    for (String d : decreases) {
      LOG.log(
          Level.WARNING,
          "the pull count of "
              + d
              + " went down (Docker Hub corrected it): counted as no pulls, the lower figure is"
              + " the new base");
    }
    return new RecordResult(observations.size(), added, decreases.size());
  }

  /**
   * What one {@link #record} did.
   *
   * @param seen the observations given
   * @param added the observations that were new
   * @param decreases the repositories whose pull count went down
   */
  public record RecordResult(int seen, int added, int decreases) {}

  /** Another process wrote since our last look: the caches may be stale. */
  private void forgetIfChangedElsewhere() throws SQLException {
    long version = pragma(writer, "data_version");
    if (version != dataVersion) {
      latest.clear();
      dataVersion = version;
    }
  }

  private long[] latest(long id) throws SQLException {
    long[] known = latest.get(id);
    if (known != null) {
      return known;
    }
    try (PreparedStatement q =
        writer.prepareStatement(
            "SELECT observed_at, pull_count FROM observation WHERE repository_id = ?"
                + " ORDER BY observed_at DESC LIMIT 1")) {
      q.setLong(1, id);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? new long[] {r.getLong(1), r.getLong(2)} : null;
      }
    }
  }

  private long repositoryId(String namespace, String name) throws SQLException {
    String key = namespace + "/" + name;
    Long id = ids.get(key);
    if (id != null) {
      return id;
    }
    try (PreparedStatement insert =
        writer.prepareStatement(
            "INSERT OR IGNORE INTO repository (namespace, name) VALUES (?, ?)")) {
      insert.setString(1, namespace);
      insert.setString(2, name);
      insert.executeUpdate();
    }
    try (PreparedStatement q =
        writer.prepareStatement("SELECT id FROM repository WHERE namespace = ? AND name = ?")) {
      q.setString(1, namespace);
      q.setString(2, name);
      try (ResultSet r = q.executeQuery()) {
        r.next();
        id = r.getLong(1);
      }
    }
    ids.put(key, id);
    return id;
  }

  private static void setOptional(PreparedStatement p, int index, OptionalLong value)
      throws SQLException {
    if (value.isPresent()) {
      p.setLong(index, value.getAsLong());
    } else {
      p.setNull(index, Types.INTEGER);
    }
  }

  /** Thins old observations when the last compaction is an hour old (inside the write). */
  private void compactIfDue() throws SQLException {
    Instant now = clock.instant();
    if (Duration.between(lastCompaction, now).compareTo(COMPACTION_EVERY) < 0) {
      return;
    }
    compactNow(now);
    lastCompaction = now;
  }

  /**
   * Applies the retention as of {@code now}: observations older than the full-resolution window are
   * thinned to the last of each hour, older than the hourly window to the last of each UTC day,
   * and, with a finite daily retention, older ones are deleted.
   */
  public synchronized void compact(Instant now) throws HistoryException {
    try {
      boolean auto = writer.getAutoCommit();
      writer.setAutoCommit(false);
      try {
        compactNow(now);
        if (auto) {
          writer.commit();
        }
      } catch (SQLException e) {
        if (auto) {
          rollbackQuietly();
        }
        throw e;
      } finally {
        if (auto) {
          restoreAutoCommit();
        }
      }
    } catch (SQLException e) {
      throw translate(file, "compact", e);
    }
  }

  private void compactNow(Instant now) throws SQLException {
    long hourlyFrom = meta("compacted_hourly_until", 0);
    long hourlyUntil = floor(now.minus(retention.raw()).getEpochSecond(), 3600);
    long dailyFrom = meta("compacted_daily_until", 0);
    long dailyUntil = floor(now.minus(retention.hourly()).getEpochSecond(), 86400);
    List<Long> repositories = new ArrayList<>();
    try (Statement s = writer.createStatement();
        ResultSet r = s.executeQuery("SELECT id FROM repository")) {
      while (r.next()) {
        repositories.add(r.getLong(1));
      }
    }
    // Keep the last observation of each bucket: it is the one nearest the next boundary, where
    // the report interpolates.
    String thin =
        "DELETE FROM observation WHERE repository_id = ?1 AND observed_at >= ?2 AND observed_at <"
            + " ?3 AND observed_at < (SELECT max(p.observed_at) FROM observation p WHERE"
            + " p.repository_id = ?1 AND p.observed_at >= (observation.observed_at / ?4) * ?4 AND"
            + " p.observed_at < min((observation.observed_at / ?4) * ?4 + ?4, ?3))";
    try (PreparedStatement delete = writer.prepareStatement(thin)) {
      for (long id : repositories) {
        if (hourlyUntil > hourlyFrom) {
          bindThin(delete, id, hourlyFrom, hourlyUntil, 3600);
        }
        if (dailyUntil > dailyFrom) {
          bindThin(delete, id, dailyFrom, dailyUntil, 86400);
        }
      }
    }
    if (retention.daily().isPresent()) {
      try (PreparedStatement delete =
          writer.prepareStatement("DELETE FROM observation WHERE observed_at < ?")) {
        delete.setLong(1, now.minus(retention.daily().get()).getEpochSecond());
        delete.executeUpdate();
      }
    }
    setMeta("compacted_hourly_until", Math.max(hourlyFrom, hourlyUntil));
    setMeta("compacted_daily_until", Math.max(dailyFrom, dailyUntil));
  }

  private static void bindThin(
      PreparedStatement delete, long id, long from, long until, long bucket) throws SQLException {
    delete.setLong(1, id);
    delete.setLong(2, floor(from, bucket));
    delete.setLong(3, until);
    delete.setLong(4, bucket);
    delete.executeUpdate();
  }

  /**
   * Marks everything from {@code t} on as not yet compacted, after observations older than the
   * compaction point were recorded (an import), so that the next compaction thins them too.
   */
  public synchronized void recompactFrom(Instant t) throws HistoryException {
    try {
      long at = t.getEpochSecond();
      if (meta("compacted_hourly_until", 0) > at) {
        setMeta("compacted_hourly_until", floor(at, 3600));
      }
      if (meta("compacted_daily_until", 0) > at) {
        setMeta("compacted_daily_until", floor(at, 86400));
      }
      lastCompaction = Instant.EPOCH;
    } catch (SQLException e) {
      throw translate(file, "write", e);
    }
  }

  private static long floor(long seconds, long bucket) {
    return Math.floorDiv(seconds, bucket) * bucket;
  }

  private long meta(String key, long fallback) throws SQLException {
    try (PreparedStatement q = writer.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      q.setString(1, key);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? Long.parseLong(r.getString(1)) : fallback;
      }
    }
  }

  private void setMeta(String key, long value) throws SQLException {
    try (PreparedStatement u =
        writer.prepareStatement("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")) {
      u.setString(1, key);
      u.setString(2, Long.toString(value));
      u.executeUpdate();
    }
  }

  /**
   * The pulls per period of the targets' repositories (every recorded repository of an organization
   * target), from the start of the period holding {@code since} to {@code until}. Repositories
   * never observed up to {@code until} are left out.
   */
  public HistoryReport report(
      List<Target> targets, Instant since, Instant until, Granularity by, ZoneId zone)
      throws HistoryException {
    ZonedDateTime first = by.floor(since.atZone(zone));
    List<Instant> boundaries = new ArrayList<>();
    for (ZonedDateTime t = first; t.toInstant().isBefore(until); t = by.next(t)) {
      boundaries.add(t.toInstant());
    }
    Instant start = first.toInstant();
    Duration window = Duration.between(start, until);
    Instant previousStart = start.minus(window);
    if (boundaries.isEmpty()) {
      boundaries.add(start);
    }
    Instant lastEnd = by.next(boundaries.get(boundaries.size() - 1).atZone(zone)).toInstant();
    List<RepositoryHistory> result = new ArrayList<>();
    try (Connection reader = connect(file)) {
      Map<Long, String[]> repositories = select(reader, targets);
      Map<Long, Series> series = read(reader, repositories.keySet(), previousStart, until);
      for (Map.Entry<Long, String[]> e : repositories.entrySet()) {
        Series s = series.get(e.getKey());
        if (s == null || s.latestAt < 0) {
          continue;
        }
        Growth growth = s.growth();
        List<Period> periods = new ArrayList<>(boundaries.size());
        for (int i = 0; i < boundaries.size(); i++) {
          Instant a = boundaries.get(i);
          Instant b = i + 1 < boundaries.size() ? boundaries.get(i + 1) : lastEnd;
          long to = Math.min(b.getEpochSecond(), until.getEpochSecond());
          periods.add(new Period(a, b, growth.pulls(a.getEpochSecond(), to)));
        }
        result.add(
            new RepositoryHistory(
                e.getValue()[0],
                e.getValue()[1],
                s.latestCount,
                Instant.ofEpochSecond(s.latestAt),
                growth.pulls(start.getEpochSecond(), until.getEpochSecond()),
                growth.pulls(previousStart.getEpochSecond(), start.getEpochSecond()),
                periods));
      }
    } catch (SQLException e) {
      throw translate(file, "read", e);
    }
    return new HistoryReport(start, until, by, zone, result);
  }

  /**
   * The pulls of each named repository ({@code namespace/name}) in the windows that end at {@code
   * until} and last {@code windows}; a repository or window with nothing known maps to null.
   */
  public Map<String, Long[]> growth(
      Collection<String> fullNames, Instant until, List<Duration> windows) throws HistoryException {
    Duration longest = windows.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    Map<String, Long[]> result = new LinkedHashMap<>();
    List<Target> targets = new ArrayList<>();
    for (String n : fullNames) {
      targets.add(Target.repository(n));
    }
    try (Connection reader = connect(file)) {
      Map<Long, String[]> repositories = select(reader, targets);
      Map<Long, Series> series = read(reader, repositories.keySet(), until.minus(longest), until);
      for (Map.Entry<Long, String[]> e : repositories.entrySet()) {
        Series s = series.get(e.getKey());
        Long[] values = new Long[windows.size()];
        if (s != null) {
          Growth g = s.growth();
          for (int i = 0; i < windows.size(); i++) {
            values[i] =
                g.pulls(until.minus(windows.get(i)).getEpochSecond(), until.getEpochSecond());
          }
        }
        result.put(e.getValue()[0] + "/" + e.getValue()[1], values);
      }
    } catch (SQLException e) {
      throw translate(file, "read", e);
    }
    return result;
  }

  /** Repository ids and names for the targets, in namespace and name order. */
  private static Map<Long, String[]> select(Connection c, List<Target> targets)
      throws SQLException {
    Map<Long, String[]> found = new java.util.TreeMap<>();
    Map<String, Long> order = new java.util.TreeMap<>();
    try (PreparedStatement byNamespace =
            c.prepareStatement("SELECT id, namespace, name FROM repository WHERE namespace = ?");
        PreparedStatement byName =
            c.prepareStatement(
                "SELECT id, namespace, name FROM repository WHERE namespace = ? AND name = ?")) {
      for (Target t : targets) {
        PreparedStatement q;
        if (t instanceof Target.Repository r) {
          q = byName;
          q.setString(1, r.namespace());
          q.setString(2, r.name());
        } else {
          q = byNamespace;
          q.setString(1, ((Target.Organization) t).namespace());
        }
        try (ResultSet r = q.executeQuery()) {
          while (r.next()) {
            long id = r.getLong(1);
            found.put(id, new String[] {r.getString(2), r.getString(3)});
            order.put(r.getString(2) + "/" + r.getString(3), id);
          }
        }
      }
    }
    Map<Long, String[]> sorted = new LinkedHashMap<>();
    for (long id : order.values()) {
      sorted.put(id, found.get(id));
    }
    return sorted;
  }

  /** One repository's observations around a window. */
  private static final class Series {
    long[] times = new long[16];
    long[] counts = new long[16];
    int size;
    long latestAt = -1;
    long latestCount;

    void add(long t, long count) {
      if (size == times.length) {
        times = java.util.Arrays.copyOf(times, size * 2);
        counts = java.util.Arrays.copyOf(counts, size * 2);
      }
      times[size] = t;
      counts[size] = count;
      size++;
    }

    Growth growth() {
      return new Growth(
          java.util.Arrays.copyOf(times, size), java.util.Arrays.copyOf(counts, size));
    }
  }

  /**
   * The observations of {@code ids} from the last one at or before {@code from} to the first at or
   * after {@code until}, so that interpolation reaches both ends.
   */
  private static Map<Long, Series> read(
      Connection c, Collection<Long> ids, Instant from, Instant until) throws SQLException {
    Map<Long, Series> result = new HashMap<>();
    String sql =
        "SELECT o.observed_at, o.pull_count FROM observation o WHERE o.repository_id = ?1 AND"
            + " o.observed_at >= coalesce((SELECT max(observed_at) FROM observation WHERE"
            + " repository_id = ?1 AND observed_at <= ?2), ?2) AND o.observed_at <="
            + " coalesce((SELECT min(observed_at) FROM observation WHERE repository_id = ?1 AND"
            + " observed_at >= ?3), ?3) ORDER BY o.observed_at";
    long lo = from.getEpochSecond();
    long hi = until.getEpochSecond();
    try (PreparedStatement q = c.prepareStatement(sql)) {
      for (long id : ids) {
        q.setLong(1, id);
        q.setLong(2, lo);
        q.setLong(3, hi);
        Series s = new Series();
        try (ResultSet r = q.executeQuery()) {
          while (r.next()) {
            long t = r.getLong(1);
            long n = r.getLong(2);
            s.add(t, n);
            if (t <= hi) {
              s.latestAt = t;
              s.latestCount = n;
            }
          }
        }
        if (s.latestAt < 0) {
          latestBefore(c, id, hi, s);
        }
        result.put(id, s);
      }
    }
    return result;
  }

  /** A repository with nothing near the window still has a latest total, from long before. */
  private static void latestBefore(Connection c, long id, long hi, Series s) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT observed_at, pull_count FROM observation WHERE repository_id = ? AND"
                + " observed_at <= ? ORDER BY observed_at DESC LIMIT 1")) {
      q.setLong(1, id);
      q.setLong(2, hi);
      try (ResultSet r = q.executeQuery()) {
        if (r.next()) {
          s.latestAt = r.getLong(1);
          s.latestCount = r.getLong(2);
        }
      }
    }
  }

  /** True when the store holds an observation of any of these repositories before {@code t}. */
  public boolean hasObservationsBefore(Collection<String> fullNames, Instant t)
      throws HistoryException {
    try (Connection reader = connect(file);
        PreparedStatement q =
            reader.prepareStatement(
                "SELECT 1 FROM observation o JOIN repository r ON r.id = o.repository_id"
                    + " WHERE r.namespace = ? AND r.name = ? AND o.observed_at < ? LIMIT 1")) {
      for (String n : fullNames) {
        int slash = n.indexOf('/');
        q.setString(1, n.substring(0, slash));
        q.setString(2, n.substring(slash + 1));
        q.setLong(3, t.getEpochSecond());
        try (ResultSet r = q.executeQuery()) {
          if (r.next()) {
            return true;
          }
        }
      }
      return false;
    } catch (SQLException e) {
      throw translate(file, "read", e);
    }
  }

  @Override
  public synchronized void close() {
    closeQuietly(writer);
  }

  /**
   * Back to auto-commit after a transaction. SQLite has already ended a transaction that failed (a
   * full disk rolls it back), so a failure here only repeats the one being reported.
   */
  private void restoreAutoCommit() {
    try {
      writer.setAutoCommit(true);
    } catch (SQLException alreadyEnded) {
      // The transaction's own failure is what the caller reports.
    }
  }

  private void rollbackQuietly() {
    try {
      writer.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the next write says why.
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Nothing left to do with it.
      }
    }
  }

  /** One line for people, of a failure to {@code what} the file. */
  static HistoryException translate(Path file, String what, SQLException e) {
    SQLiteErrorCode code =
        e instanceof SQLiteException s ? s.getResultCode() : SQLiteErrorCode.UNKNOWN_ERROR;
    int primary = code.code & 0xff;
    if (primary == SQLiteErrorCode.SQLITE_NOTADB.code
        || primary == SQLiteErrorCode.SQLITE_CORRUPT.code) {
      return new HistoryException(
          HistoryException.Kind.UNUSABLE,
          file
              + " is damaged or not a database; move it aside (dockerpulls starts a new one) or"
              + " choose --data-dir",
          e);
    }
    String why;
    if (primary == SQLiteErrorCode.SQLITE_FULL.code) {
      why = "the disk is full";
    } else if (primary == SQLiteErrorCode.SQLITE_READONLY.code
        || primary == SQLiteErrorCode.SQLITE_PERM.code) {
      why = "it is read-only";
    } else if (primary == SQLiteErrorCode.SQLITE_CANTOPEN.code) {
      why = "it cannot be opened";
    } else if (primary == SQLiteErrorCode.SQLITE_BUSY.code) {
      why = "another process held it for more than " + BUSY_TIMEOUT_MS / 1000 + " s";
    } else if (primary == SQLiteErrorCode.SQLITE_IOERR.code) {
      why = "an I/O error";
    } else {
      why = code.message;
    }
    return new HistoryException(
        HistoryException.Kind.UNWRITABLE, "cannot " + what + " " + file + ": " + why, e);
  }

  private static String reason(IOException e) {
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return "a file is in the way";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** For tests: limits the file's size so that a write fails as on a full disk. */
  void limitPages(int pages) throws SQLException {
    try (Statement s = writer.createStatement()) {
      s.execute("PRAGMA max_page_count=" + pages);
    }
  }
}
