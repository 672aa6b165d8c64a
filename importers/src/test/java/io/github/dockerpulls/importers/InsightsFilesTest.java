package io.github.dockerpulls.importers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.history.HistoryJson;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.InsightsBatch;
import io.github.dockerpulls.history.ReportQuery;
import io.github.dockerpulls.history.Retention;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.testing.FakeInsights;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summary and trends reports of Docker Hub's web pages, read from files. */
class InsightsFilesTest {
  static final Instant NOW = InsightsImportTest.NOW;
  static final LocalDate TODAY = InsightsImportTest.TODAY;
  static final LocalDate FIRST = InsightsImportTest.FIRST;

  @TempDir Path dir;
  private HistoryStore store;
  private final FakeInsights fake =
      new FakeInsights(
          "http://unused", "acme", InsightsImportTest.REPOS, InsightsImportTest.TAGS, FIRST, 10);

  @BeforeEach
  void open() throws Exception {
    store =
        HistoryStore.open(
            dir,
            new Retention(Duration.ofDays(30), Duration.ofDays(365), Optional.empty()),
            Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private InsightsFiles.Result read(String name, byte[] bytes, InsightsBatch.Source source)
      throws Exception {
    try (InsightsBatch batch = store.insights(source);
        InputStream in = new ByteArrayInputStream(bytes)) {
      InsightsFiles.Result r =
          new InsightsFiles(TODAY.minusYears(1), TODAY, null).read(name, in, batch, n -> {});
      batch.commit();
      return r;
    }
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

  private void assertEveryTagExactly(String json) {
    for (String repo : InsightsImportTest.REPOS) {
      for (String tag : InsightsImportTest.TAGS) {
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
    }
  }

  @Test
  void aGzippedTrendsReportSumsItsRowsIntoEachTagsWeeks() throws Exception {
    StringWriter csv = new StringWriter();
    fake.writeTrends(csv);
    InsightsFiles.Result r =
        read("trends.csv.gz", FakeInsights.gzip(csv.toString()), InsightsBatch.Source.TRENDS_FILE);
    assertThat(r.kind()).isEqualTo(InsightsFiles.Kind.TRENDS);
    assertThat(r.rows()).isEqualTo(10 * 2 * 4 * 3);
    assertThat(r.figures()).isEqualTo(9 * 2 * 4 * 3);
    assertThat(r.skipped())
        .containsExactly(
            "24 rows of a period not complete yet (such as line 218: week of 2026-11-30)");
    String json = report();
    assertEveryTagExactly(json);
    assertThat(json).contains("\"breakdowns\":{\"country\":[{\"key\":\"IN\"");
    assertThat(json).contains("\"client\":[{\"key\":\"docker\",");
  }

  @Test
  void aSummaryReportGivesTheSameFigures() throws Exception {
    StringWriter csv = new StringWriter();
    fake.writeSummary(csv);
    InsightsFiles.Result r =
        read(
            "summary.csv",
            csv.toString().getBytes(StandardCharsets.UTF_8),
            InsightsBatch.Source.FILE);
    assertThat(r.kind()).isEqualTo(InsightsFiles.Kind.SUMMARY);
    assertEveryTagExactly(report());
  }

  @Test
  void columnsAreKnownByNameWhateverTheirCaseSeparatorsAndOrder() throws Exception {
    String csv =
        "\uFEFFPulls;Tag;Image Repository;date-reference;Date Granularity;Version checks;Data"
            + " downloads\r\n"
            + "15;1.0;acme/app;2026-11-16;Weekly;5;10\r\n"
            + "\"7\";1.0;acme/app;2026-11-16;WEEKLY;0;7\r\n";
    InsightsFiles.Result r =
        read("t.csv", csv.getBytes(StandardCharsets.UTF_8), InsightsBatch.Source.FILE);
    assertThat(r.kind()).isEqualTo(InsightsFiles.Kind.TRENDS);
    assertThat(report())
        .contains("{\"tag\":\"1.0\",\"pulls\":22,\"downloads\":17,\"version_checks\":5,");
  }

  @Test
  void aBadRowIsPassedOverAndCountedTheRestTaken() throws Exception {
    String csv =
        "DATE_GRANULARITY,DATE_REFERENCE,LEVEL,REFERENCE,DATA_DOWNLOADS,VERSION_CHECKS\n"
            + "weekly,2026-11-16,repository,acme/app,10,5\n"
            + "weekly,2026-11-16,repository,acme/app2,-3,5\n"
            + "weekly,2026-11-16,repository,acme/app7,9000000000000000000,5\n"
            + "weekly,2026-11-17,repository,acme/app3,1,1\n"
            + "weekly,not a date,repository,acme/app4,1,1\n"
            + "daily,2026-11-16,repository,acme/app5,1,1\n"
            + "weekly,2026-11-16,tag,1.0,1,1\n"
            + "weekly,2026-11-16,repository,Not A Repo,1,1\n"
            + "weekly,2026-11-16,image,acme/app,1,1\n"
            + "weekly,2026-11-16,repository,acme/app6,\"1,1\n";
    InsightsFiles.Result r =
        read("s.csv", csv.getBytes(StandardCharsets.UTF_8), InsightsBatch.Source.FILE);
    assertThat(r.figures()).isEqualTo(1);
    assertThat(r.skipped())
        .containsExactly(
            "2 rows with a count that is not a whole number from 0 to 10^15 (such as line 3)",
            "1 rows whose date does not start a week (Monday) or a month (such as line 5: week"
                + " 2026-11-17)",
            "1 rows without a date such as 2026-11-02 (such as line 6: not a date)",
            "1 rows whose period is neither weekly nor monthly (such as line 7: daily)",
            "1 rows of a tag or digest that name no repository (namespace/name:tag) (such as line"
                + " 8: 1.0)",
            "1 rows that name no Docker Hub repository (such as line 9: Not A Repo)",
            "1 rows whose level is not repository, tag or digest (such as line 10: image)",
            "1 rows too long or unreadable (such as line 11: a quote is left open at the end of"
                + " the file)");
    assertThat(report()).contains("\"name\":\"app\",");
  }

  @Test
  void aFileThatIsNoReportNamesTheColumnsItHas() {
    byte[] csv = "when,what,how many\n2026-11-16,x,3\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> read("pulls.csv", csv, InsightsBatch.Source.FILE))
        .isInstanceOf(ImportException.class)
        .hasMessage(
            "pulls.csv: columns when, what, how many are not a Docker Hub Insights summary or"
                + " trends report");
    assertThatThrownBy(() -> read("empty.csv", new byte[0], InsightsBatch.Source.FILE))
        .hasMessage("empty.csv: the file is empty");
  }

  @Test
  void aRowLongerThanTheBoundIsPassedOverWhole() throws Exception {
    String csv =
        "DATE_GRANULARITY,DATE_REFERENCE,IMAGE_REPOSITORY,TAG,DATA_DOWNLOADS,VERSION_CHECKS\n"
            + "weekly,2026-11-16,acme/app,"
            + "x".repeat(CsvRows.MAX_ROW_CHARS + 10)
            + ",1,1\n"
            + "weekly,2026-11-16,acme/app,1.0,4,1\n";
    InsightsFiles.Result r =
        read("long.csv", csv.getBytes(StandardCharsets.UTF_8), InsightsBatch.Source.FILE);
    assertThat(r.figures()).isEqualTo(1);
    assertThat(r.skipped()).singleElement().asString().contains("longer than 65536 characters");
    assertThat(report()).contains("{\"tag\":\"1.0\",\"pulls\":5");
  }
}
