package io.github.dockerpulls.history;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One repository's figures over a report's window.
 *
 * @param namespace the user or organization
 * @param name the repository
 * @param pullCount the latest total observed up to the window's end
 * @param observedAt when that total was observed
 * @param pulls the pulls in the window, null when nothing is known of it
 * @param previousPulls the pulls in the window of the same length just before, null when unknown
 * @param series the pulls of each period of the window, oldest first
 */
public record RepositoryHistory(
    String namespace,
    String name,
    long pullCount,
    Instant observedAt,
    Long pulls,
    Long previousPulls,
    List<Period> series) {
  public RepositoryHistory {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(observedAt, "observedAt");
    series = List.copyOf(series);
  }

  /** {@code namespace/name}. */
  public String fullName() {
    return namespace + "/" + name;
  }
}
