package io.github.dockerpulls.history;

import java.time.Instant;
import java.util.Objects;

/**
 * The pulls of one period.
 *
 * @param start the period's first instant
 * @param end the next period's first instant
 * @param pulls the pulls in the period, or null when no observation lies on either side of it
 */
public record Period(Instant start, Instant end, Long pulls) {
  public Period {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
  }
}
