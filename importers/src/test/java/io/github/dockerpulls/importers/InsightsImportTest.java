package io.github.dockerpulls.importers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.history.HistoryJson;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.ReportQuery;
import io.github.dockerpulls.history.Retention;
import io.github.dockerpulls.hub.Credentials;
import io.github.dockerpulls.hub.DockerHub;
import io.github.dockerpulls.hub.PublisherAnalytics;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.testing.FakeHub;
import io.github.dockerpulls.hub.testing.FakeInsights;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import insights --org} against the project's fake of the DVP Data API. */
class InsightsImportTest {
  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  static final LocalDate TODAY = LocalDate.parse("2026-12-04");
  static final LocalDate FIRST = LocalDate.parse("2026-09-28"); // a Monday, ISO week 40
  static final List<String> REPOS = List.of("app", "worker");
  static final List<String> TAGS = List.of("1.0", "1.1", "2.0", "latest");

  @TempDir Path dir;
  private final FakeHub hub = new FakeHub().credentials("ci", "secret-token");
  private FakeInsights insights;
  private DockerHub client;
  private HistoryStore store;

  @BeforeEach
  void start() throws Exception {
    // Ten weeks: the last, from 2026-11-30, is not complete on 2026-12-04.
    insights = new FakeInsights(hub.url(), "acme", REPOS, TAGS, FIRST, 10);
    hub.hook(insights);
    client =
        DockerHub.builder()
            .baseUrl(hub.url())
            .credentials(Credentials.of("ci", "secret-token"))
            .build();
    store =
        HistoryStore.open(
            dir,
            new Retention(Duration.ofDays(30), Duration.ofDays(365), Optional.empty()),
            Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    client.close();
    hub.close();
  }

  private InsightsImport.Result importOnce() throws Exception {
    return new InsightsImport(client.analytics(), PublisherAnalytics.DEFAULT_MAX_FILE_BYTES)
        .into(store, "acme", REPOS, TODAY.minusYears(1), TODAY, step -> {});
  }

  private String report() throws Exception {
    StringBuilder out = new StringBuilder();
    store.stream(
        ReportQuery.parse(List.of(Target.organization("acme")), "1y", "week", "UTC", NOW),
        null,
        "*",
        HistoryJson.writer(out, false));
    return out.toString();
  }

  @Test
  void everyTagsWeeklyDownloadsAndVersionChecksComeThroughExactly() throws Exception {
    InsightsImport.Result r = importOnce();
    assertThat(r.files()).isEqualTo(2 * 9);
    assertThat(r.first()).isEqualTo(FIRST);
    assertThat(r.last()).isEqualTo(FIRST.plusWeeks(8));
    assertThat(r.skipped()).isEmpty();
    String json = report();
    for (String repo : REPOS) {
      for (String tag : TAGS) {
        for (int w = 0; w < 9; w++) {
          LocalDate week = FIRST.plusWeeks(w);
          long dl = FakeInsights.downloads(repo, tag, week);
          long vc = FakeInsights.versionChecks(repo, tag, week);
          assertThat(json)
              .contains(
                  "{\"start\":\""
                      + week
                      + "T00:00:00Z\",\"end\":\""
                      + week.plusWeeks(1)
                      + "T00:00:00Z\",\"pulls\":"
                      + (dl + vc)
                      + ",\"downloads\":"
                      + dl
                      + ",\"version_checks\":"
                      + vc
                      + "}");
        }
      }
      LocalDate week = FIRST.plusWeeks(3);
      assertThat(json)
          .contains(
              "\"pulls\":"
                  + insights.repositoryPulls(repo, week)
                  + ",\"downloads\":"
                  + (insights.repositoryPulls(repo, week) - versionChecks(repo, week))
                  + ",\"version_checks\":"
                  + versionChecks(repo, week)
                  + ",\"unique_ips\":"
                  + FakeInsights.uniqueIps(repo, week)
                  + "}");
    }
    // The running week is not taken.
    assertThat(json).doesNotContain(FIRST.plusWeeks(9) + "T00:00:00Z\",\"end");
  }

  private static long versionChecks(String repo, LocalDate week) {
    long sum = 0;
    for (String t : TAGS) {
      sum += FakeInsights.versionChecks(repo, t, week);
    }
    return sum;
  }

  @Test
  void importingTwiceGivesTheSameHistoryAndDownloadsNothingTwice() throws Exception {
    importOnce();
    List<String> once = rows();
    String reportOnce = report();
    int downloads = insights.downloads().size();
    InsightsImport.Result again = importOnce();
    assertThat(again.resumed()).isEqualTo(9);
    assertThat(again.files()).isZero();
    assertThat(insights.downloads()).hasSize(downloads);
    assertThat(rows()).isEqualTo(once);
    assertThat(report()).isEqualTo(reportOnce);
  }

  @Test
  void anImportCutShortIsResumedWhereItStopped() throws Exception {
    insights.failDownloads(1); // the first week's first file
    InsightsImport.Result first = importOnce();
    assertThat(first.skipped()).singleElement().asString().contains("could not be read");
    InsightsImport.Result second = importOnce();
    assertThat(second.resumed()).isEqualTo(8);
    assertThat(second.files()).isEqualTo(2);
    assertThat(report()).contains("\"start\":\"" + FIRST + "T00:00:00Z\"");
  }

  @Test
  void withoutExportsTheJsonPullsAreRead() throws Exception {
    insights.withoutExports();
    InsightsImport.Result r = importOnce();
    assertThat(r.files()).isZero();
    assertThat(r.figures()).isEqualTo(2 * 9);
    String json = report();
    LocalDate week = FIRST.plusWeeks(2);
    assertThat(json)
        .contains(
            "{\"start\":\""
                + week
                + "T00:00:00Z\",\"end\":\""
                + week.plusWeeks(1)
                + "T00:00:00Z\",\"pulls\":"
                + insights.repositoryPulls("app", week)
                + ",\"downloads\":null,\"version_checks\":null,\"unique_ips\":"
                + FakeInsights.uniqueIps("app", week)
                + "}");
    assertThat(json).contains("\"tags\":[]");
  }

  @Test
  void aNamespaceWithoutInsightsSaysWhoHasThem() {
    assertThatThrownBy(
            () ->
                new InsightsImport(client.analytics(), PublisherAnalytics.DEFAULT_MAX_FILE_BYTES)
                    .into(store, "someone", List.of("app"), TODAY.minusYears(1), TODAY, s -> {}))
        .isInstanceOf(ImportException.class)
        .hasMessage(
            "no Insights for 'someone': Docker Hub offers them to Docker Verified Publishers and"
                + " Docker-Sponsored Open Source namespaces, to their members");
  }

  @Test
  void theSignedLinksGetNoTokenAndTheirSignatureStaysOutOfMessages() throws Exception {
    importOnce();
    assertThat(insights.downloads()).isNotEmpty(); // the fake refuses a download with a token
    PublisherAnalytics.ExportFile f =
        client.analytics().exportFiles("acme", 2026, "weeks", 41, "summary").get(0);
    assertThat(f.url()).contains("s3cr3t-signature");
    assertThat(f.toString()).doesNotContain("s3cr3t");
  }

  private List<String> rows() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + store.location().file().orElseThrow());
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT repository_id, granularity, period_start, dimension, key, pulls,"
                    + " downloads, version_checks, unique_ips FROM insight ORDER BY 1, 2, 3, 4, 5")) {
      while (r.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 9; i++) {
          b.append(r.getString(i)).append('|');
        }
        rows.add(b.toString());
      }
    }
    return rows;
  }
}
