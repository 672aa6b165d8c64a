package io.github.dockerpulls.exporter.metrics;

import io.github.dockerpulls.hub.PullLimit;
import io.github.dockerpulls.hub.RateLimit;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the exporter serves, as of the latest refresh: immutable, replaced whole after each refresh,
 * read by every scrape and page view without locks.
 *
 * @param lastRefresh when the latest refresh started; empty before the first one ended
 * @param firstSuccess when a refresh first read at least one target; empty until then (not ready)
 * @param targets each target's state, in configuration order
 * @param repositories the repositories served: each target's last good data, merged
 * @param lastDuration how long the latest refresh took
 * @param rateLimit the Hub API budget as last announced
 * @param pullLimit the registry pull limit as last probed
 */
public record ExporterView(
    Optional<Instant> lastRefresh,
    Optional<Instant> firstSuccess,
    List<TargetState> targets,
    List<RepositoryStats> repositories,
    Duration lastDuration,
    Optional<RateLimit> rateLimit,
    Optional<PullLimit> pullLimit) {

  /** Before the first refresh. */
  static final ExporterView EMPTY =
      new ExporterView(
          Optional.empty(),
          Optional.empty(),
          List.of(),
          List.of(),
          Duration.ZERO,
          Optional.empty(),
          Optional.empty());

  public ExporterView {
    targets = List.copyOf(targets);
    repositories = List.copyOf(repositories);
  }

  /** True once a refresh has read at least one target. */
  public boolean ready() {
    return firstSuccess.isPresent();
  }

  /**
   * One target's state.
   *
   * @param up whether its latest refresh succeeded
   * @param lastSuccess when it last succeeded
   * @param repositories its last good data (kept while it fails)
   * @param error the latest failure's message, when it is down
   * @param rateLimitedUntil when Docker Hub holds the target back with a 429, the time it is asked
   *     again
   */
  public record TargetState(
      Target target,
      boolean up,
      Optional<Instant> lastSuccess,
      List<RepositoryStats> repositories,
      Optional<String> error,
      Optional<Instant> rateLimitedUntil) {
    public TargetState {
      repositories = List.copyOf(repositories);
    }

    /** The state of a target that is up, or down without a rate limit. */
    public TargetState(
        Target target,
        boolean up,
        Optional<Instant> lastSuccess,
        List<RepositoryStats> repositories,
        Optional<String> error) {
      this(target, up, lastSuccess, repositories, error, Optional.empty());
    }
  }
}
