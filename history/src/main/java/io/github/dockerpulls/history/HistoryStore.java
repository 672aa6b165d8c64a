package io.github.dockerpulls.history;

import io.github.dockerpulls.history.HistoryFailures.Operation;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pull count history: one SQLite file, {@value #FILE_NAME}, or one PostgreSQL database shared
 * by several processes (see {@link HistoryLocation}), that records every observation and answers
 * how many pulls a set of repositories had per day, week or month.
 *
 * <p>The file is in WAL mode with a busy timeout, so that an {@code export} may record beside a
 * running {@code serve}: each records in its own short transaction and neither fails. A process
 * killed in the middle of a write loses at most that write; what was committed stays. A file that
 * is not a dockerpulls history is never written to. On PostgreSQL the writers of every process take
 * their turn on one lock in the same way, so two replicas recording the same aligned observation
 * store it once.
 *
 * <p>Thread-safe: writes are serialized on one connection; each read uses a connection of its own,
 * so reading (a report, the exporter's API) never waits for a write.
 *
 * <p>This class is the facade over the history's parts: {@link HistoryDatabase} (the file, its
 * schema and migrations), {@link HistoryWriter} (recording, merging, caches), {@link Thinning}
 * (retention), {@link HistoryQueries} and {@link NeighbourSearch} (reading), and {@link
 * HistoryFailures} (one-line errors).
 */
public final class HistoryStore implements AutoCloseable {
  /** The database file's name inside the data directory. */
  public static final String FILE_NAME = "dockerpulls.db";

  private final HistoryLocation where;
  private final Clock clock;
  private final HistoryWriter writer;

  private HistoryStore(HistoryLocation where, Clock clock, HistoryWriter writer) {
    this.where = where;
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
    return open(HistoryLocation.sqlite(directory), retention, clock);
  }

  /**
   * Opens (or creates) the history at {@code where}, migrating an older schema forward: an SQLite
   * file (its directory created when missing) or a PostgreSQL database, which must exist and in
   * which the history's tables are created when none of them are there.
   *
   * @throws HistoryException {@link HistoryException.Kind#UNUSABLE} when it is not a dockerpulls
   *     history (left untouched), {@link HistoryException.Kind#UNWRITABLE} when it cannot be
   *     created, reached or written
   */
  public static HistoryStore open(HistoryLocation where, Retention retention, Clock clock)
      throws HistoryException {
    Optional<Path> file = where.file();
    if (file.isPresent()) {
      Path directory = file.get().getParent();
      try {
        Files.createDirectories(directory);
      } catch (IOException e) {
        throw HistoryFailures.cannotCreateDirectory(directory, e);
      }
      if (Files.exists(file.get()) && !Files.isRegularFile(file.get())) {
        throw HistoryFailures.notAFile(file.get());
      }
    }
    try {
      Connection connection = HistoryDatabase.openWriter(where);
      return new HistoryStore(
          where, clock, new HistoryWriter(where, connection, new Thinning(retention, clock)));
    } catch (SQLException e) {
      throw HistoryFailures.translate(where, Operation.OPEN, e);
    }
  }

  /**
   * {@link #open}, except that a PostgreSQL database that cannot be reached or used yet (the server
   * is starting, the database not yet created) does not fail: {@code notYet} hears why, once, and
   * the store connects at its first write or read instead, and again whenever the connection is
   * lost. What a long-running exporter opens, so that a replica that starts before its database
   * records from when the database is there. A history that is not ours still fails here; an SQLite
   * file opens as with {@link #open}.
   */
  public static HistoryStore openWaiting(
      HistoryLocation where,
      Retention retention,
      Clock clock,
      java.util.function.Consumer<HistoryException> notYet)
      throws HistoryException {
    if (!where.shared()) {
      return open(where, retention, clock);
    }
    try {
      return open(where, retention, clock);
    } catch (HistoryException e) {
      if (e.kind() == HistoryException.Kind.UNUSABLE) {
        throw e;
      }
      notYet.accept(e);
      return new HistoryStore(
          where, clock, new HistoryWriter(where, null, new Thinning(retention, clock)));
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
    HistoryDatabase.checkHeader(directory.resolve(FILE_NAME));
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

  /** Where the history is: its SQLite file or its PostgreSQL database. */
  public HistoryLocation location() {
    return where;
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
   * count lower than the one before is kept as it is (it is the new base) and logged once, when it
   * is recorded. Observations older than a repository's latest (an import) are merged into its
   * history.
   */
  public RecordResult record(Collection<Observation> observations) throws HistoryException {
    return writer.record(observations);
  }

  /**
   * What one {@link #record} did.
   *
   * @param seen the observations given
   * @param added the observations that were new
   * @param decreases the repositories whose pull count went down at the newest observation
   */
  public record RecordResult(int seen, int added, int decreases) {}

  /**
   * Reads ahead what the next {@link #record} needs (each repository's id and latest observation),
   * so that it spends its transaction writing: {@code export} calls this while Docker Hub answers.
   * What another process writes in between is noticed by the record as always; a history that
   * cannot be read fails here as the record would.
   */
  public void prepareRecording() throws HistoryException {
    try {
      writer.prepare();
    } catch (SQLException e) {
      throw HistoryFailures.translate(where, Operation.READ, e);
    }
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
  public void compact(Instant now) throws HistoryException {
    writer.compact(now);
  }

  /**
   * The pulls per period of the targets' repositories (every recorded repository of an organization
   * target), from the start of the period holding {@code since} to {@code until}. Repositories
   * never observed are left out. The whole answer is held in memory: for large questions, {@link
   * #stream}.
   */
  public HistoryReport report(
      List<Target> targets, Instant since, Instant until, Granularity by, ZoneId zone)
      throws HistoryException {
    return report(new ReportQuery(targets, since, until, by, zone));
  }

  /** The pulls per period that {@code query} asks for, held in memory. */
  public HistoryReport report(ReportQuery query) throws HistoryException {
    try (Connection reader = HistoryDatabase.openReader(where)) {
      return HistoryQueries.report(reader, query);
    } catch (SQLException e) {
      throw HistoryFailures.translate(where, Operation.READ, e);
    }
  }

  /**
   * The answer to {@code query}, written to {@code out} as it is computed: a hundred repositories'
   * figures are held at a time, whatever the size of the answer.
   *
   * @param order the repositories' full names in the order to write them; null for namespace and
   *     name order. Names not in the answer are passed over; repositories it does not name follow
   *     in name order.
   * @throws ReportQuery.TooLarge before anything is written, when the answer would hold more than
   *     {@link ReportQuery#MAX_VALUES} values
   * @throws IOException when {@code out} fails
   */
  public void stream(ReportQuery query, List<String> order, ReportWriter out)
      throws HistoryException, IOException {
    stream(query, order, null, out);
  }

  /**
   * {@link #stream(ReportQuery, List, ReportWriter)}, with each repository's Docker Hub {@link
   * Insights} (weekly or monthly reports only), the repositories known only from Insights included.
   *
   * @param tags null for no Insights; else a glob of the tags to give ({@code *} for all, see
   *     {@link Insights#matching})
   */
  public void stream(ReportQuery query, List<String> order, String tags, ReportWriter out)
      throws HistoryException, IOException {
    try (Connection reader = HistoryDatabase.openReader(where)) {
      HistoryQueries.stream(reader, query, order, true, tags, out);
    } catch (SQLException e) {
      throw HistoryFailures.translate(where, Operation.READ, e);
    }
  }

  /**
   * The answer to {@code query} as a cursor: each {@link ReportCursor#next()} computes the next
   * hundred repositories. The cursor holds a reading connection until it is closed.
   *
   * @param order as for {@link #stream}
   * @throws ReportQuery.TooLarge when the answer would hold more than {@link
   *     ReportQuery#MAX_VALUES} values
   */
  public ReportCursor cursor(ReportQuery query, List<String> order) throws HistoryException {
    return cursor(query, order, 100);
  }

  /**
   * {@link #cursor(ReportQuery, List)} computing at most {@code chunk} repositories per {@link
   * ReportCursor#next()}: fewer for an answer that waits on a slow reader, which then holds less.
   */
  public ReportCursor cursor(ReportQuery query, List<String> order, int chunk)
      throws HistoryException {
    return cursor(query, order, chunk, null);
  }

  /** {@link #cursor(ReportQuery, List, int)}, with Insights as {@link #stream} gives them. */
  public ReportCursor cursor(ReportQuery query, List<String> order, int chunk, String tags)
      throws HistoryException {
    Connection reader = null;
    try {
      reader = HistoryDatabase.openReader(where);
      return new ReportCursor(reader, query, order, true, true)
          .location(where)
          .chunk(chunk)
          .insights(tags);
    } catch (SQLException e) {
      HistoryDatabase.closeQuietly(reader);
      throw HistoryFailures.translate(where, Operation.READ, e);
    } catch (RuntimeException e) {
      HistoryDatabase.closeQuietly(reader);
      throw e;
    }
  }

  /**
   * Each repository's figures over the window of {@code query} without their series: its total, its
   * pulls in the window and the window before. Cheap at any size; a caller sorts by them, then
   * {@link #stream}s in that order.
   */
  public List<RepositoryHistory> totals(ReportQuery query) throws HistoryException {
    List<RepositoryHistory> result = new ArrayList<>();
    try (Connection reader = HistoryDatabase.openReader(where)) {
      HistoryQueries.stream(
          reader,
          query,
          null,
          false,
          new ReportWriter() {
            @Override
            public void begin(Instant since, Instant until, Granularity by, ZoneId zone) {}

            @Override
            public void repository(RepositoryHistory repository) {
              result.add(repository);
            }

            @Override
            public void end() {}
          });
    } catch (SQLException e) {
      throw HistoryFailures.translate(where, Operation.READ, e);
    } catch (IOException e) {
      throw new IllegalStateException("collecting in memory does not fail", e);
    }
    return result;
  }

  /**
   * The latest observation of each of the targets' repositories (every recorded repository of an
   * organization target), with its stars and last push: what a static report shows beside the
   * pulls. Ordered by namespace and name.
   */
  public List<Observation> latest(List<Target> targets) throws HistoryException {
    try (Connection reader = HistoryDatabase.openReader(where)) {
      return HistoryQueries.latest(reader, targets);
    } catch (SQLException e) {
      throw HistoryFailures.translate(where, Operation.READ, e);
    }
  }

  /**
   * The pulls of each named repository ({@code namespace/name}) in the windows that end at {@code
   * until} and last {@code windows}, and since when the history covers it; a window the history
   * covers none of is null.
   */
  public Map<String, RecentPulls> growth(
      Collection<String> fullNames, Instant until, List<Duration> windows) throws HistoryException {
    List<Target> targets = new ArrayList<>(fullNames.size());
    for (String n : fullNames) {
      targets.add(Target.repository(n));
    }
    try (Connection reader = HistoryDatabase.openReader(where)) {
      return HistoryQueries.growth(reader, writer.known(targets), targets, until, windows);
    } catch (SQLException e) {
      throw HistoryFailures.translate(where, Operation.READ, e);
    }
  }

  /**
   * The targets' observations from {@code since} to {@code until} as OpenMetrics text for {@code
   * promtool tsdb create-blocks-from openmetrics}: see {@link HistoryOpenMetrics}.
   *
   * @param legacyGauge whether to add the Flask exporter's {@code docker_image_pulls}
   * @return the samples written
   */
  public long openMetrics(
      List<Target> targets, Instant since, Instant until, boolean legacyGauge, Appendable out)
      throws HistoryException, IOException {
    try (Connection reader = HistoryDatabase.openReader(where)) {
      return HistoryOpenMetrics.write(reader, targets, since, until, legacyGauge, out);
    } catch (SQLException e) {
      throw HistoryFailures.translate(where, Operation.READ, e);
    }
  }

  /**
   * Every observation of the targets' repositories (every recorded repository of an organization
   * target) from {@code since} to {@code until}, in time order, handed to {@code out} one instant
   * at a time (the observations recorded at the same second): what a backfill of another store
   * replays. Memory holds one instant, whatever the range.
   *
   * @return the observations handed out
   */
  public long replay(
      List<Target> targets,
      Instant since,
      Instant until,
      java.util.function.Consumer<List<Observation>> out)
      throws HistoryException {
    try (Connection reader = HistoryDatabase.openReader(where)) {
      return HistoryQueries.replay(
          reader,
          HistoryQueries.select(reader, targets),
          since.getEpochSecond(),
          until.getEpochSecond(),
          out);
    } catch (SQLException e) {
      throw HistoryFailures.translate(where, Operation.READ, e);
    }
  }

  /**
   * The star counts and pushes of one repository ({@code namespace/name}) that the observations
   * between {@code since} and {@code until} show; empty when the history does not know it.
   */
  public RepositoryEvents events(String fullName, Instant since, Instant until)
      throws HistoryException {
    try (Connection reader = HistoryDatabase.openReader(where)) {
      Map<Long, RepositoryName> found =
          HistoryQueries.select(reader, List.of(Target.repository(fullName)));
      if (found.isEmpty()) {
        return new RepositoryEvents(List.of(), List.of(), false);
      }
      return RepositoryEvents.read(reader, found.keySet().iterator().next(), since, until);
    } catch (SQLException e) {
      throw HistoryFailures.translate(where, Operation.READ, e);
    }
  }

  /**
   * A batch that brings Docker Hub Insights into the history, each commit in a transaction of its
   * own; see {@link InsightsBatch}.
   *
   * @param source what the figures come from, kept with them
   */
  public InsightsBatch insights(InsightsBatch.Source source) throws HistoryException {
    return new InsightsBatch(where, source);
  }

  /**
   * Every Insights figure the history holds of {@code namespace}'s repositories for periods that
   * start from {@code since}, as stored (the kept tags, {@code (other)}, the breakdowns), one at a
   * time: what an export of them elsewhere reads.
   */
  public void insightFigures(
      String namespace, java.time.LocalDate since, java.util.function.Consumer<InsightFigure> out)
      throws HistoryException {
    try (Connection reader = HistoryDatabase.openReader(where)) {
      InsightsQueries.figures(reader, namespace, since, out);
    } catch (SQLException e) {
      throw HistoryFailures.translate(where, Operation.READ, e);
    }
  }

  /**
   * Every namespace the history holds, as organization targets in name order: what a report of
   * "everything" asks for.
   */
  public List<Target> namespaces() throws HistoryException {
    List<Target> result = new ArrayList<>();
    try (Connection reader = HistoryDatabase.openReader(where);
        java.sql.Statement s = reader.createStatement();
        java.sql.ResultSet r =
            s.executeQuery("SELECT DISTINCT namespace FROM repository ORDER BY namespace")) {
      while (r.next()) {
        result.add(Target.organization(r.getString(1)));
      }
    } catch (SQLException e) {
      throw HistoryFailures.translate(where, Operation.READ, e);
    }
    return result;
  }

  /**
   * A number that grows whenever the history changes, by this store or by any other process or
   * batch: a reader that kept an answer may keep using it while the number is the same.
   */
  public long changes() throws HistoryException {
    try {
      return writer.changes();
    } catch (SQLException e) {
      throw HistoryFailures.translate(where, Operation.READ, e);
    }
  }

  @Override
  public void close() {
    writer.close();
  }

  /** For tests: limits the file's size so that a write fails as on a full disk. */
  void limitPages(int pages) throws SQLException {
    writer.limitPages(pages);
  }
}
