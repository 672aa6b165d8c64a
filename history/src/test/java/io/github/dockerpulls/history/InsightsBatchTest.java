package io.github.dockerpulls.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.history.InsightFigure.Dimension;
import io.github.dockerpulls.hub.Target;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InsightsBatchTest {
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  private static final LocalDate W1 = LocalDate.parse("2026-11-16");
  private static final LocalDate W2 = LocalDate.parse("2026-11-23");

  @TempDir Path dir;

  private HistoryStore open() throws HistoryException {
    return Histories.open(
        dir,
        new Retention(Duration.ofDays(30), Duration.ofDays(365), Optional.empty()),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static InsightFigure tag(LocalDate week, String repo, String tag, long dl, long vc) {
    return new InsightFigure(
        Granularity.WEEK, week, "acme", repo, Dimension.TAG, tag, dl, vc, dl + vc, null);
  }

  private static InsightFigure total(LocalDate week, String repo, long dl, long vc, Long ips) {
    return new InsightFigure(
        Granularity.WEEK, week, "acme", repo, Dimension.REPOSITORY, "", dl, vc, dl + vc, ips);
  }

  private String report(HistoryStore store) throws Exception {
    StringBuilder out = new StringBuilder();
    store.stream(
        ReportQuery.parse(List.of(Target.organization("acme")), "2026-11-01", "week", "UTC", NOW),
        null,
        "*",
        HistoryJson.writer(out, false));
    return out.toString();
  }

  @Test
  void rowsOfOneTagAreSummedAndAReportShowsThemPerWeek() throws Exception {
    try (HistoryStore store = open()) {
      try (InsightsBatch batch = store.insights(InsightsBatch.Source.TRENDS_FILE)) {
        batch.add(tag(W1, "app", "1.0", 10, 5)); // one country
        batch.add(tag(W1, "app", "1.0", 7, 0)); // another
        batch.add(tag(W1, "app", "2.0", 1, 1));
        batch.add(total(W1, "app", 19, 6, null));
        batch.add(tag(W2, "app", "2.0", 30, 2));
        batch.add(total(W2, "app", 30, 2, 9L));
        assertThat(batch.commit().periods()).isEqualTo(2);
      }
      String json = report(store);
      assertThat(json)
          .contains("\"name\":\"app\",\"pull_count\":null,\"observed_at\":null")
          .contains(
              "\"insights\":{\"series\":[{\"start\":\"2026-11-16T00:00:00Z\","
                  + "\"end\":\"2026-11-23T00:00:00Z\",\"pulls\":25,\"downloads\":19,"
                  + "\"version_checks\":6,\"unique_ips\":null},{\"start\":\"2026-11-23T00:00:00Z\","
                  + "\"end\":\"2026-11-30T00:00:00Z\",\"pulls\":32,\"downloads\":30,"
                  + "\"version_checks\":2,\"unique_ips\":9}]")
          .contains(
              "\"tags\":[{\"tag\":\"2.0\",\"pulls\":34,\"downloads\":31,\"version_checks\":3,")
          .contains("{\"tag\":\"1.0\",\"pulls\":22,\"downloads\":17,\"version_checks\":5,");
    }
  }

  @Test
  void importingTwiceGivesTheSameHistoryAsOnce() throws Exception {
    try (HistoryStore store = open()) {
      for (int round = 0; round < 2; round++) {
        try (InsightsBatch batch = store.insights(InsightsBatch.Source.API)) {
          batch.add(tag(W1, "app", "1.0", 10, 5));
          batch.add(total(W1, "app", 10, 5, 3L));
          batch.commit();
        }
      }
      assertThat(report(store)).contains("\"pulls\":15,\"downloads\":10,\"version_checks\":5");
      assertThat(rows()).isEqualTo(2);
    }
  }

  @Test
  void aTotalImportedAloneLeavesTheTagsOfThePeriodAlone() throws Exception {
    try (HistoryStore store = open()) {
      try (InsightsBatch batch = store.insights(InsightsBatch.Source.FILE)) {
        batch.add(tag(W1, "app", "1.0", 10, 5));
        batch.add(total(W1, "app", 10, 5, null));
        batch.commit();
      }
      try (InsightsBatch batch = store.insights(InsightsBatch.Source.API)) {
        batch.add(
            new InsightFigure(
                Granularity.WEEK, W1, "acme", "app", Dimension.REPOSITORY, "", null, null, 16, 4L));
        batch.commit();
      }
      String json = report(store);
      assertThat(json)
          .contains("\"pulls\":16,\"downloads\":null,\"version_checks\":null,\"unique_ips\":4");
      assertThat(json).contains("{\"tag\":\"1.0\",\"pulls\":15");
    }
  }

  @Test
  void onlyTheLargestTagsAreKeptTheRestSummedAsOther() throws Exception {
    try (HistoryStore store = open()) {
      try (InsightsBatch batch = store.insights(InsightsBatch.Source.TRENDS_FILE)) {
        for (int t = 1; t <= InsightsBatch.TAGS_KEPT + 5; t++) {
          batch.add(tag(W1, "app", "v" + t, t * 100L, t));
        }
        for (int c = 0; c < 8; c++) {
          batch.add(
              new InsightFigure(
                  Granularity.WEEK,
                  W1,
                  "acme",
                  "app",
                  Dimension.COUNTRY,
                  "C" + c,
                  1L,
                  0L,
                  1 + c,
                  null));
        }
        batch.commit();
      }
      String json = report(store);
      // v1..v5 (the smallest) are summed: 100+200+...+500 downloads, 1+...+5 version checks
      assertThat(json)
          .contains("{\"tag\":\"(other)\",\"pulls\":1515,\"downloads\":1500,\"version_checks\":15")
          .contains("{\"tag\":\"v15\",\"pulls\":1515,")
          .doesNotContain("\"tag\":\"v5\"");
      assertThat(json).contains("\"breakdowns\":{\"country\":[{\"key\":\"C7\",\"pulls\":8");
      // 5 countries kept, C0..C2 summed: 1+2+3
      assertThat(json).contains("{\"key\":\"(other)\",\"pulls\":6,\"downloads\":3");
      assertThat(rows()).isEqualTo(InsightsBatch.TAGS_KEPT + 1 + InsightsBatch.BREAKDOWN_KEPT + 1);
    }
  }

  @Test
  void anImportCutOffKeepsItsEarlierCommitsAndMarksWhatItFinished() throws Exception {
    try (HistoryStore store = open()) {
      try (InsightsBatch batch = store.insights(InsightsBatch.Source.API)) {
        batch.add(total(W1, "app", 1, 1, null));
        batch.commit("acme/weeks/2026/47");
        batch.add(total(W2, "app", 2, 2, null)); // never committed
      }
      try (InsightsBatch batch = store.insights(InsightsBatch.Source.API)) {
        assertThat(batch.done("acme/weeks/2026/47")).isTrue();
        assertThat(batch.done("acme/weeks/2026/48")).isFalse();
      }
      assertThat(rows()).isEqualTo(1);
    }
  }

  @Test
  void manyMoreSumsThanTheBufferHoldsAreStagedOnDisk() throws Exception {
    try (HistoryStore store = open()) {
      try (InsightsBatch batch = store.insights(InsightsBatch.Source.TRENDS_FILE)) {
        int repos = InsightsBatch.BUFFERED / 2 + 10;
        for (int round = 0; round < 2; round++) {
          for (int r = 0; r < repos; r++) {
            batch.add(tag(W1, "r" + r, "latest", 1, 1));
            batch.add(total(W1, "r" + r, 1, 1, null));
          }
        }
        assertThat(batch.commit().periods()).isEqualTo(repos);
      }
      try (Connection c = Histories.connect(dir);
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT min(pulls), max(pulls), count(*) FROM insight")) {
        r.next();
        assertThat(r.getLong(1)).isEqualTo(4);
        assertThat(r.getLong(2)).isEqualTo(4);
      }
    }
  }

  @Test
  void sumsStopAtTheLargestCountInsteadOfWrapping() throws Exception {
    long huge = Long.MAX_VALUE / 2 + 1;
    try (HistoryStore store = open()) {
      try (InsightsBatch batch = store.insights(InsightsBatch.Source.TRENDS_FILE)) {
        // Three times in memory, then again after the buffer went to the staging table.
        for (int i = 0; i < 3; i++) {
          batch.add(total(W1, "app", huge, 0, null));
        }
        for (int r = 0; r < InsightsBatch.BUFFERED; r++) {
          batch.add(total(W1, "filler" + r, 1, 0, null));
        }
        batch.add(total(W1, "app", huge, 0, null));
        batch.commit();
      }
      assertThat(report(store))
          .contains("\"pulls\":" + Long.MAX_VALUE + ",\"downloads\":" + Long.MAX_VALUE);
    }
    assertThat(InsightsBatch.saturated(huge, huge)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  @Tag("sqlite-file")
  void aHistoryOfTheFirstSchemaGainsTheInsightsTable() throws Exception {
    try (HistoryStore store = open()) {
      store.record(List.of(Observation.ofPulls("acme", "app", NOW, 5)));
    }
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(HistoryStore.FILE_NAME));
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE insight");
      s.execute("PRAGMA user_version=1");
    }
    try (HistoryStore store = open()) {
      try (InsightsBatch batch = store.insights(InsightsBatch.Source.API)) {
        batch.add(total(W1, "app", 1, 2, null));
        batch.commit();
      }
      assertThat(report(store)).contains("\"pull_count\":5,").contains("\"pulls\":3,");
    }
  }

  private long rows() throws Exception {
    List<Long> n = new ArrayList<>();
    try (Connection c = Histories.connect(dir);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM insight")) {
      r.next();
      n.add(r.getLong(1));
    }
    return n.get(0);
  }
}
