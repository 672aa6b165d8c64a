package io.github.dockerpulls.importers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.exporter.metrics.SnapshotCollector;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Observation;
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

  @TempDir Path dir;

  @Test
  void recordsInBatchesAndTalliesWhatItWasGiven() throws Exception {
    try (HistoryStore store =
        HistoryStore.open(
            dir, Retention.DEFAULT, Clock.fixed(T0.plusSeconds(86_400), ZoneOffset.UTC))) {
      ImportWriter writer = new ImportWriter(store, 3);
      for (int i = 0; i < 7; i++) {
        writer.add(Observation.ofPulls("acme", "app", T0.plusSeconds(300L * i), 100 + i));
      }
      writer.add(Observation.ofPulls("acme", "tool", T0, 5));
      writer.skip(2);
      // Two batches of three are written; the seventh count and acme/tool are pending.
      assertThat(store.latest(List.of(Target.parse("acme"))))
          .singleElement()
          .satisfies(o -> assertThat(o.pullCount()).isEqualTo(105));
      ImportSummary summary = writer.finish();
      assertThat(summary).isEqualTo(new ImportSummary(2, 8, 8, 2, T0, T0.plusSeconds(300L * 6)));
      assertThat(store.latest(List.of(Target.parse("acme/app"))).get(0).pullCount()).isEqualTo(106);
    }
  }

  @Test
  void importingTheSameTwiceAddsNothing() throws Exception {
    try (HistoryStore store =
        HistoryStore.open(
            dir, Retention.DEFAULT, Clock.fixed(T0.plusSeconds(86_400), ZoneOffset.UTC))) {
      for (int round = 0; round < 2; round++) {
        ImportWriter writer = new ImportWriter(store);
        writer.add(Observation.ofPulls("acme", "app", T0, 1));
        writer.add(Observation.ofPulls("acme", "app", T0.plusSeconds(60), 2));
        assertThat(writer.finish().added()).isEqualTo(round == 0 ? 2 : 0);
      }
    }
  }

  @Test
  void nothingReadIsAnEmptySummary() throws Exception {
    try (HistoryStore store = HistoryStore.open(dir, Retention.DEFAULT, Clock.systemUTC())) {
      assertThat(new ImportWriter(store).finish())
          .isEqualTo(new ImportSummary(0, 0, 0, 0, null, null));
    }
  }

  @Test
  void thePrometheusImportReadsTheNamesTheExporterWrites() {
    assertThat(PrometheusImport.LEGACY_PULLS).isEqualTo(SnapshotCollector.LEGACY_PULLS);
    assertThat(PrometheusImport.PULLS_TOTAL)
        .isEqualTo(SnapshotCollector.PULLS_TOTAL_NAME + "_total");
  }
}
