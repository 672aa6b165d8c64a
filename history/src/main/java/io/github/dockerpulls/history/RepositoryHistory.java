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
 * @param previousPulls the pulls in the window of the same length just before, null unless the
 *     history covers that window whole
 * @param coveredFrom the repository's first observation: the history covers it from then on; null
 *     when not known
 * @param coverage the share of the window the history covers, from 0 to 1
 * @param series the pulls of each period of the window, oldest first
 */
public record RepositoryHistory(
    String namespace,
    String name,
    long pullCount,
    Instant observedAt,
    Long pulls,
    Long previousPulls,
    Instant coveredFrom,
    double coverage,
    List<Period> series) {
  public RepositoryHistory {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(observedAt, "observedAt");
    series = List.copyOf(series);
  }

  /** Figures whose coverage is not known: the window counted as covered when its pulls are. */
  public RepositoryHistory(
      String namespace,
      String name,
      long pullCount,
      Instant observedAt,
      Long pulls,
      Long previousPulls,
      List<Period> series) {
    this(
        namespace,
        name,
        pullCount,
        observedAt,
        pulls,
        previousPulls,
        null,
        pulls == null ? 0 : 1,
        series);
  }

  /** {@code namespace/name}. */
  public String fullName() {
    return namespace + "/" + name;
  }
}
