package io.github.dockerpulls.importers;

import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Observation;
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
 */
public final class ImportWriter {
  /** Observations recorded in one transaction. */
  public static final int BATCH = 50_000;

  private final HistoryStore store;
  private final int batchSize;
  private final List<Observation> pending = new ArrayList<>();
  private final Set<String> series = new HashSet<>();
  private long points;
  private long added;
  private long skipped;
  private Instant first;
  private Instant last;

  public ImportWriter(HistoryStore store) {
    this(store, BATCH);
  }

  ImportWriter(HistoryStore store, int batchSize) {
    this.store = Objects.requireNonNull(store, "store");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1");
    }
    this.batchSize = batchSize;
  }

  /** Adds one observation; records a batch when one is full. */
  public void add(Observation o) throws HistoryException {
    pending.add(o);
    series.add(o.fullName());
    points++;
    first = first == null || o.observedAt().isBefore(first) ? o.observedAt() : first;
    last = last == null || o.observedAt().isAfter(last) ? o.observedAt() : last;
    if (pending.size() >= batchSize) {
      flush();
    }
  }

  /** Counts what the source gave that is not an observation (series, documents). */
  public void skip(long count) {
    skipped += count;
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
    return new ImportSummary(series.size(), points, added, skipped, first, last);
  }
}
