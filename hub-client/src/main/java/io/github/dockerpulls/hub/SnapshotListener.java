package io.github.dockerpulls.hub;

/** Receives every snapshot a {@link Poller} takes; called on the poller's thread. */
@FunctionalInterface
public interface SnapshotListener {
  void onSnapshot(Snapshot snapshot);
}
