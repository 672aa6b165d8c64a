package io.github.dockerpulls.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.TargetResult;
import io.github.dockerpulls.hub.testing.CapturedLog;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryRecorderTest {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @TempDir Path dir;

  private static Snapshot snapshot(Instant at, int repositories) {
    List<RepositoryStats> repos = new ArrayList<>();
    for (int i = 0; i < repositories; i++) {
      repos.add(
          new RepositoryStats(
              "acme",
              "app-with-a-long-name-" + i,
              1000 + i,
              OptionalLong.of(3),
              Optional.empty(),
              OptionalLong.empty()));
    }
    return Snapshot.of(
        at,
        Duration.ofMillis(100),
        List.of(TargetResult.success(Target.parse("acme"), repos)),
        Optional.empty(),
        Optional.empty());
  }

  @Test
  @Tag("sqlite-file")
  void aRunOfFailuresIsReportedOnceAndTheRecoveryOnce() throws Exception {
    List<String> events = new ArrayList<>();
    try (CapturedLog ignored = CapturedLog.of(HistoryStore.class);
        HistoryStore store =
            HistoryStore.open(dir, Retention.DEFAULT, Clock.fixed(T0, ZoneOffset.UTC))) {
      HistoryRecorder recorder =
          new HistoryRecorder(
              store,
              e -> events.add("failed: " + e.kind()),
              where -> events.add("recovered: " + where.file().orElseThrow().getFileName()));
      assertThat(recorder.record(snapshot(T0, 1))).isTrue();
      store.limitPages(pages() + 2);
      recorder.onSnapshot(snapshot(T0.plusSeconds(60), 3000));
      assertThat(recorder.record(snapshot(T0.plusSeconds(120), 3000))).isFalse();
      assertThat(events).containsExactly("failed: UNWRITABLE");
      store.limitPages(1_000_000);
      assertThat(recorder.record(snapshot(T0.plusSeconds(180), 3000))).isTrue();
      recorder.onSnapshot(snapshot(T0.plusSeconds(240), 3000));
      assertThat(events).containsExactly("failed: UNWRITABLE", "recovered: dockerpulls.db");
      assertThat(store.latest(List.of(Target.parse("acme")))).hasSize(3000);
    }
  }

  @Test
  void aSnapshotWithoutRepositoriesRecordsNothing() throws Exception {
    try (HistoryStore store =
        Histories.open(dir, Retention.DEFAULT, Clock.fixed(T0, ZoneOffset.UTC))) {
      HistoryRecorder recorder = new HistoryRecorder(store, e -> {}, file -> {});
      assertThat(recorder.record(snapshot(T0, 0))).isTrue();
      assertThat(store.latest(List.of(Target.parse("acme")))).isEmpty();
    }
  }

  private int pages() throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(HistoryStore.FILE_NAME));
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("PRAGMA page_count")) {
      return r.getInt(1);
    }
  }
}
