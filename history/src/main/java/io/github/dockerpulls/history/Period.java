package io.github.dockerpulls.history;

import java.time.Instant;
import java.util.Objects;

/**
 * The pulls of one period.
 *
 * @param start the period's first instant
 * @param end the next period's first instant
 * @param pulls the pulls in the period, or null when the history covers none of it
 * @param coverage the share of the period (up to the report's end, for the period still running)
 *     that the history covers, from 0 to 1: the time between the repository's first and latest
 *     observation
 * @param estimated whether the figure is estimated across a gap in the observations: at one of the
 *     period's bounds, the observations on either side are further apart than the period is long
 *     (and than two hours), so the split of the pulls between this period and its neighbour is a
 *     straight line, not a measurement
 */
public record Period(Instant start, Instant end, Long pulls, double coverage, boolean estimated) {
  public Period {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!(coverage >= 0 && coverage <= 1)) {
      throw new IllegalArgumentException("coverage must be from 0 to 1, not " + coverage);
    }
  }

  /** A period whose figure is not estimated across a gap. */
  public Period(Instant start, Instant end, Long pulls, double coverage) {
    this(start, end, pulls, coverage, false);
  }

  /** A period covered whole when its pulls are known, not at all when they are not. */
  public Period(Instant start, Instant end, Long pulls) {
    this(start, end, pulls, pulls == null ? 0 : 1);
  }
}
