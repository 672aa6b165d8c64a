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
 * @param lastRefresh the latest refresh's observation time (the start of its interval when
 *     refreshes are aligned); empty before the first one ended
 * @param firstSuccess when a refresh first read at least one target; empty until then (not ready)
 * @param refreshedAt when the latest refresh ended, by the exporter's clock
 * @param lastSuccessAt when the latest refresh that read at least one target ended
 * @param targets each target's state, in configuration order
 * @param repositories the repositories served: each target's last good data, merged
 * @param lastDuration how long the latest refresh took
 * @param rateLimit the Hub API budget as last announced
 * @param pullLimit the registry pull limit as last probed
 */
public record ExporterView(
    Optional<Instant> lastRefresh,
    Optional<Instant> firstSuccess,
    Optional<Instant> refreshedAt,
    Optional<Instant> lastSuccessAt,
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

  /** How many intervals may pass without a successful refresh before the exporter is not ready. */
  public static final int STALE_AFTER_INTERVALS = 3;

  /**
   * Why the exporter is not ready at {@code now}, refreshing every {@code interval}: no refresh has
   * read a target yet, or the latest that did ended more than {@value #STALE_AFTER_INTERVALS}
   * intervals ago (the refreshing stopped, or every target has failed since). Empty when ready.
   */
  public Optional<String> notReady(Instant now, Duration interval) {
    if (firstSuccess.isEmpty()) {
      return Optional.of("the first refresh has not read any target yet");
    }
    Duration allowed = interval.multipliedBy(STALE_AFTER_INTERVALS);
    if (lastSuccessAt.isPresent()
        && Duration.between(lastSuccessAt.get(), now).compareTo(allowed) > 0) {
      return Optional.of(
          "no refresh has read a target since "
              + lastSuccessAt.get()
              + ", more than "
              + STALE_AFTER_INTERVALS
              + " intervals ("
              + allowed.toSeconds()
              + " s) ago");
    }
    return Optional.empty();
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
