package io.github.dockerpulls.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.hub.Target;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportQueryTest {
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  private static final List<Target> CAMUNDA = List.of(Target.parse("camunda"));

  @Test
  void theDefaultsAreThirtyDaysByDayInUtc() {
    ReportQuery q =
        ReportQuery.parse(
            CAMUNDA,
            ReportQuery.DEFAULT_SINCE,
            ReportQuery.DEFAULT_BY,
            ReportQuery.DEFAULT_ZONE,
            NOW);
    assertThat(q)
        .isEqualTo(
            new ReportQuery(
                CAMUNDA,
                Instant.parse("2026-11-04T12:00:00Z"),
                NOW,
                Granularity.DAY,
                ZoneId.of("UTC")));
  }

  @Test
  void aDateStartsAtMidnightInTheQuerysZoneAndPeriodsIgnoreCase() {
    ReportQuery q = ReportQuery.parse(CAMUNDA, "2026-01-01", " Month ", "Europe/Berlin", NOW);
    assertThat(q.since()).isEqualTo(Instant.parse("2025-12-31T23:00:00Z"));
    assertThat(q.by()).isEqualTo(Granularity.MONTH);
    assertThat(q.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
  }

  @Test
  void eachInvalidParameterIsNamedWithItsValue() {
    assertThatThrownBy(() -> ReportQuery.parse(CAMUNDA, "someday", "day", "UTC", NOW))
        .isInstanceOfSatisfying(
            ReportQuery.Invalid.class, e -> assertThat(e.parameter()).isEqualTo("since"))
        .hasMessageStartingWith("'someday' is not a time in the past");
    assertThatThrownBy(() -> ReportQuery.parse(CAMUNDA, "30d", "hour", "UTC", NOW))
        .isInstanceOfSatisfying(
            ReportQuery.Invalid.class, e -> assertThat(e.parameter()).isEqualTo("by"))
        .hasMessage("'hour' is not day, week or month");
    assertThatThrownBy(() -> ReportQuery.parse(CAMUNDA, "30d", "day", "Mars/Olympus", NOW))
        .isInstanceOfSatisfying(
            ReportQuery.Invalid.class, e -> assertThat(e.parameter()).isEqualTo("timezone"))
        .hasMessage("'Mars/Olympus' is not a time zone (such as UTC or Europe/Berlin)");
  }

  @Test
  void nothingBeforeDockerHubIsAsked() {
    assertThatThrownBy(() -> ReportQuery.parse(CAMUNDA, "0001-01-01", "day", "UTC", NOW))
        .isInstanceOf(ReportQuery.Invalid.class)
        .hasMessage("'0001-01-01' is before 2013, when Docker Hub began: nothing is older");
    assertThatThrownBy(
            () -> ReportQuery.parse(CAMUNDA, "-999999999-01-01T00:00:00Z", "day", "UTC", NOW))
        .isInstanceOf(ReportQuery.Invalid.class);
    assertThat(ReportQuery.parse(CAMUNDA, "2013-01-01", "week", "UTC", NOW).periods())
        .isEqualTo(727);
  }

  @Test
  void aSeriesHasAtMostElevenThousandPeriods() {
    Instant later = Instant.parse("2045-01-01T00:00:00Z");
    assertThatThrownBy(() -> ReportQuery.parse(CAMUNDA, "2013-01-01", "day", "UTC", later))
        .isInstanceOf(ReportQuery.TooLarge.class)
        .hasMessage(
            "'2013-01-01' by day is 11,689 periods, more than the 11,000 one series may have: ask"
                + " by week or month, or for a shorter window");
    assertThat(ReportQuery.parse(CAMUNDA, "2013-01-01", "month", "UTC", later).periods())
        .isEqualTo(385);
  }

  @Test
  void anAnswerHoldsAtMostTwoMillionValues() {
    ReportQuery year = ReportQuery.parse(CAMUNDA, "1y", "day", "UTC", NOW);
    assertThat(year.periods()).isEqualTo(366);
    year.requireWithinCeiling(5_464);
    assertThatThrownBy(() -> year.requireWithinCeiling(5_465))
        .isInstanceOf(ReportQuery.TooLarge.class)
        .hasMessage(
            "5,465 repositories by day over 366 periods are 2,000,190 values, more than the"
                + " 2,000,000 one answer may hold: ask for fewer repositories, by week or month, or"
                + " for a shorter window");
  }
}
