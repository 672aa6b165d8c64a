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
}
