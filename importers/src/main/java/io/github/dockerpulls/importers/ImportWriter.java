package io.github.dockerpulls.importers;

import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Observation;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Target;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where every importer puts what its source gave: the history's recording API, in batches of at
 * most {@link #BATCH} observations, each its own transaction, with the tally that the summary line
 * reports. At the end, thinning runs once over what was imported.
 *
 * <p>What enters is checked here, one value at a time, so that one bad value costs only itself: a
 * count must be a finite whole number from 0 to 10^15, the names must be a Docker Hub repository,
 * and the time must lie between Docker Hub's start ({@link #EARLIEST}) and the import's end. The
 * rest is skipped, counted by kind, and the summary shows the first of each kind.
 */
public final class ImportWriter {
  /** Observations recorded in one transaction. */
  public static final int BATCH = 50_000;

  /** No Docker Hub count is older: the Hub opened in 2013. */
  public static final Instant EARLIEST = Instant.parse("2013-01-01T00:00:00Z");

  /** A value that is not a finite whole count from 0 to 10^15. */
  public static final String NOT_A_COUNT = "values that are not whole counts from 0 to 10^15";

  /** A time before {@link #EARLIEST} or after the import's end. */
  public static final String OUT_OF_TIME = "values at times before 2013 or after the import";

  private final HistoryStore store;
  private final Instant until;
  private final int batchSize;
  private final List<Observation> pending = new ArrayList<>();
  private final Set<String> series = new HashSet<>();
  private final SkipTally skipped = new SkipTally();
  private final Set<String> seen = new HashSet<>();
  private long points;
  private long added;
  private Instant first;
  private Instant last;

  /**
   * @param until the latest time a value may have: the import's end, usually now
   */
  public ImportWriter(HistoryStore store, Instant until) {
    this(store, until, BATCH);
  }

  ImportWriter(HistoryStore store, Instant until, int batchSize) {
    this.store = Objects.requireNonNull(store, "store");
    this.until = Objects.requireNonNull(until, "until");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1");
    }
    this.batchSize = batchSize;
  }

  /**
   * Takes one count, or skips it: see the class comment.
   *
   * @param namespace the repository's namespace as the source named it, possibly null
   * @param name the repository as the source named it, possibly null
   * @param noRepository the kind to count it under when the names are not a repository, such as
   *     "documents without a Docker Hub repository"
   * @return whether it was taken
   */
  public boolean offer(
      String namespace, String name, Instant time, double count, String noRepository)
      throws HistoryException {
    Target.Repository repository = repository(namespace, name);
    if (repository == null) {
      skip(noRepository, namespace + "/" + name);
      return false;
    }
    String where = repository.id() + " at " + time;
    if (!isCount(count)) {
      skip(NOT_A_COUNT, number(count) + " for " + where);
      return false;
    }
    if (time.isBefore(EARLIEST) || time.isAfter(until)) {
      skip(OUT_OF_TIME, where);
      return false;
    }
    add(Observation.ofPulls(repository.namespace(), repository.name(), time, (long) count));
    return true;
  }

  /** The repository these names make, or null when they make none. */
  static Target.Repository repository(String namespace, String name) {
    if (namespace == null || name == null) {
      return null;
    }
    try {
      return Target.repository(namespace + "/" + name);
    } catch (HubException.InvalidName e) {
      return null;
    }
  }

  /** Whether {@code v} is a count: finite, whole, from 0 to {@link RepositoryStats#MAX_COUNT}. */
  static boolean isCount(double v) {
    return v >= 0 && v <= RepositoryStats.MAX_COUNT && v == Math.rint(v);
  }

  private static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return v == Math.rint(v) && Math.abs(v) < 1e18 ? Long.toString((long) v) : Double.toString(v);
  }

  /** Adds one observation that is known to be valid; records a batch when one is full. */
  private void add(Observation o) throws HistoryException {
    pending.add(o);
    series.add(o.fullName());
    points++;
    first = first == null || o.observedAt().isBefore(first) ? o.observedAt() : first;
    last = last == null || o.observedAt().isAfter(last) ? o.observedAt() : last;
    if (pending.size() >= batchSize) {
      flush();
    }
  }

  /**
   * Counts something the source gave that is not an observation, under {@code kind}, such as
   * "series whose labels name no Docker Hub repository"; the first {@code example} of each kind is
   * kept for the summary.
   */
  public void skip(String kind, String example) {
    skipped.skip(kind, example);
  }

  /**
   * True the first time {@code key} is met under {@code kind}, for a source that meets the same
   * thing again (a series in every time slice) and counts it once. At most 100,000 keys are kept;
   * past that every meeting counts.
   */
  public boolean firstTime(String kind, String key) {
    return seen.size() >= 100_000 || seen.add(kind + '\u0000' + key);
  }

  /** Records what is pending now, for a source that writes page by page. */
  public void flush() throws HistoryException {
    if (!pending.isEmpty()) {
      added += store.record(pending).added();
      pending.clear();
    }
  }

  /** Records the rest, thins the history when anything was read, and tells what was done. */
  public ImportSummary finish() throws HistoryException {
    flush();
    if (last != null) {
      store.compact();
    }
    return new ImportSummary(
        series.size(), points, added, skipped.total(), skipped.lines(), first, last);
  }
}
