package io.github.dockerpulls.importers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.exporter.metrics.SnapshotCollector;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Retention;
import io.github.dockerpulls.hub.Target;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportWriterTest {
  private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
  private static final Instant UNTIL = T0.plusSeconds(86_400);

  @TempDir Path dir;

  private HistoryStore open() throws Exception {
    return HistoryStore.open(dir, Retention.DEFAULT, Clock.fixed(UNTIL, ZoneOffset.UTC));
  }

  @Test
  void recordsInBatchesAndTalliesWhatItWasGiven() throws Exception {
    try (HistoryStore store = open()) {
      ImportWriter writer = new ImportWriter(store, UNTIL, 3);
      for (int i = 0; i < 7; i++) {
        writer.offer("acme", "app", T0.plusSeconds(300L * i), 100 + i, "none");
      }
      writer.offer("acme", "tool", T0, 5, "none");
      writer.skip("documents without a repository", "document 17");
      writer.skip("documents without a repository", "document 18");
      // Two batches of three are written; the seventh count and acme/tool are pending.
      assertThat(store.latest(List.of(Target.parse("acme"))))
          .singleElement()
          .satisfies(o -> assertThat(o.pullCount()).isEqualTo(105));
      ImportSummary summary = writer.finish();
      assertThat(summary)
          .isEqualTo(
              new ImportSummary(
                  2,
                  8,
                  8,
                  2,
                  List.of("2 documents without a repository (such as document 17)"),
                  T0,
                  T0.plusSeconds(300L * 6)));
      assertThat(store.latest(List.of(Target.parse("acme/app"))).get(0).pullCount()).isEqualTo(106);
    }
  }

  @Test
  void onlyWholeCountsOfARepositoryInDockerHubsTimeAreTaken() throws Exception {
    try (HistoryStore store = open()) {
      ImportWriter writer = new ImportWriter(store, UNTIL);
      String none = "series whose labels name no Docker Hub repository";
      assertThat(writer.offer("acme", "app", T0, 1_000, none)).isTrue();
      assertThat(writer.offer("acme", "app", T0.plusSeconds(60), 1e15, none)).isTrue();
      assertThat(writer.offer("acme", "app", T0.plusSeconds(120), 1e308, none)).isFalse();
      assertThat(writer.offer("acme", "app", T0.plusSeconds(180), Double.POSITIVE_INFINITY, none))
          .isFalse();
      assertThat(writer.offer("acme", "app", T0.plusSeconds(240), Double.NaN, none)).isFalse();
      assertThat(writer.offer("acme", "app", T0.plusSeconds(300), -1, none)).isFalse();
      assertThat(writer.offer("acme", "app", T0.plusSeconds(360), 1.5, none)).isFalse();
      assertThat(writer.offer(null, "app", T0, 1, none)).isFalse();
      assertThat(writer.offer("acme", null, T0, 1, none)).isFalse();
      assertThat(writer.offer("Not Valid", "app", T0, 1, none)).isFalse();
      assertThat(writer.offer("acme", "app", Instant.parse("2012-12-31T23:59:59Z"), 1, none))
          .isFalse();
      assertThat(writer.offer("acme", "app", UNTIL.plusSeconds(1), 1, none)).isFalse();
      ImportSummary summary = writer.finish();
      assertThat(summary.points()).isEqualTo(2);
      assertThat(summary.skipped()).isEqualTo(10);
      assertThat(summary.skippedByKind())
          .containsExactly(
              "5 values that are not whole counts from 0 to 10^15 (such as 1.0E308 for acme/app at"
                  + " 2026-10-01T00:02:00Z)",
              "3 series whose labels name no Docker Hub repository (such as null/app)",
              "2 values at times before 2013 or after the import (such as acme/app at"
                  + " 2012-12-31T23:59:59Z)");
    }
  }

  @Test
  void importingTheSameTwiceAddsNothing() throws Exception {
    try (HistoryStore store = open()) {
      for (int round = 0; round < 2; round++) {
        ImportWriter writer = new ImportWriter(store, UNTIL);
        writer.offer("acme", "app", T0, 1, "none");
        writer.offer("acme", "app", T0.plusSeconds(60), 2, "none");
        assertThat(writer.finish().added()).isEqualTo(round == 0 ? 2 : 0);
      }
    }
  }

  @Test
  void nothingReadIsAnEmptySummary() throws Exception {
    try (HistoryStore store = open()) {
      assertThat(new ImportWriter(store, UNTIL).finish())
          .isEqualTo(new ImportSummary(0, 0, 0, 0, List.of(), null, null));
    }
  }

  @Test
  void thePrometheusImportReadsTheNamesTheExporterWrites() {
    assertThat(PrometheusImport.LEGACY_PULLS).isEqualTo(SnapshotCollector.LEGACY_PULLS);
    assertThat(PrometheusImport.PULLS_TOTAL)
        .isEqualTo(SnapshotCollector.PULLS_TOTAL_NAME + "_total");
  }

  @Test
  void prometheusSpecialValuesAreReadAsWhatTheyAre() {
    assertThat(PrometheusImport.sampleValue("+Inf")).isInfinite().isPositive();
    assertThat(PrometheusImport.sampleValue("-Inf")).isInfinite().isNegative();
    assertThat(PrometheusImport.sampleValue("NaN")).isNaN();
    assertThat(PrometheusImport.sampleValue("1.6e3")).isEqualTo(1600.0);
    assertThat(PrometheusImport.sampleValue("lots")).isNaN();
  }
}
