package io.github.dockerpulls.cli;

import io.github.dockerpulls.hub.RepositoryStats;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code export --sort}: the most first for counts and dates, A to Z for names. Repositories
 * without the value come last; ties are broken by full name so that the order never depends on the
 * Hub's.
 */
public enum SortOrder {
  PULLS(Comparator.comparingLong(RepositoryStats::pullCount).reversed()),
  STARS(
      Comparator.comparingLong(
              (RepositoryStats r) -> r.starCount().isPresent() ? r.starCount().getAsLong() : -1)
          .reversed()),
  NAME((a, b) -> 0),
  UPDATED(
      Comparator.comparing(
          (RepositoryStats r) -> r.lastUpdated().orElse(Instant.MIN), Comparator.reverseOrder()));

  private static final Comparator<RepositoryStats> BY_NAME =
      Comparator.comparing(RepositoryStats::namespace).thenComparing(RepositoryStats::name);

  private final Comparator<RepositoryStats> order;

  SortOrder(Comparator<RepositoryStats> first) {
    this.order = first;
  }

  List<RepositoryStats> sort(List<RepositoryStats> repositories) {
    return repositories.stream().sorted(order.thenComparing(BY_NAME)).toList();
  }

  /** The name users type: {@code pulls}, {@code name}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
