package io.github.dockerpulls.hub;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one refresh observed: immutable, and the one currency every output consumes.
 *
 * @param observedAt when the refresh started
 * @param duration how long it took
 * @param repositories each repository once, ordered by namespace and name; a repository reached
 *     both through its organization and directly appears once, with the direct figures
 * @param targets one result per target, in the order the targets were given
 * @param rateLimit the Hub API budget after the refresh, when the Hub announced one
 * @param pullLimit the registry's pull rate limit, when the poller was asked to probe it and the
 *     probe succeeded
 */
public record Snapshot(
    Instant observedAt,
    Duration duration,
    List<RepositoryStats> repositories,
    List<TargetResult> targets,
    Optional<RateLimit> rateLimit,
    Optional<PullLimit> pullLimit) {

  private static final Comparator<RepositoryStats> BY_NAME =
      Comparator.comparing(RepositoryStats::namespace).thenComparing(RepositoryStats::name);

  public Snapshot {
    Objects.requireNonNull(observedAt, "observedAt");
    Objects.requireNonNull(duration, "duration");
    repositories = List.copyOf(repositories);
    targets = List.copyOf(targets);
    Objects.requireNonNull(rateLimit, "rateLimit");
    Objects.requireNonNull(pullLimit, "pullLimit");
  }

  /**
   * A snapshot of these target results; the repositories are merged from them, each once, with a
   * single-repository target's figures preferred (they include the collaborator count).
   */
  public static Snapshot of(
      Instant observedAt,
      Duration duration,
      List<TargetResult> targets,
      Optional<RateLimit> rateLimit,
      Optional<PullLimit> pullLimit) {
    Map<String, RepositoryStats> merged = new LinkedHashMap<>();
    for (TargetResult result : targets) {
      boolean direct = result.target() instanceof Target.Repository;
      for (RepositoryStats repo : result.repositories()) {
        if (direct) {
          merged.put(repo.fullName(), repo);
        } else {
          merged.putIfAbsent(repo.fullName(), repo);
        }
      }
    }
    List<RepositoryStats> sorted = merged.values().stream().sorted(BY_NAME).toList();
    return new Snapshot(observedAt, duration, sorted, targets, rateLimit, pullLimit);
  }

  /** True when every target succeeded. */
  public boolean complete() {
    return targets.stream().allMatch(TargetResult::ok);
  }

  /** The targets that failed. */
  public List<TargetResult> failures() {
    return targets.stream().filter(t -> !t.ok()).toList();
  }

  /** The latest time any failed target may be retried at, for a 429 answer. */
  public Optional<Instant> retryAt() {
    return targets.stream()
        .map(TargetResult::error)
        .flatMap(Optional::stream)
        .map(HubException::retryTime)
        .flatMap(Optional::stream)
        .max(Comparator.naturalOrder());
  }
}
