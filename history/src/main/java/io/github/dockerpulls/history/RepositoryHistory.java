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
 * @param insights what the history holds of Docker Hub Insights for it over the window, when asked
 *     for and present; null otherwise. A repository known only from Insights has no observation:
 *     its {@code observedAt} and {@code pulls} are null and its {@code pullCount} 0.
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
    List<Period> series,
    Insights insights) {
  public RepositoryHistory {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    if (observedAt == null && insights == null) {
      throw new NullPointerException("observedAt");
    }
    series = List.copyOf(series);
  }

  /** Figures read off the counter, without Insights. */
  public RepositoryHistory(
      String namespace,
      String name,
      long pullCount,
      Instant observedAt,
      Long pulls,
      Long previousPulls,
      Instant coveredFrom,
      double coverage,
      List<Period> series) {
    this(
        namespace,
        name,
        pullCount,
        observedAt,
        pulls,
        previousPulls,
        coveredFrom,
        coverage,
        series,
        null);
  }

  /** A repository the history knows only from Insights. */
  static RepositoryHistory insightsOnly(String namespace, String name, Insights insights) {
    return new RepositoryHistory(
        namespace, name, 0, null, null, null, null, 0, List.of(), insights);
  }

  /** The same figures with {@code insights}. */
  public RepositoryHistory withInsights(Insights insights) {
    return new RepositoryHistory(
        namespace,
        name,
        pullCount,
        observedAt,
        pulls,
        previousPulls,
        coveredFrom,
        coverage,
        series,
        insights);
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
