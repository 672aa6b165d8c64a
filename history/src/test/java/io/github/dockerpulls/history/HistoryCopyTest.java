package io.github.dockerpulls.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.history.InsightFigure.Dimension;
import io.github.dockerpulls.hub.Target;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HistoryCopy} from SQLite to a real PostgreSQL and back. */
@Tag("postgresql")
class HistoryCopyTest {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final Retention KEEP =
      new Retention(Duration.ofDays(2), Duration.ofDays(10), Optional.empty());

  @TempDir Path dir;
  @TempDir Path back;

  private static HistoryStore open(HistoryLocation where) throws HistoryException {
    return HistoryStore.open(where, KEEP, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** Sixty days of hourly observations of three repositories (thinned), and a week of Insights. */
  private static void fill(HistoryStore store) throws Exception {
    List<Observation> list = new ArrayList<>();
    for (Instant t = NOW.minus(Duration.ofDays(60)); t.isBefore(NOW); t = t.plusSeconds(3600)) {
      long h = (t.getEpochSecond() - NOW.getEpochSecond()) / 3600 + 2000;
      for (int r = 0; r < 3; r++) {
        list.add(Observation.ofPulls("acme", "app" + r, t, 10_000L * r + h * (r + 1)));
      }
    }
    store.record(list);
    store.compact();
    try (InsightsBatch batch = store.insights(InsightsBatch.Source.API)) {
      LocalDate week = LocalDate.parse("2026-11-16");
      batch.add(
          new InsightFigure(
              Granularity.WEEK, week, "acme", "app1", Dimension.TAG, "1.0", 40L, 2L, 42L, null));
      batch.add(
          new InsightFigure(
              Granularity.WEEK, week, "acme", "app1", Dimension.REPOSITORY, "", 40L, 2L, 42L, 9L));
      batch.commit("a-file");
    }
  }

  private static String report(HistoryStore store) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String by : List.of("day", "week")) {
      store.stream(
          ReportQuery.parse(List.of(Target.organization("acme")), "60d", by, "UTC", NOW),
          null,
          by.equals("week") ? "*" : null,
          HistoryJson.writer(out, false));
    }
    return out.toString();
  }

  @Test
  void aHistoryCopiedToPostgresqlAndBackGivesTheSameReports() throws Exception {
    HistoryLocation sqlite = HistoryLocation.sqlite(dir);
    String before;
    try (HistoryStore store = open(sqlite)) {
      fill(store);
      before = report(store);
    }
    assertThat(before).contains("\"name\":\"app2\"").contains("\"tag\":\"1.0\"");
    HistoryLocation shared = Histories.newDatabase();
    List<String> seen = new ArrayList<>();
    Map<String, Long> counts = HistoryCopy.copy(sqlite, shared, (t, n) -> seen.add(t));
    assertThat(counts.get("repository")).isEqualTo(3);
    assertThat(counts.get("insight")).isEqualTo(2);
    assertThat(counts.get("observation") + counts.get("recent")).isGreaterThan(3 * 60);
    assertThat(seen).contains("repository", "observation", "recent", "latest", "insight");
    try (HistoryStore store = open(shared)) {
      assertThat(report(store)).isEqualTo(before);
      try (InsightsBatch batch = store.insights(InsightsBatch.Source.API)) {
        assertThat(batch.done("a-file")).isTrue();
      }
      // New repositories get new ids after the copied ones.
      store.record(List.of(Observation.ofPulls("acme", "new", NOW, 1)));
      assertThat(store.latest(List.of(Target.organization("acme")))).hasSize(4);
    }
    HistoryLocation again = HistoryLocation.sqlite(back);
    HistoryCopy.copy(shared, again, (t, n) -> {});
    try (HistoryStore store = open(again)) {
      assertThat(store.latest(List.of(Target.organization("acme")))).hasSize(4);
    }
    assertThatThrownBy(() -> HistoryCopy.copy(sqlite, shared, (t, n) -> {}))
        .isInstanceOf(HistoryException.class)
        .hasMessage(shared + " already holds a history (4 repositories); copy into an empty one");
  }
}
