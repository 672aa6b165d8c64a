package io.github.dockerpulls.history;

/**
 * One repository's pull count over time, read as a continuous line that never goes down: the
 * arithmetic behind every "pulls in a period".
 *
 * <p>Between two observations the count is interpolated linearly, so that a period whose boundaries
 * fall between observations (or inside a gap of missed refreshes) still gets its share, and the
 * periods of a range always add up to the growth over the range. A count that goes down (the Hub
 * corrected or reset it) adds zero for that step and becomes the new base: the line stays flat
 * there instead of dropping, and the next rise counts from the lower value.
 */
final class Growth {
  private final long[] times;
  private final long[] cumulative;

  private Growth(long[] times, long[] cumulative) {
    if (times.length != cumulative.length) {
      throw new IllegalArgumentException("times and values differ in length");
    }
    for (int i = 1; i < times.length; i++) {
      if (times[i] <= times[i - 1]) {
        throw new IllegalArgumentException("times must ascend");
      }
    }
    this.times = times.clone();
    this.cumulative = cumulative.clone();
  }

  /**
   * The line through points of the cumulative growth itself (as the store keeps it with every
   * observation), which may be any subset of the observations: decreases are already counted in.
   */
  static Growth ofCumulative(long[] times, long[] growth) {
    return new Growth(times, growth);
  }

  /**
   * The pulls from {@code start} to {@code end} (epoch seconds), or null when the observations do
   * not overlap the period: before the first observation and after the last nothing is known. A
   * period that the observations only partly cover counts the part they cover.
   *
   * <p>Values are differences of the rounded line, so that adjacent periods add up exactly.
   */
  Long pulls(long start, long end) {
    if (times.length < 2) {
      return null;
    }
    long from = Math.max(start, times[0]);
    long to = Math.min(end, times[times.length - 1]);
    if (from >= to) {
      return null;
    }
    return Math.round(at(to)) - Math.round(at(from));
  }

  /** The line at {@code t}, which lies between the first and the last observation. */
  private double at(long t) {
    int i = java.util.Arrays.binarySearch(times, t);
    if (i >= 0) {
      return cumulative[i];
    }
    int after = -i - 1;
    int before = after - 1;
    double share = (double) (t - times[before]) / (times[after] - times[before]);
    return cumulative[before] + share * (cumulative[after] - cumulative[before]);
  }
}
