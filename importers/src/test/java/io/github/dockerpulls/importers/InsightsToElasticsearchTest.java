package io.github.dockerpulls.importers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.elasticsearch.EsConnection;
import io.github.dockerpulls.elasticsearch.testing.RealElasticsearch;
import io.github.dockerpulls.elasticsearch.testing.TestElasticsearch;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.InsightsBatch;
import io.github.dockerpulls.history.Retention;
import io.github.dockerpulls.hub.testing.FakeInsights;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The history's Insights in the real Elasticsearch: one document each, overwritten, not added. */
@ExtendWith(RealElasticsearch.class)
class InsightsToElasticsearchTest {
  private final TestElasticsearch es = TestElasticsearch.get();
  @TempDir Path spool;
  @TempDir Path history;

  @Test
  void writingTwiceLeavesOneDocumentPerRepositoryPeriodAndFigure() throws Exception {
    String prefix = "insights-test-" + System.nanoTime();
    FakeInsights fake =
        new FakeInsights(
            "http://unused",
            "acme",
            List.of("app", "worker"),
            List.of("1.0", "2.0"),
            InsightsImportTest.FIRST,
            10);
    StringWriter csv = new StringWriter();
    fake.writeTrends(csv);
    try (HistoryStore store =
            HistoryStore.open(
                history,
                new Retention(Duration.ofDays(30), Duration.ofDays(365), Optional.empty()),
                Clock.fixed(InsightsImportTest.NOW, ZoneOffset.UTC));
        EsConnection connection = new EsConnection(es.settings(spool).build())) {
      try (InsightsBatch batch = store.insights(InsightsBatch.Source.TRENDS_FILE)) {
        new InsightsFiles(InsightsImportTest.TODAY.minusYears(1), InsightsImportTest.TODAY, null)
            .read(
                "trends.csv",
                new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)),
                batch,
                n -> {});
        batch.commit();
      }
      long[] figures = {0};
      store.insightFigures("acme", LocalDate.parse("2026-01-01"), f -> figures[0]++);
      // 9 weeks x 2 repositories x (1 + 2 tags + 3 countries + 2 clouds + 2 clients)
      assertThat(figures[0]).isEqualTo(9 * 2 * 10);
      InsightsToElasticsearch writer = new InsightsToElasticsearch(connection, prefix);
      InsightsToElasticsearch.Result first =
          writer.write(store, "acme", LocalDate.parse("2026-01-01"));
      assertThat(first.written()).isEqualTo(figures[0]);
      assertThat(first.failed()).isZero();
      InsightsToElasticsearch.Result again =
          writer.write(store, "acme", LocalDate.parse("2026-01-01"));
      assertThat(again.written()).isEqualTo(figures[0]);
      es.call("POST", "/" + prefix + "-*/_refresh", null);
      assertThat(es.call("GET", "/" + prefix + "-*/_count", null))
          .contains("\"count\":" + figures[0] + ",");
      LocalDate week = InsightsImportTest.FIRST.plusWeeks(2);
      String hit =
          es.call(
              "POST",
              "/" + prefix + "-*/_search",
              "{\"query\":{\"bool\":{\"filter\":["
                  + "{\"term\":{\"repository.full_name.keyword\":\"acme/worker\"}},"
                  + "{\"term\":{\"tag.keyword\":\"2.0\"}},"
                  + "{\"term\":{\"@timestamp\":\""
                  + week
                  + "T00:00:00Z\"}}]}}}");
      long dl = FakeInsights.downloads("worker", "2.0", week);
      long vc = FakeInsights.versionChecks("worker", "2.0", week);
      assertThat(hit)
          .contains("\"total\":{\"value\":1,")
          .contains("\"_index\":\"" + prefix + "-2026\"")
          .contains("\"pulls\":" + (dl + vc))
          .contains("\"downloads\":" + dl)
          .contains("\"version_checks\":" + vc)
          .contains("\"granularity\":\"week\"");
    }
  }
}
