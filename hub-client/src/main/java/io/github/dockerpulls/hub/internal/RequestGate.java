package io.github.dockerpulls.hub.internal;

import io.github.dockerpulls.hub.RateLimit;
import io.github.dockerpulls.hub.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Holds every request back until the Hub allows it: after a 429 until its retry time, and when the
 * announced budget runs low, spaced out so that the remaining requests last until the reset. Shared
 * by all of a client's threads.
 */
final class RequestGate {
  /** Below this many remaining requests, requests are spaced out until the window resets. */
  static final long LOW_WATER = 10;

  private final Clock clock;
  private final Sleeper sleeper;
  private Instant notBefore = Instant.EPOCH;

  RequestGate(Clock clock, Sleeper sleeper) {
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Waits until a request may be sent. */
  void awaitTurn() throws InterruptedException {
    while (true) {
      Duration wait;
      synchronized (this) {
        wait = Duration.between(clock.instant(), notBefore);
      }
      if (wait.isNegative() || wait.isZero()) {
        return;
      }
      sleeper.sleep(wait);
    }
  }

  private String reason = "";

  /** No request before {@code time}. */
  synchronized void blockUntil(Instant time) {
    blockUntil(time, "");
  }

  /** No request before {@code time}, for {@code why} (said to people). */
  synchronized void blockUntil(Instant time, String why) {
    if (time.isAfter(notBefore)) {
      notBefore = time;
      reason = why;
    }
  }

  /** Why the latest hold was set; empty when it was not said. */
  synchronized String lastReason() {
    return reason;
  }

  /** Takes note of a budget the Hub announced. */
  void observe(RateLimit limit) {
    Instant now = clock.instant();
    if (!limit.reset().isAfter(now)) {
      return;
    }
    if (limit.remaining() <= 0) {
      blockUntil(limit.reset(), "Docker Hub's request budget is used up until its reset");
    } else if (limit.remaining() < LOW_WATER) {
      Duration left = Duration.between(now, limit.reset());
      blockUntil(
          now.plus(left.dividedBy(limit.remaining() + 1)),
          "Docker Hub's request budget is low: " + limit.remaining() + " left, spaced out");
    }
  }

  synchronized Instant notBefore() {
    return notBefore;
  }
}
