package io.github.dockerpulls.history;

import io.github.dockerpulls.hub.Target;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One question to the history: which repositories, from when to when, in periods of what length, in
 * which time zone. {@code dockerpulls report} and {@code /api/v1/history} both parse what people
 * wrote into this one value, with the same rules and the same messages, so that the two cannot
 * disagree about what a question means.
 *
 * @param targets the repositories and organizations asked about
 * @param since the start of the window (the first period starts at the period holding it)
 * @param until the end of the window, usually now
 * @param by the length of the periods
 * @param zone the time zone whose calendar the periods follow
 */
public record ReportQuery(
    List<Target> targets, Instant since, Instant until, Granularity by, ZoneId zone) {
  /** Nothing is older than Docker Hub, which opened in 2013: a window may not start before. */
  public static final Instant EARLIEST = Instant.parse("2013-01-01T00:00:00Z");

  /** The most periods one series may have, as Prometheus allows 11,000 points per series. */
  public static final int MAX_PERIODS = 11_000;

  /**
   * The most values (repositories times periods) one question may ask for: a year by day of 5,000
   * repositories is 1,830,000.
   */
  public static final long MAX_VALUES = 2_000_000;

  /** The defaults both front ends use: the last 30 days, by day, in UTC. */
  public static final String DEFAULT_SINCE = "30d";

  public static final String DEFAULT_BY = "day";
  public static final String DEFAULT_ZONE = "UTC";

  public ReportQuery {
    targets = List.copyOf(targets);
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(zone, "zone");
  }

  /**
   * A question whose answer would be larger than the ceilings allow ({@link #MAX_PERIODS}, {@link
   * #MAX_VALUES}); the message says how to narrow it.
   */
  public static final class TooLarge extends Invalid {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super("since", message);
    }
  }

  /** A parameter of the question that is not valid; the message names the value and the rule. */
  public static class Invalid extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String parameter;

    Invalid(String parameter, String message) {
      super(message);
      this.parameter = parameter;
    }

    /** Which: {@code since}, {@code by} or {@code timezone}. */
    public String parameter() {
      return parameter;
    }
  }

  /**
   * The question as people write it, up to {@code now}.
   *
   * @param since {@code 30d}, {@code 1y}, a date or an instant ({@link Since})
   * @param by {@code day}, {@code week} or {@code month}, in any case
   * @param timezone a zone id such as {@code UTC} or {@code Europe/Berlin}
   * @throws Invalid naming the first parameter that is not valid
   */
  public static ReportQuery parse(
      List<Target> targets, String since, String by, String timezone, Instant now) {
    ZoneId zone = zone(timezone);
    Instant from;
    try {
      from = Since.parse(since, now, zone);
    } catch (IllegalArgumentException e) {
      throw new Invalid("since", e.getMessage());
    }
    if (from.isBefore(EARLIEST)) {
      throw new Invalid(
          "since", "'" + since + "' is before 2013, when Docker Hub began: nothing is older");
    }
    ReportQuery query = new ReportQuery(targets, from, now, granularity(by), zone);
    long periods = query.periods();
    if (periods > MAX_PERIODS) {
      throw new TooLarge(
          String.format(
              java.util.Locale.ROOT,
              "'%s' by %s is %,d periods, more than the %,d one series may have: ask by week or"
                  + " month, or for a shorter window",
              since,
              query.by(),
              periods,
              MAX_PERIODS));
    }
    return query;
  }

  /** The same question about other repositories. */
  public ReportQuery withTargets(List<Target> targets) {
    return new ReportQuery(targets, since, until, by, zone);
  }

  /** How many periods the window holds, the one still running included. */
  public long periods() {
    java.time.ZonedDateTime first = by.floor(since.atZone(zone));
    java.time.ZonedDateTime last = by.floor(until.atZone(zone));
    long between =
        switch (by) {
          case DAY ->
              java.time.temporal.ChronoUnit.DAYS.between(first.toLocalDate(), last.toLocalDate());
          case WEEK ->
              java.time.temporal.ChronoUnit.WEEKS.between(first.toLocalDate(), last.toLocalDate());
          case MONTH ->
              java.time.temporal.ChronoUnit.MONTHS.between(first.toLocalDate(), last.toLocalDate());
        };
    return Math.max(1, between + 1);
  }

  /**
   * Refuses the question when its answer for {@code repositories} repositories would exceed {@link
   * #MAX_VALUES}.
   *
   * @throws TooLarge saying how to narrow it
   */
  public void requireWithinCeiling(int repositories) {
    long values = (long) repositories * periods();
    if (values > MAX_VALUES) {
      throw new TooLarge(
          String.format(
              java.util.Locale.ROOT,
              "%,d repositories by %s over %,d periods are %,d values, more than the %,d one"
                  + " answer may hold: ask for fewer repositories, by week or month, or for a"
                  + " shorter window",
              repositories,
              by,
              periods(),
              values,
              MAX_VALUES));
    }
  }

  /** A zone id, or {@link Invalid} for {@code timezone}. */
  public static ZoneId zone(String timezone) {
    String text = timezone == null ? "" : timezone.strip();
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw new Invalid(
          "timezone", "'" + timezone + "' is not a time zone (such as UTC or Europe/Berlin)");
    }
  }

  /** A period length, or {@link Invalid} for {@code by}. */
  public static Granularity granularity(String by) {
    try {
      return Granularity.valueOf((by == null ? "" : by.strip()).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Invalid("by", "'" + by + "' is not day, week or month");
    }
  }
}
