package io.github.dockerpulls.hub;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how long the client retries 5xx answers, timeouts and broken connections (never
 * other 4xx answers). Waits grow exponentially from {@code initialBackoff} up to {@code
 * maxBackoff}, each with full jitter. A wait the Hub asks for with 429 counts against {@code
 * maxTotalWait} too: a longer one ends in {@link HubException.RateLimited}.
 *
 * @param maxAttempts tries per request, the first included (1 disables retries)
 * @param initialBackoff the upper bound of the first wait
 * @param maxBackoff the upper bound of any one wait
 * @param maxTotalWait how long one request may spend waiting in all
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxTotalWait) {

  /** 4 attempts, waits from up to 0.5 s growing to up to 8 s, 60 s of waiting at most. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(60));

  /** One attempt, no waiting. */
  public static final RetryPolicy NONE =
      new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(maxTotalWait, "maxTotalWait");
  }

  /** The upper bound of the wait before attempt {@code attempt + 1}. */
  public Duration backoffCeiling(int attempt) {
    long base = Math.max(1, initialBackoff.toMillis());
    long ceiling = base << Math.min(20, Math.max(0, attempt - 1));
    return Duration.ofMillis(Math.min(ceiling, maxBackoff.toMillis()));
  }
}
