package io.github.dockerpulls.history;

import io.github.dockerpulls.history.HistoryFailures.Operation;
import io.github.dockerpulls.hub.Target;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The history's one writing connection: recording observations, merging older ones (imports) into
 * each repository's running total, and the caches that keep a refresh from reading what it wrote
 * (repository ids, each repository's first and latest observation). Writes are serialized on this
 * object; thinning runs inside the same transactions.
 */
final class HistoryWriter implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HistoryStore.class.getName());

  private final HistoryLocation where;
  private final Dialect dialect;
  private Connection connection;
  private final Thinning thinning;

  /** Repository ids by {@code namespace/name}; ids never change. */
  private final Map<String, Long> ids = new HashMap<>();

  /** The {@code latest} table, loaded whole; reloaded when another process wrote. */
  private final Map<Long, Latest> latest = new HashMap<>();

  private boolean latestLoaded;
  private long dataVersion = -1;

  /** The write transactions this writer committed. */
  private long commits;

  /** A repository's first and latest observation, as the {@code latest} table keeps them. */
  record Latest(long firstAt, long firstGrowth, long at, long count, long growth) {}

  /** Where a point of a merged series is, or is to be, stored. */
  private enum Origin {
    OBSERVATION,
    RECENT,
    /** Only in the {@code latest} table: thinning removed the row it was read from. */
    LATEST,
    NEW
  }

  /** A point of a series being merged: its count, its stored growth (-1 when new), its origin. */
  private record Stored(long count, long growth, Origin origin) {}

  /** A merged observation to insert, with the running total computed for it. */
  private record Insert(long repositoryId, long growth, Observation observation) {}

  /** A stored point whose running total the merge changed. */
  private record GrowthUpdate(Origin table, long repositoryId, long at, long growth) {}

  HistoryWriter(HistoryLocation where, Connection connection, Thinning thinning) {
    this.where = where;
    this.dialect = where.dialect();
    this.connection = connection;
    this.thinning = thinning;
  }

  /**
   * Records observations in one transaction; see {@link HistoryStore#record(Collection)}. Thinning
   * runs afterwards in the same transaction when it is due.
   */
  synchronized HistoryStore.RecordResult record(Collection<Observation> observations)
      throws HistoryException {
    List<String> decreases = new ArrayList<>();
    HistoryStore.RecordResult result =
        inTransaction(
            Operation.WRITE,
            () -> {
              HistoryStore.RecordResult recorded = recordInTransaction(observations, decreases);
              if (thinning.compactIfDue(connection, latest.keySet())) {
                reload();
              }
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

  /** Applies the retention as of {@code now}, in a transaction of its own. */
  synchronized void compact(Instant now) throws HistoryException {
    inTransaction(
        Operation.COMPACT,
        () -> {
          loadIfChangedElsewhere();
          if (thinning.compact(connection, now, latest.keySet())) {
            reload();
          }
          return null;
        });
  }

  private HistoryStore.RecordResult recordInTransaction(
      Collection<Observation> observations, List<String> decreases) throws SQLException {
    loadIfChangedElsewhere();
    int added = 0;
    long oldest = Long.MAX_VALUE;
    Map<Long, List<Observation>> older = new HashMap<>();
    Map<Long, Latest> changed = new HashMap<>();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO recent (observed_at, repository_id, pull_count, star_count,"
                + " last_updated, growth) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
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
        bindObservation(insert, at, id, o, growth);
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
    // Older than what thinning has covered (a first import): let it cover them too.
    thinning.rewindIfThinned(connection, oldest);
    if (!older.isEmpty()) {
      added += merge(older);
    }
    return new HistoryStore.RecordResult(observations.size(), added, decreases.size());
  }

  /**
   * Binds an observation in the column order (observed_at, repository_id, ...) of {@code recent}.
   */
  private static void bindObservation(
      PreparedStatement p, long at, long id, Observation o, long growth) throws SQLException {
    p.setLong(1, at);
    p.setLong(2, id);
    p.setLong(3, o.pullCount());
    HistoryDatabase.setOptional(p, 4, o.starCount());
    HistoryDatabase.setOptional(p, 5, epochSeconds(o.lastUpdated()));
    p.setLong(6, growth);
  }

  private static OptionalLong epochSeconds(Optional<Instant> t) {
    return t.isPresent() ? OptionalLong.of(t.get().getEpochSecond()) : OptionalLong.empty();
  }

  private void saveLatest(Map<Long, Latest> changed) throws SQLException {
    if (changed.isEmpty()) {
      return;
    }
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "INSERT INTO latest (repository_id, first_at, first_growth, observed_at,"
                + " pull_count, growth) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (repository_id) DO"
                + " UPDATE SET first_at = excluded.first_at, first_growth = excluded.first_growth,"
                + " observed_at = excluded.observed_at, pull_count = excluded.pull_count,"
                + " growth = excluded.growth")) {
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
    String json = HistoryDatabase.jsonIds(older.keySet());
    Map<Long, TreeMap<Long, Stored>> rows = new HashMap<>();
    try (PreparedStatement q =
        connection.prepareStatement(
            "SELECT repository_id, observed_at, pull_count, growth, 0 FROM observation WHERE"
                + " "
                + dialect.idIn("repository_id")
                + " UNION ALL SELECT repository_id, observed_at, pull_count, growth, 1 FROM"
                + " recent WHERE "
                + dialect.idIn("repository_id"))) {
      q.setString(1, json);
      q.setString(2, json);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          Origin origin = r.getInt(5) == 0 ? Origin.OBSERVATION : Origin.RECENT;
          rows.computeIfAbsent(r.getLong(1), k -> new TreeMap<>())
              .put(r.getLong(2), new Stored(r.getLong(3), r.getLong(4), origin));
        }
      }
    }
    // Where thinning has run, a bucket that holds an observation already keeps it alone: what
    // thinning removed is not brought back by recording (or importing) the same again.
    Thinning.Covered covered = thinning.covered(connection);
    int added = 0;
    List<Insert> inserts = new ArrayList<>();
    List<GrowthUpdate> updates = new ArrayList<>();
    Map<Long, Latest> changed = new HashMap<>();
    for (Map.Entry<Long, List<Observation>> e : older.entrySet()) {
      long id = e.getKey();
      TreeMap<Long, Stored> series = rows.computeIfAbsent(id, k -> new TreeMap<>());
      Latest current = latest.get(id);
      if (current != null) {
        // The newest observation stays the line's end even where thinning removed its row.
        series.putIfAbsent(
            current.at(), new Stored(current.count(), current.growth(), Origin.LATEST));
      }
      Map<Long, Observation> fresh = new HashMap<>();
      for (Observation o : e.getValue()) {
        long at = o.observedAt().getEpochSecond();
        long bucket = covered.bucketAt(at);
        if (bucket > 0) {
          long from = HistoryDatabase.floor(at, bucket);
          Long kept = series.ceilingKey(from);
          if (kept != null && kept < from + bucket && series.get(kept).origin() != Origin.NEW) {
            continue;
          }
        }
        if (!series.containsKey(at)) {
          series.put(at, new Stored(o.pullCount(), -1, Origin.NEW));
          fresh.put(at, o);
        }
      }
      long growth = 0;
      Stored before = null;
      for (Map.Entry<Long, Stored> point : series.entrySet()) {
        Stored v = point.getValue();
        growth += step(before, v);
        before = v;
        if (v.origin() == Origin.NEW) {
          inserts.add(new Insert(id, growth, fresh.get(point.getKey())));
        } else if (v.origin() != Origin.LATEST && v.growth() != growth) {
          updates.add(new GrowthUpdate(v.origin(), id, point.getKey(), growth));
        }
      }
      Map.Entry<Long, Stored> last = series.lastEntry();
      Latest l = new Latest(series.firstKey(), 0, last.getKey(), last.getValue().count(), growth);
      latest.put(id, l);
      changed.put(id, l);
      added += fresh.size();
    }
    long oldest = insert(inserts);
    update(updates);
    saveLatest(changed);
    if (oldest != Long.MAX_VALUE) {
      // What was merged may be older than what thinning has done: let it thin that range again.
      thinning.rewind(connection, oldest);
    }
    return added;
  }

  /**
   * The pulls between two neighbouring points of a merged series. Between two stored points it is
   * what was stored (their running totals' difference), which was counted at the resolution they
   * were recorded at: thinning may since have removed the observations around a decrease, and
   * counting again from the thinned counts would lose the pulls before it. Next to a new point it
   * is the rise of the count, a decrease adding nothing.
   */
  private static long step(Stored before, Stored v) {
    if (before == null) {
      return 0;
    }
    if (before.origin() != Origin.NEW && v.origin() != Origin.NEW) {
      return v.growth() - before.growth();
    }
    return Math.max(0, v.count() - before.count());
  }

  /** Inserts merged observations; returns the oldest one's time, or Long.MAX_VALUE for none. */
  private long insert(List<Insert> inserts) throws SQLException {
    long oldest = Long.MAX_VALUE;
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO observation (observed_at, repository_id, pull_count,"
                + " star_count, last_updated, growth) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
      for (Insert row : inserts) {
        long at = row.observation().observedAt().getEpochSecond();
        bindObservation(insert, at, row.repositoryId(), row.observation(), row.growth());
        insert.addBatch();
        oldest = Math.min(oldest, at);
      }
      insert.executeBatch();
    }
    return oldest;
  }

  private void update(List<GrowthUpdate> updates) throws SQLException {
    try (PreparedStatement inObservation =
            connection.prepareStatement(
                "UPDATE observation SET growth = ? WHERE repository_id = ? AND observed_at = ?");
        PreparedStatement inRecent =
            connection.prepareStatement(
                "UPDATE recent SET growth = ? WHERE repository_id = ? AND observed_at = ?")) {
      for (GrowthUpdate u : updates) {
        PreparedStatement p = u.table() == Origin.OBSERVATION ? inObservation : inRecent;
        p.setLong(1, u.growth());
        p.setLong(2, u.repositoryId());
        p.setLong(3, u.at());
        p.addBatch();
      }
      inObservation.executeBatch();
      inRecent.executeBatch();
    }
  }

  /** Reloads the caches when another connection committed since this one last looked. */
  private void loadIfChangedElsewhere() throws SQLException {
    long version = dialect.writeVersion(connection);
    if (latestLoaded && version == dataVersion) {
      return;
    }
    dataVersion = version;
    latest.clear();
    try (Statement s = connection.createStatement();
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
      try (Statement s = connection.createStatement();
          ResultSet r = s.executeQuery("SELECT id, namespace, name FROM repository")) {
        while (r.next()) {
          ids.put(r.getString(2) + "/" + r.getString(3), r.getLong(1));
        }
      }
    }
    latestLoaded = true;
  }

  /** Loads the {@code latest} table again, after thinning changed it. */
  private void reload() throws SQLException {
    latestLoaded = false;
    loadIfChangedElsewhere();
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
        connection.prepareStatement(
            "INSERT INTO repository (namespace, name) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
      insert.setString(1, namespace);
      insert.setString(2, name);
      insert.executeUpdate();
    }
    try (PreparedStatement q =
        connection.prepareStatement("SELECT id FROM repository WHERE namespace = ? AND name = ?")) {
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

  /**
   * These repository targets as this writer knows them in memory, with their latest observations,
   * in the order given; null when any is not known here, or another process wrote since. Right
   * after recording them (what {@code export} does), a read needs not look them up again.
   */
  synchronized Known known(List<Target> targets) throws SQLException {
    reconnectIfLost();
    if (!latestLoaded || dialect.writeVersion(connection) != dataVersion) {
      return null;
    }
    Map<Long, RepositoryName> found = new LinkedHashMap<>();
    Map<Long, Latest> values = new HashMap<>();
    for (Target t : targets) {
      if (!(t instanceof Target.Repository r)) {
        return null;
      }
      Long id = ids.get(r.id());
      Latest l = id == null ? null : latest.get(id);
      if (l == null) {
        return null;
      }
      found.put(id, new RepositoryName(r.namespace(), r.name()));
      values.put(id, l);
    }
    return new Known(found, values);
  }

  /** Repositories as the writer knows them: their names, and their latest observations. */
  record Known(Map<Long, RepositoryName> names, Map<Long, Latest> latest) {}

  /**
   * Loads what recording needs from the history (each repository's id and latest observation)
   * outside a write, so that a record right after spends its transaction writing. What another
   * process writes in between is noticed by the record as always.
   */
  synchronized void prepare() throws SQLException {
    reconnectIfLost();
    loadIfChangedElsewhere();
  }

  /**
   * A number that grows whenever the history changes: this writer's commits and every other
   * connection's (another process, an import's batch). Equal numbers mean the same history.
   */
  synchronized long changes() throws SQLException {
    reconnectIfLost();
    return commits + dialect.writeVersion(connection);
  }

  /** Work on the writing connection that must commit whole or not at all. */
  private interface Transaction<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction. On failure it is rolled back and the caches, which may
   * hold what was rolled back, are dropped; the failure becomes one line about {@code operation}.
   */
  private <T> T inTransaction(Operation operation, Transaction<T> work) throws HistoryException {
    try {
      reconnectIfLost();
      dialect.beginWrite(connection);
      try {
        T result = work.run();
        dialect.written(connection);
        // Read while this transaction still holds the writers' turn: no other writer can commit
        // in between, so a write of another process right after this commit is noticed.
        long version = dialect.writeVersion(connection);
        connection.commit();
        commits++;
        dataVersion = version;
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly();
        forget();
        throw e;
      } finally {
        restoreAutoCommit();
      }
    } catch (SQLException e) {
      throw HistoryFailures.translate(where, operation, e);
    }
  }

  /**
   * A PostgreSQL server restarts, fails over or drops idle connections: the writing connection is
   * opened again before the next write, instead of every later write failing on the dead one; a
   * writer that could not connect at all yet (see {@link HistoryStore#openWaiting}) connects here.
   * (An SQLite file has no connection to lose.)
   */
  private void reconnectIfLost() throws SQLException {
    if (dialect == Dialect.SQLITE || (connection != null && connection.isValid(10))) {
      return;
    }
    HistoryDatabase.closeQuietly(connection);
    connection = null;
    forget();
    try {
      connection = HistoryDatabase.openWriter(where);
    } catch (HistoryException e) {
      // Not ours any more (another program's tables, a newer schema): said as it is.
      throw new SQLException(e.getMessage(), null, e);
    }
  }

  /**
   * Back to auto-commit after a transaction. SQLite has already ended a transaction that failed (a
   * full disk rolls it back), so a failure here only repeats the one being reported.
   */
  private void restoreAutoCommit() {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException alreadyEnded) {
      // The transaction's own failure is what the caller reports.
    }
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the next write says why.
    }
  }

  /** For tests: limits an SQLite file's size so that a write fails as on a full disk. */
  synchronized void limitPages(int pages) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA max_page_count=" + pages);
    }
  }

  @Override
  public synchronized void close() {
    HistoryDatabase.closeQuietly(connection);
  }
}
