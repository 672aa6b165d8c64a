package io.github.dockerpulls.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.Target;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A figure split across a gap in the observations is an estimate, and says so. */
class EstimatedPeriodsTest {
  private static final Instant DAY0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-11-11T00:00:00Z");

  @TempDir Path dir;

  @Test
  void daysSplitAcrossAGapLongerThanADayAreEstimatesOthersAreNot() throws Exception {
    try (HistoryStore store =
        Histories.open(
            dir,
            new Retention(Duration.ofDays(30), Duration.ofDays(365), Optional.empty()),
            Clock.fixed(NOW, ZoneOffset.UTC))) {
      List<Observation> observations = new ArrayList<>();
      // Every hour, 100 pulls an hour, but nothing from 2026-11-04 06:00 to 2026-11-06 18:00.
      for (Instant t = DAY0; t.isBefore(NOW); t = t.plus(Duration.ofHours(1))) {
        boolean gap =
            !t.isBefore(Instant.parse("2026-11-04T06:00:00Z"))
                && t.isBefore(Instant.parse("2026-11-06T18:00:00Z"));
        if (!gap) {
          long hours = Duration.between(DAY0, t).toHours();
          observations.add(Observation.ofPulls("acme", "app", t, 1_000 + 100 * hours));
        }
      }
      store.record(observations);
      List<Target> acme = List.of(Target.organization("acme"));
      HistoryReport byDay = store.report(acme, DAY0, NOW, Granularity.DAY, ZoneOffset.UTC);
      List<Period> days = byDay.repositories().get(0).series();
      List<String> estimated = new ArrayList<>();
      for (Period p : days) {
        if (p.estimated()) {
          estimated.add(p.start().toString().substring(0, 10));
        }
      }
      // The boundaries at the 5th and 6th midnight lie in a 60-hour gap: the days on either side.
      assertThat(estimated).containsExactly("2026-11-04", "2026-11-05", "2026-11-06");
      assertThat(HistoryJson.render(byDay, false))
          .contains(
              "\"start\":\"2026-11-05T00:00:00Z\",\"end\":\"2026-11-06T00:00:00Z\",\"pulls\":2400,\"coverage\":1,\"estimated\":true}")
          .contains(
              "\"start\":\"2026-11-02T00:00:00Z\",\"end\":\"2026-11-03T00:00:00Z\",\"pulls\":2400,\"coverage\":1}");
      // A week is longer than the gap: its figure is not an estimate.
      HistoryReport byWeek = store.report(acme, DAY0, NOW, Granularity.WEEK, ZoneOffset.UTC);
      assertThat(byWeek.repositories().get(0).series()).noneMatch(Period::estimated);
      // The sums over repositories carry the mark too.
      assertThat(HistoryJson.renderTotals(byDay))
          .contains(
              "\"start\":\"2026-11-05T00:00:00Z\",\"end\":\"2026-11-06T00:00:00Z\",\"pulls\":2400,\"estimated\":true}");
    }
  }
}
