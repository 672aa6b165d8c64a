package io.github.dockerpulls.history;

import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.Target;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import java.util.Arrays;
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

  /** Repository ids by {@code namespace/name}; ids never change. */
  private final Map<String, Long> ids = new HashMap<>();

  /** The {@code latest} table, loaded whole; reloaded when another process wrote. */
  private final Map<Long, Latest> latest = new HashMap<>();

  private boolean latestLoaded;

  private long dataVersion = -1;
  private Instant lastCompaction;

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
      throw notAFile(file);
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

  /**
   * Refuses, from the first 100 bytes of the file alone and without loading the SQLite driver, a
   * {@value #FILE_NAME} in {@code directory} that {@link #open} would refuse as not a usable
   * history: not an SQLite file, another program's database, or a newer schema. A command can check
   * this before it asks Docker Hub anything and open the store while the Hub answers. A missing or
   * empty file passes, as does anything the header cannot judge ({@link #open} remains the
   * authority).
   *
   * @throws HistoryException {@link HistoryException.Kind#UNUSABLE} with the message {@link #open}
   *     would give
   */
  public static void checkHeader(Path directory) throws HistoryException {
    Path file = directory.resolve(FILE_NAME);
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw notAFile(file);
    }
    byte[] header = new byte[100];
    int read = 0;
    try (var in = Files.newInputStream(file)) {
      int n;
      while (read < header.length && (n = in.read(header, read, header.length - read)) > 0) {
        read += n;
      }
    } catch (IOException missingOrUnreadable) {
      return; // open() says what is wrong, or creates the file
    }
    if (read == 0) {
      return;
    }
    byte[] magic = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    if (read < header.length || !Arrays.equals(header, 0, magic.length, magic, 0, magic.length)) {
      throw damaged(file, null);
    }
    ByteBuffer fields = ByteBuffer.wrap(header); // big-endian, as SQLite writes them
    int version = fields.getInt(60);
    int applicationId = fields.getInt(68);
    if (applicationId != 0 && applicationId != APPLICATION_ID) {
      throw foreign(file);
    }
    if (applicationId == APPLICATION_ID && version > SCHEMA_VERSION) {
      throw newer(file, version);
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
    // A refresh touches one page per repository: keep them in memory between refreshes.
    p.setProperty("cache_size", "-32768");
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
      throw foreign(file);
    }
    if (version > SCHEMA_VERSION) {
      throw newer(file, version);
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
      // Older observations, by repository: one per hour, then one per day, after thinning.
      s.execute(
          "CREATE TABLE observation ("
              + " repository_id INTEGER NOT NULL REFERENCES repository (id),"
              + " observed_at INTEGER NOT NULL,"
              + " pull_count INTEGER NOT NULL,"
              + " star_count INTEGER,"
              + " last_updated INTEGER,"
              + " growth INTEGER NOT NULL,"
              + " PRIMARY KEY (repository_id, observed_at)) WITHOUT ROWID");
      // The newest observations, by time: a refresh appends to the end instead of touching a
      // page per repository.
      s.execute(
          "CREATE TABLE recent ("
              + " observed_at INTEGER NOT NULL,"
              + " repository_id INTEGER NOT NULL REFERENCES repository (id),"
              + " pull_count INTEGER NOT NULL,"
              + " star_count INTEGER,"
              + " last_updated INTEGER,"
              + " growth INTEGER NOT NULL,"
              + " PRIMARY KEY (observed_at, repository_id)) WITHOUT ROWID");
      // Per repository its first and its latest observation.
      s.execute(
          "CREATE TABLE latest ("
              + " repository_id INTEGER PRIMARY KEY REFERENCES repository (id),"
              + " first_at INTEGER NOT NULL,"
              + " first_growth INTEGER NOT NULL,"
              + " observed_at INTEGER NOT NULL,"
              + " pull_count INTEGER NOT NULL,"
              + " growth INTEGER NOT NULL)");
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

  /** A repository's first and latest observation, as the {@code latest} table keeps them. */
  private record Latest(long firstAt, long firstGrowth, long at, long count, long growth) {}

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
   * count lower than the one before is kept as it is (it is the new base) and logged once, when it
   * is recorded. Observations older than a repository's latest (an import) are merged into its
   * history.
   */
  public synchronized RecordResult record(Collection<Observation> observations)
      throws HistoryException {
    List<String> decreases = new ArrayList<>();
    RecordResult result =
        inTransaction(
            "write",
            () -> {
              RecordResult recorded = recordInTransaction(observations, decreases);
              compactIfDue();
              return recorded;
            });
    for (String d : decreases) {
      LOG.log(
          Level.WARNING,
          "the pull count of "
              + d
              + " went down (Docker Hub corrected it): counted as no pulls, the lower figure is"
              + " the new base");
    }
    return result;
  }

  private RecordResult recordInTransaction(
      Collection<Observation> observations, List<String> decreases) throws SQLException {
    loadIfChangedElsewhere();
    int added = 0;
    long oldest = Long.MAX_VALUE;
    Map<Long, List<Observation>> older = new HashMap<>();
    Map<Long, Latest> changed = new HashMap<>();
    try (PreparedStatement insert =
        writer.prepareStatement(
            "INSERT OR IGNORE INTO recent (observed_at, repository_id, pull_count, star_count,"
                + " last_updated, growth) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (Observation o : observations) {
        long id = repositoryId(o.namespace(), o.name());
        long at = o.observedAt().getEpochSecond();
        Latest prev = latest.get(id);
        if (prev != null && at <= prev.at()) {
          if (at < prev.at()) {
            older.computeIfAbsent(id, k -> new ArrayList<>()).add(o);
          }
          continue; // at == prev.at(): recorded already
        }
        long growth = 0;
        if (prev != null) {
          growth = prev.growth() + Math.max(0, o.pullCount() - prev.count());
          if (o.pullCount() < prev.count()) {
            decreases.add(o.fullName() + " " + prev.count() + " -> " + o.pullCount());
          }
        }
        insert.setLong(1, at);
        insert.setLong(2, id);
        insert.setLong(3, o.pullCount());
        setOptional(insert, 4, o.starCount());
        setOptional(insert, 5, epochSeconds(o.lastUpdated()));
        insert.setLong(6, growth);
        insert.addBatch();
        Latest next =
            prev == null
                ? new Latest(at, 0, at, o.pullCount(), 0)
                : new Latest(prev.firstAt(), prev.firstGrowth(), at, o.pullCount(), growth);
        latest.put(id, next);
        changed.put(id, next);
        oldest = Math.min(oldest, at);
        added++;
      }
      insert.executeBatch();
    }
    saveLatest(changed);
    if (oldest < meta("compacted_hourly_until", 0)) {
      // Older than what thinning has covered (a first import): let it cover them too.
      rewindCompaction(oldest);
    }
    if (!older.isEmpty()) {
      added += merge(older);
    }
    return new RecordResult(observations.size(), added, decreases.size());
  }

  /**
   * What one {@link #record} did.
   *
   * @param seen the observations given
   * @param added the observations that were new
   * @param decreases the repositories whose pull count went down at the newest observation
   */
  public record RecordResult(int seen, int added, int decreases) {}

  private static OptionalLong epochSeconds(Optional<Instant> t) {
    return t.isPresent() ? OptionalLong.of(t.get().getEpochSecond()) : OptionalLong.empty();
  }

  private void saveLatest(Map<Long, Latest> changed) throws SQLException {
    if (changed.isEmpty()) {
      return;
    }
    try (PreparedStatement upsert =
        writer.prepareStatement(
            "INSERT OR REPLACE INTO latest (repository_id, first_at, first_growth, observed_at,"
                + " pull_count, growth) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (Map.Entry<Long, Latest> e : changed.entrySet()) {
        Latest l = e.getValue();
        upsert.setLong(1, e.getKey());
        upsert.setLong(2, l.firstAt());
        upsert.setLong(3, l.firstGrowth());
        upsert.setLong(4, l.at());
        upsert.setLong(5, l.count());
        upsert.setLong(6, l.growth());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  /**
   * Merges observations older than their repositories' latest into the history: the new ones go
   * into {@code observation}, and each repository's cumulative growth is computed again from its
   * first observation, so that every stored point stays on one line. Returns how many were new.
   */
  private int merge(Map<Long, List<Observation>> older) throws SQLException {
    String json = jsonIds(older.keySet());
    Map<Long, java.util.TreeMap<Long, long[]>> rows = new HashMap<>();
    // Each value: {pull_count, growth, table (0 observation, 1 recent, 2 new), star, updated}.
    try (PreparedStatement q =
        writer.prepareStatement(
            "SELECT repository_id, observed_at, pull_count, growth, 0 FROM observation WHERE"
                + " repository_id IN (SELECT value FROM json_each(?1)) UNION ALL SELECT"
                + " repository_id, observed_at, pull_count, growth, 1 FROM recent WHERE"
                + " repository_id IN (SELECT value FROM json_each(?1))")) {
      q.setString(1, json);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          rows.computeIfAbsent(r.getLong(1), k -> new java.util.TreeMap<>())
              .put(r.getLong(2), new long[] {r.getLong(3), r.getLong(4), r.getLong(5)});
        }
      }
    }
    // Where thinning has run, a bucket that holds an observation already keeps it alone: what
    // thinning removed is not brought back by recording (or importing) the same again.
    long hourlyUntil = meta("compacted_hourly_until", 0);
    long dailyUntil = meta("compacted_daily_until", 0);
    int added = 0;
    List<long[]> inserts = new ArrayList<>();
    List<Observation> insertObservations = new ArrayList<>();
    List<long[]> updates = new ArrayList<>();
    Map<Long, Latest> changed = new HashMap<>();
    for (Map.Entry<Long, List<Observation>> e : older.entrySet()) {
      long id = e.getKey();
      java.util.TreeMap<Long, long[]> series =
          rows.computeIfAbsent(id, k -> new java.util.TreeMap<>());
      Map<Long, Observation> fresh = new HashMap<>();
      for (Observation o : e.getValue()) {
        long at = o.observedAt().getEpochSecond();
        long bucket = at < dailyUntil ? 86400 : at < hourlyUntil ? 3600 : 0;
        if (bucket > 0) {
          long from = floor(at, bucket);
          Long kept = series.ceilingKey(from);
          if (kept != null && kept < from + bucket && series.get(kept)[2] != 2) {
            continue;
          }
        }
        if (!series.containsKey(at)) {
          series.put(at, new long[] {o.pullCount(), -1, 2});
          fresh.put(at, o);
        }
      }
      long[] counts = new long[series.size()];
      int n = 0;
      for (long[] v : series.values()) {
        counts[n++] = v[0];
      }
      long[] cumulative = Growth.cumulativeOf(counts);
      long growth = 0;
      long firstAt = series.firstKey();
      int i = 0;
      for (Map.Entry<Long, long[]> point : series.entrySet()) {
        long[] v = point.getValue();
        growth = cumulative[i++];
        if (v[2] == 2) {
          inserts.add(new long[] {id, point.getKey(), growth});
          insertObservations.add(fresh.get(point.getKey()));
        } else if (v[1] != growth) {
          updates.add(new long[] {v[2], id, point.getKey(), growth});
        }
      }
      Map.Entry<Long, long[]> last = series.lastEntry();
      Latest l = new Latest(firstAt, 0, last.getKey(), last.getValue()[0], growth);
      latest.put(id, l);
      changed.put(id, l);
      added += fresh.size();
    }
    try (PreparedStatement insert =
        writer.prepareStatement(
            "INSERT OR IGNORE INTO observation (repository_id, observed_at, pull_count,"
                + " star_count, last_updated, growth) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < inserts.size(); i++) {
        long[] row = inserts.get(i);
        Observation o = insertObservations.get(i);
        insert.setLong(1, row[0]);
        insert.setLong(2, row[1]);
        insert.setLong(3, o.pullCount());
        setOptional(insert, 4, o.starCount());
        setOptional(insert, 5, epochSeconds(o.lastUpdated()));
        insert.setLong(6, row[2]);
        insert.addBatch();
      }
      insert.executeBatch();
    }
    try (PreparedStatement inObservation =
            writer.prepareStatement(
                "UPDATE observation SET growth = ? WHERE repository_id = ? AND observed_at = ?");
        PreparedStatement inRecent =
            writer.prepareStatement(
                "UPDATE recent SET growth = ? WHERE repository_id = ? AND observed_at = ?")) {
      for (long[] u : updates) {
        PreparedStatement p = u[0] == 0 ? inObservation : inRecent;
        p.setLong(1, u[3]);
        p.setLong(2, u[1]);
        p.setLong(3, u[2]);
        p.addBatch();
      }
      inObservation.executeBatch();
      inRecent.executeBatch();
    }
    saveLatest(changed);
    // What was merged may be older than what thinning has done: let it thin that range again.
    long oldest = Long.MAX_VALUE;
    for (long[] row : inserts) {
      oldest = Math.min(oldest, row[1]);
    }
    if (oldest != Long.MAX_VALUE) {
      rewindCompaction(oldest);
    }
    return added;
  }

  private static String jsonIds(Collection<Long> ids) {
    StringBuilder b = new StringBuilder("[");
    for (long id : ids) {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append(id);
    }
    return b.append(']').toString();
  }

  /** Reloads the caches when another connection committed since this one last looked. */
  private void loadIfChangedElsewhere() throws SQLException {
    long version = pragma(writer, "data_version");
    if (latestLoaded && version == dataVersion) {
      return;
    }
    dataVersion = version;
    latest.clear();
    try (Statement s = writer.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT repository_id, first_at, first_growth, observed_at, pull_count, growth"
                    + " FROM latest")) {
      while (r.next()) {
        latest.put(
            r.getLong(1),
            new Latest(r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6)));
      }
    }
    if (ids.isEmpty()) {
      try (Statement s = writer.createStatement();
          ResultSet r = s.executeQuery("SELECT id, namespace, name FROM repository")) {
        while (r.next()) {
          ids.put(r.getString(2) + "/" + r.getString(3), r.getLong(1));
        }
      }
    }
    latestLoaded = true;
  }

  /** After a failed transaction the caches may hold what was rolled back. */
  private void forget() {
    latest.clear();
    ids.clear();
    latestLoaded = false;
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

  /** Thins old observations when the last thinning is an hour old (inside the write). */
  private void compactIfDue() throws SQLException {
    Instant now = clock.instant();
    if (lastCompaction == null) {
      lastCompaction = Instant.ofEpochSecond(meta("compacted_at", 0));
    }
    if (Duration.between(lastCompaction, now).compareTo(COMPACTION_EVERY) < 0) {
      return;
    }
    compactNow(now);
  }

  /** Applies the retention as of the store's clock's now: see {@link #compact(Instant)}. */
  public void compact() throws HistoryException {
    compact(clock.instant());
  }

  /**
   * Applies the retention as of {@code now}: observations older than the full-resolution window are
   * thinned to the first of each hour, older than the hourly window to the first of each UTC day,
   * and, with a finite daily retention, older ones are deleted.
   */
  public synchronized void compact(Instant now) throws HistoryException {
    inTransaction(
        "compact",
        () -> {
          loadIfChangedElsewhere();
          compactNow(now);
          return null;
        });
  }

  /** Work on the writing connection that must commit whole or not at all. */
  private interface Transaction<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction. On failure it is rolled back and the caches, which may
   * hold what was rolled back, are dropped; the failure becomes one line about {@code what}.
   */
  private <T> T inTransaction(String what, Transaction<T> work) throws HistoryException {
    try {
      writer.setAutoCommit(false);
      try {
        T result = work.run();
        writer.commit();
        dataVersion = pragma(writer, "data_version");
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly();
        forget();
        throw e;
      } finally {
        restoreAutoCommit();
      }
    } catch (SQLException e) {
      throw translate(file, what, e);
    }
  }

  private void compactNow(Instant now) throws SQLException {
    long cut = floor(now.minus(retention.raw()).getEpochSecond(), 3600);
    // The newest observations move by time: the first of each hour that is now old enough goes
    // into the per-repository table, the rest of that hour goes away.
    try (PreparedStatement move =
            writer.prepareStatement(
                "INSERT OR IGNORE INTO observation (repository_id, observed_at, pull_count,"
                    + " star_count, last_updated, growth) SELECT repository_id, min(observed_at),"
                    + " pull_count, star_count, last_updated, growth FROM recent WHERE observed_at"
                    + " < ? GROUP BY repository_id, observed_at / 3600");
        PreparedStatement drop =
            writer.prepareStatement("DELETE FROM recent WHERE observed_at < ?")) {
      move.setLong(1, cut);
      move.executeUpdate();
      drop.setLong(1, cut);
      drop.executeUpdate();
    }
    long hourlyFrom = meta("compacted_hourly_until", 0);
    long dailyFrom = meta("compacted_daily_until", 0);
    long dailyUntil = floor(now.minus(retention.hourly()).getEpochSecond(), 86400);
    List<Long> repositories = new ArrayList<>(latest.keySet());
    // Keep the first observation of each bucket: the one nearest the hour or the midnight that
    // begins it, where reports put their boundaries. The running total each carries keeps what
    // happened in between. Merged (imported) observations can be finer than an hour.
    String thin =
        "DELETE FROM observation WHERE repository_id = ?1 AND observed_at >= ?2 AND observed_at <"
            + " ?3 AND observed_at > (SELECT min(p.observed_at) FROM observation p WHERE"
            + " p.repository_id = ?1 AND p.observed_at >= (observation.observed_at / ?4) * ?4 AND"
            + " p.observed_at < min((observation.observed_at / ?4) * ?4 + ?4, ?3))";
    try (PreparedStatement delete = writer.prepareStatement(thin)) {
      for (long id : repositories) {
        if (cut > hourlyFrom) {
          bindThin(delete, id, hourlyFrom, cut, 3600);
        }
        if (dailyUntil > dailyFrom) {
          bindThin(delete, id, dailyFrom, dailyUntil, 86400);
        }
      }
    }
    if (retention.daily().isPresent()) {
      long oldest = now.minus(retention.daily().get()).getEpochSecond();
      int deleted;
      try (PreparedStatement delete =
          writer.prepareStatement("DELETE FROM observation WHERE observed_at < ?")) {
        delete.setLong(1, oldest);
        deleted = delete.executeUpdate();
      }
      if (deleted > 0) {
        forgetBefore(oldest);
      }
    }
    setMeta("compacted_hourly_until", Math.max(hourlyFrom, cut));
    setMeta("compacted_daily_until", Math.max(dailyFrom, dailyUntil));
    setMeta("compacted_at", now.getEpochSecond());
    lastCompaction = now;
  }

  /**
   * After deleting what is older than {@code oldest}: each repository starts at its oldest kept.
   */
  private void forgetBefore(long oldest) throws SQLException {
    try (Statement s = writer.createStatement()) {
      s.executeUpdate(
          "UPDATE latest SET (first_at, first_growth) = (SELECT o.observed_at, o.growth FROM"
              + " observation o WHERE o.repository_id = latest.repository_id ORDER BY"
              + " o.observed_at LIMIT 1) WHERE first_at < "
              + oldest
              + " AND EXISTS (SELECT 1 FROM observation o WHERE o.repository_id ="
              + " latest.repository_id)");
    }
    latestLoaded = false;
    loadIfChangedElsewhere();
  }

  private static void bindThin(
      PreparedStatement delete, long id, long from, long until, long bucket) throws SQLException {
    delete.setLong(1, id);
    delete.setLong(2, floor(from, bucket));
    delete.setLong(3, until);
    delete.setLong(4, bucket);
    delete.executeUpdate();
  }

  /** Lets the next thinning cover {@code t} and later again, after older observations came in. */
  private void rewindCompaction(long t) throws SQLException {
    if (meta("compacted_hourly_until", 0) > t) {
      setMeta("compacted_hourly_until", floor(t, 3600));
    }
    if (meta("compacted_daily_until", 0) > t) {
      setMeta("compacted_daily_until", floor(t, 86400));
    }
    lastCompaction = Instant.EPOCH;
  }

  private static long floor(long seconds, long bucket) {
    return Math.floorDiv(seconds, bucket) * bucket;
  }

  private long meta(String key, long fallback) throws SQLException {
    return metaOf(writer, key, fallback);
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
   * never observed are left out.
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
    if (boundaries.isEmpty()) {
      boundaries.add(start);
    }
    Instant lastEnd = by.next(boundaries.get(boundaries.size() - 1).atZone(zone)).toInstant();
    Instant previousStart = start.minus(Duration.between(start, until));
    List<Long> at = new ArrayList<>();
    for (Instant b : boundaries) {
      at.add(b.getEpochSecond());
    }
    at.add(until.getEpochSecond());
    at.add(previousStart.getEpochSecond());
    List<RepositoryHistory> result = new ArrayList<>();
    try (Connection reader = connect(file)) {
      Map<Long, String[]> repositories = select(reader, targets);
      Map<Long, Points> points = points(reader, repositories.keySet(), at);
      for (Map.Entry<Long, String[]> e : repositories.entrySet()) {
        Points p = points.get(e.getKey());
        if (p == null) {
          continue;
        }
        Growth growth = p.growth();
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
                p.latestCount,
                Instant.ofEpochSecond(p.latestAt),
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
   * The latest observation of each of the targets' repositories (every recorded repository of an
   * organization target), with its stars and last push: what a static report shows beside the
   * pulls. Ordered by namespace and name.
   */
  public List<Observation> latest(List<Target> targets) throws HistoryException {
    List<Observation> result = new ArrayList<>();
    try (Connection reader = connect(file)) {
      Map<Long, String[]> repositories = select(reader, targets);
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
          String[] name = repositories.get(rows.getLong(1));
          if (name == null) {
            continue;
          }
          long stars = rows.getLong(4);
          boolean hasStars = !rows.wasNull();
          long updated = rows.getLong(5);
          boolean hasUpdated = !rows.wasNull();
          result.add(
              new Observation(
                  name[0],
                  name[1],
                  Instant.ofEpochSecond(rows.getLong(2)),
                  rows.getLong(3),
                  hasStars ? OptionalLong.of(stars) : OptionalLong.empty(),
                  hasUpdated ? Optional.of(Instant.ofEpochSecond(updated)) : Optional.empty()));
        }
      }
    } catch (SQLException e) {
      throw translate(file, "read", e);
    }
    result.sort(
        java.util.Comparator.comparing(Observation::namespace).thenComparing(Observation::name));
    return result;
  }

  /**
   * The pulls of each named repository ({@code namespace/name}) in the windows that end at {@code
   * until} and last {@code windows}; a repository or window with nothing known maps to nulls.
   */
  public Map<String, Long[]> growth(
      Collection<String> fullNames, Instant until, List<Duration> windows) throws HistoryException {
    Map<String, Long[]> result = new LinkedHashMap<>();
    List<Target> targets = new ArrayList<>();
    for (String n : fullNames) {
      targets.add(Target.repository(n));
    }
    List<Long> at = new ArrayList<>();
    at.add(until.getEpochSecond());
    for (Duration w : windows) {
      at.add(until.minus(w).getEpochSecond());
    }
    try (Connection reader = connect(file)) {
      // Right after recording them (what export does), this store knows the repositories and
      // their latest observations already: no need to read them again.
      Map<Long, String[]> repositories = known(targets);
      if (repositories == null) {
        repositories = select(reader, targets);
      }
      Map<Long, Points> points = points(reader, repositories.keySet(), at);
      for (Map.Entry<Long, String[]> e : repositories.entrySet()) {
        Points p = points.get(e.getKey());
        Long[] values = new Long[windows.size()];
        if (p != null) {
          Growth g = p.growth();
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

  /**
   * Ids and names of these repository targets from what this store holds in memory, in the order
   * given; null when any is not known here or another process wrote since.
   */
  private synchronized Map<Long, String[]> known(List<Target> targets) throws SQLException {
    if (!latestLoaded || pragma(writer, "data_version") != dataVersion) {
      return null;
    }
    Map<Long, String[]> found = new LinkedHashMap<>();
    for (Target t : targets) {
      if (!(t instanceof Target.Repository r)) {
        return null;
      }
      Long id = ids.get(r.id());
      if (id == null || !latest.containsKey(id)) {
        return null;
      }
      found.put(id, new String[] {r.namespace(), r.name()});
    }
    return found;
  }

  /** Repository ids and names for the targets, in namespace and name order. */
  private static Map<Long, String[]> select(Connection c, List<Target> targets)
      throws SQLException {
    java.util.TreeMap<String, Long> order = new java.util.TreeMap<>();
    Map<Long, String[]> names = new HashMap<>();
    boolean anyOrganization = targets.stream().anyMatch(t -> t instanceof Target.Organization);
    if (anyOrganization || targets.size() > 50) {
      java.util.Set<String> namespaces = new java.util.HashSet<>();
      java.util.Set<String> repositories = new java.util.HashSet<>();
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
          String ns = r.getString(2);
          String full = ns + "/" + r.getString(3);
          if (namespaces.contains(ns) || repositories.contains(full)) {
            order.put(full, r.getLong(1));
            names.put(r.getLong(1), new String[] {ns, r.getString(3)});
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
              names.put(rs.getLong(1), new String[] {r.namespace(), r.name()});
            }
          }
        }
      }
    }
    Map<Long, String[]> sorted = new LinkedHashMap<>();
    for (long id : order.values()) {
      sorted.put(id, names.get(id));
    }
    return sorted;
  }

  /** Known points of one repository's cumulative growth, and its latest total. */
  private static final class Points {
    final java.util.TreeMap<Long, Long> growth = new java.util.TreeMap<>();
    long latestAt = -1;
    long latestCount;

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

  /** Within this far of a boundary the newest observations are searched for its neighbours. */
  private static final long NEIGHBOURHOOD = 15 * 60;

  /**
   * For each repository: its first and latest observation, and the observations just before and
   * just after each instant of {@code at}. Interpolating the cumulative growth between those gives
   * the exact value at each instant, whatever lies between them, without reading every observation.
   */
  private static Map<Long, Points> points(Connection c, Collection<Long> ids, List<Long> at)
      throws SQLException {
    Map<Long, Points> points = new HashMap<>();
    if (ids.isEmpty()) {
      return points;
    }
    String json = jsonIds(ids);
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT repository_id, first_at, first_growth, observed_at, pull_count, growth FROM"
                + " latest WHERE repository_id IN (SELECT value FROM json_each(?))")) {
      q.setString(1, json);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          Points p = new Points();
          p.growth.put(r.getLong(2), r.getLong(3));
          p.latestAt = r.getLong(4);
          p.latestCount = r.getLong(5);
          p.growth.put(p.latestAt, r.getLong(6));
          points.put(r.getLong(1), p);
        }
      }
    }
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
    String neighbour =
        "SELECT o.repository_id, o.observed_at, o.growth FROM json_each(?1) j CROSS JOIN observation o"
            + " ON o.repository_id = j.value AND o.observed_at = (SELECT %s(p.observed_at) FROM"
            + " observation p WHERE p.repository_id = j.value AND p.observed_at %s ?2)";
    try (PreparedStatement before = c.prepareStatement(String.format(neighbour, "max", "<="));
        PreparedStatement after = c.prepareStatement(String.format(neighbour, "min", ">="))) {
      if (at.size() <= 8) {
        // A few instants: the thinned observations within one bucket of each, which are its
        // neighbours; an exact seek only for the repositories that have none on a side.
        long dailyUntil = metaOf(c, "compacted_daily_until", 0);
        try (PreparedStatement near =
            c.prepareStatement(
                "SELECT o.repository_id, o.observed_at, o.growth FROM json_each(?1) j CROSS JOIN"
                    + " observation o ON o.repository_id = j.value AND o.observed_at BETWEEN ?2"
                    + " AND ?3")) {
          for (long t : at) {
            if (t > recentFrom || t >= newestCommon) {
              continue; // the newest observations, or the latest, hold the neighbours
            }
            long span = t < dailyUntil ? 86400 : 3600;
            near.setString(1, json);
            near.setLong(2, t - span);
            near.setLong(3, t + span);
            java.util.Set<Long> below = new java.util.HashSet<>();
            java.util.Set<Long> above = new java.util.HashSet<>();
            try (ResultSet r = near.executeQuery()) {
              while (r.next()) {
                Points p = points.get(r.getLong(1));
                if (p != null) {
                  p.growth.put(r.getLong(2), r.getLong(3));
                  (r.getLong(2) <= t ? below : above).add(r.getLong(1));
                }
              }
            }
            seekMissing(before, ids, below, t, points);
            List<Long> stillMissing = seekMissing(after, ids, above, t, points);
            if (!stillMissing.isEmpty() && recentFrom != Long.MAX_VALUE) {
              // Moved no further than the last thinning: the next one is among the newest.
              recentNeighbours(
                  c,
                  "SELECT repository_id, min(observed_at), growth FROM recent WHERE observed_at"
                      + " BETWEEN ?1 AND ?2 AND repository_id IN (SELECT value FROM"
                      + " json_each(?3)) GROUP BY repository_id",
                  Math.max(t, recentFrom),
                  recentUntil,
                  jsonIds(stillMissing),
                  points);
            }
          }
        }
      } else {
        // Many: every older observation between the first and the last, and one on each side.
        long lo = at.stream().mapToLong(Long::longValue).min().getAsLong();
        long hi = at.stream().mapToLong(Long::longValue).max().getAsLong();
        before.setString(1, json);
        before.setLong(2, lo);
        collect(before, points);
        after.setString(1, json);
        after.setLong(2, hi);
        collect(after, points);
        try (PreparedStatement range =
            c.prepareStatement(
                "SELECT o.repository_id, o.observed_at, o.growth FROM json_each(?1) j CROSS JOIN"
                    + " observation o ON o.repository_id = j.value AND o.observed_at BETWEEN ?2"
                    + " AND ?3")) {
          range.setString(1, json);
          range.setLong(2, lo);
          range.setLong(3, hi);
          collect(range, points);
        }
      }
    }
    // The newest observations are kept by time: near each instant, one scan of a short range,
    // then, for the repositories it did not find (a longer interval, a gap), a scan as far as
    // the newest observations reach.
    String filter = " AND repository_id IN (SELECT value FROM json_each(?3))";
    String nearest =
        "SELECT repository_id, %s(observed_at), growth FROM recent WHERE observed_at BETWEEN ?1"
            + " AND ?2%s GROUP BY repository_id";
    boolean few = ids.size() <= 100;
    for (long t : at) {
      if (t + NEIGHBOURHOOD < recentFrom || t >= newestCommon || t > recentUntil) {
        continue;
      }
      java.util.Set<Long> below =
          recentNeighbours(
              c,
              String.format(nearest, "max", few ? filter : ""),
              t - NEIGHBOURHOOD,
              t,
              few ? json : null,
              points);
      java.util.Set<Long> above =
          t < recentUntil
              ? recentNeighbours(
                  c,
                  String.format(nearest, "min", few ? filter : ""),
                  t,
                  t + NEIGHBOURHOOD,
                  few ? json : null,
                  points)
              : new java.util.HashSet<>(ids);
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
            c, String.format(nearest, "max", filter), recentFrom, t, jsonIds(missingBelow), points);
      }
      if (!missingAbove.isEmpty()) {
        recentNeighbours(
            c,
            String.format(nearest, "min", filter),
            t,
            recentUntil,
            jsonIds(missingAbove),
            points);
      }
    }
    return points;
  }

  /** Adds the rows of one neighbour query on {@code recent}; returns the repositories found. */
  private static java.util.Set<Long> recentNeighbours(
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
      PreparedStatement q,
      Collection<Long> ids,
      java.util.Set<Long> found,
      long t,
      Map<Long, Points> points)
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
    q.setString(1, jsonIds(missing));
    q.setLong(2, t);
    java.util.Set<Long> got = collect(q, points);
    missing.removeIf(got::contains);
    return missing;
  }

  private static long metaOf(Connection c, String key, long fallback) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      q.setString(1, key);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? Long.parseLong(r.getString(1)) : fallback;
      }
    }
  }

  /** Adds the points a neighbour query found; returns the repositories it found them for. */
  private static java.util.Set<Long> collect(PreparedStatement q, Map<Long, Points> points)
      throws SQLException {
    java.util.Set<Long> found = new java.util.HashSet<>();
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
      return damaged(file, e);
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

  private static HistoryException notAFile(Path file) {
    return new HistoryException(
        HistoryException.Kind.UNUSABLE,
        file + " is not a file; move it or choose --data-dir",
        null);
  }

  private static HistoryException damaged(Path file, SQLException cause) {
    return new HistoryException(
        HistoryException.Kind.UNUSABLE,
        file
            + " is damaged or not a database; move it aside (dockerpulls starts a new one) or"
            + " choose --data-dir",
        cause);
  }

  private static HistoryException foreign(Path file) {
    return new HistoryException(
        HistoryException.Kind.UNUSABLE,
        file
            + " is another program's SQLite database, not a dockerpulls history; move it or"
            + " choose --data-dir",
        null);
  }

  private static HistoryException newer(Path file, int version) {
    return new HistoryException(
        HistoryException.Kind.UNUSABLE,
        file
            + " was written by a newer dockerpulls (schema "
            + version
            + ", this one knows "
            + SCHEMA_VERSION
            + "); upgrade dockerpulls",
        null);
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
