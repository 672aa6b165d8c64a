package io.github.dockerpulls.importers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.elasticsearch.EsConnection;
import io.github.dockerpulls.elasticsearch.EsSettings;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Retention;
import io.github.dockerpulls.hub.testing.CapturedLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that speaks Elasticsearch's protocol but pages wrongly: the import ends after what it
 * could read instead of searching for ever.
 */
class ElasticsearchPagingTest {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @TempDir Path spool;
  @TempDir Path history;

  /**
   * A full page of documents, each a minute apart, with sort values unless {@code sorted} is off.
   */
  private static String page(boolean sorted) {
    StringBuilder hits = new StringBuilder();
    for (int i = 0; i < ElasticsearchImport.PAGE; i++) {
      Instant t = T0.plus(Duration.ofMinutes(i));
      hits.append(i == 0 ? "" : ",")
          .append("{\"_index\":\"docker-pulls-2026\",\"_id\":\"d")
          .append(i)
          .append("\",\"_score\":null,\"_source\":{\"@timestamp\":\"")
          .append(t)
          .append("\",\"http\":{\"docker_hub\":{\"namespace\":\"camunda\",\"name\":\"zeebe\",")
          .append("\"pull_count\":")
          .append(1000 + i)
          .append("}}}")
          .append(sorted ? ",\"sort\":[" + t.toEpochMilli() + "," + i + "]" : "")
          .append('}');
    }
    return "{\"took\":1,\"timed_out\":false,\"pit_id\":\"p1\",\"_shards\":{\"total\":1,"
        + "\"successful\":1,\"skipped\":0,\"failed\":0},\"hits\":{\"total\":{\"value\":20000,"
        + "\"relation\":\"eq\"},\"max_score\":null,\"hits\":["
        + hits
        + "]}}";
  }

  private int searches(boolean sorted) throws Exception {
    AtomicInteger searches = new AtomicInteger();
    String body = page(sorted);
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
              String path = r.getUrl().encodedPath();
              String json;
              if (path.endsWith("/_pit") && "POST".equals(r.getMethod())) {
                json =
                    "{\"id\":\"p1\",\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,"
                        + "\"failed\":0}}";
              } else if (path.equals("/_pit")) {
                json = "{\"succeeded\":true,\"num_freed\":1}";
              } else if (path.endsWith("/_search")) {
                searches.incrementAndGet();
                json = body; // search_after ignored: the same page every time
              } else {
                json = "{}";
              }
              return new MockResponse.Builder()
                  .code(200)
                  .setHeader("Content-Type", "application/json")
                  .setHeader("X-Elastic-Product", "Elasticsearch")
                  .body(json)
                  .build();
            }
          });
      server.start();
      EsSettings settings =
          EsSettings.builder()
              .host(server.url("/").toString())
              .spoolDir(spool)
              .attempts(1)
              .firstBackoff(Duration.ofMillis(1))
              .build();
      Instant now = T0.plus(Duration.ofDays(10));
      try (CapturedLog log = CapturedLog.of(ElasticsearchImport.class);
          EsConnection connection = new EsConnection(settings);
          HistoryStore store =
              HistoryStore.open(history, Retention.DEFAULT, Clock.fixed(now, ZoneOffset.UTC))) {
        ImportSummary summary =
            new ElasticsearchImport(connection, "docker-pulls-*")
                .into(store, T0.minus(Duration.ofDays(1)), now, (read, total) -> {});
        assertThat(summary.points()).isEqualTo(ElasticsearchImport.PAGE);
        assertThat(log.messages()).singleElement().asString().contains("the import ends");
      }
    }
    return searches.get();
  }

  @Test
  void aServerThatIgnoresSearchAfterEndsTheImportAtTheSecondSearch() throws Exception {
    assertThat(searches(true)).isEqualTo(2);
  }

  @Test
  void aServerThatGivesNoSortValuesEndsTheImportAfterItsPage() throws Exception {
    assertThat(searches(false)).isEqualTo(1);
  }
}
