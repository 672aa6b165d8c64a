package io.github.dockerpulls.history;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long each resolution is kept: every observation for {@code raw}, then the first of each hour
 * until {@code hourly}, then the first of each UTC day, for {@code daily} or forever.
 *
 * @param raw how long every observation is kept (default one day)
 * @param hourly until what age one observation per hour is kept (default 7 days)
 * @param daily until what age one observation per day is kept; empty for forever (the default)
 */
public record Retention(Duration raw, Duration hourly, Optional<Duration> daily) {
  public static final Retention DEFAULT =
      new Retention(Duration.ofDays(1), Duration.ofDays(7), Optional.empty());

  public Retention {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(hourly, "hourly");
    Objects.requireNonNull(daily, "daily");
    if (raw.isNegative() || hourly.compareTo(raw) < 0) {
      throw new IllegalArgumentException(
          "the hourly retention must be at least the full-resolution one");
    }
    if (daily.isPresent() && daily.get().compareTo(hourly) < 0) {
      throw new IllegalArgumentException("the daily retention must be at least the hourly one");
    }
  }
}
