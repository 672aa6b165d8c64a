package io.github.dockerpulls.history;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** The length of a report's periods: calendar days, ISO weeks (from Monday) or calendar months. */
public enum Granularity {
  DAY,
  WEEK,
  MONTH;

  /** The start of the period that holds {@code t}, in {@code t}'s zone. */
  public ZonedDateTime floor(ZonedDateTime t) {
    ZonedDateTime day = t.truncatedTo(ChronoUnit.DAYS);
    return switch (this) {
      case DAY -> day;
      case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> day.withDayOfMonth(1);
    };
  }

  /** The start of the next period, for a {@code start} that is a period's start. */
  public ZonedDateTime next(ZonedDateTime start) {
    return switch (this) {
      case DAY -> start.plusDays(1);
      case WEEK -> start.plusWeeks(1);
      case MONTH -> start.plusMonths(1);
    };
  }

  /** The name people type: {@code day}, {@code week}, {@code month}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
