package io.github.dockerpulls.history;

import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.SnapshotListener;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Records every snapshot in the history: the listener that {@code serve} hands its poller and that
 * {@code export} calls once. A failure (a full disk, a read-only file) is reported once, and once
 * more when recording works again, so that a long-running caller logs two lines rather than one a
 * refresh; the other outputs go on meanwhile. A snapshot without repositories records nothing.
 */
public final class HistoryRecorder implements SnapshotListener {
  private final HistoryStore store;
  private final Consumer<HistoryException> failed;
  private final Consumer<HistoryLocation> recovered;
  private boolean failing;

  /**
   * @param store where to record
   * @param failed told of the first failure of a run of failures
   * @param recovered told where the history is when recording works again after a failure
   */
  public HistoryRecorder(
      HistoryStore store, Consumer<HistoryException> failed, Consumer<HistoryLocation> recovered) {
    this.store = Objects.requireNonNull(store, "store");
    this.failed = Objects.requireNonNull(failed, "failed");
    this.recovered = Objects.requireNonNull(recovered, "recovered");
  }

  @Override
  public void onSnapshot(Snapshot snapshot) {
    record(snapshot);
  }

  /** Records {@code snapshot}; false when it could not be recorded (the failure was reported). */
  public synchronized boolean record(Snapshot snapshot) {
    if (snapshot.repositories().isEmpty()) {
      return true;
    }
    try {
      store.record(snapshot);
    } catch (HistoryException e) {
      if (!failing) {
        failing = true;
        failed.accept(e);
      }
      return false;
    }
    if (failing) {
      failing = false;
      recovered.accept(store.location());
    }
    return true;
  }
}
