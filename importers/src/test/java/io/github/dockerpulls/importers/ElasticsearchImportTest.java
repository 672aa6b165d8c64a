package io.github.dockerpulls.importers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.elasticsearch.EsConnection;
import io.github.dockerpulls.elasticsearch.SinkException;
import io.github.dockerpulls.elasticsearch.testing.RealElasticsearch;
import io.github.dockerpulls.elasticsearch.testing.TestElasticsearch;
import io.github.dockerpulls.history.Granularity;
import io.github.dockerpulls.history.HistoryReport;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Period;
import io.github.dockerpulls.history.RepositoryHistory;
import io.github.dockerpulls.history.Retention;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.testing.CapturedLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metricbeat-shaped documents spanning 30 days in the real Elasticsearch: what the import records
 * gives back, per day, the figures the documents were built from, across a gap and a decrease.
 */
@ExtendWith(RealElasticsearch.class)
class ElasticsearchImportTest {
  private static final int DAYS = 30;
  private static final int STEPS_PER_DAY = 144; // every 10 minutes, as Metricbeat polled
  private static final Instant END = Instant.now().truncatedTo(ChronoUnit.DAYS);
  private static final Instant START = END.minus(Duration.ofDays(DAYS));
  private static final int GAP_FROM = 10;
  private static final int GAP_DAYS = 2;
  private static final int DROP_DAY = 20;

  private final TestElasticsearch es = TestElasticsearch.get();
  @TempDir Path spool;
  @TempDir Path history;

  private static long zeebeStep(int d) {
    return d >= GAP_FROM && d < GAP_FROM + GAP_DAYS ? 7 : 4 + d % 3;
  }

  /** One document as Metricbeat's ingest pipeline left it, or as this project writes it. */
  private static String document(String index, Instant t, String ns, String name, String count) {
    String at = t.plusMillis(123).toString();
    return "{\"create\":{\"_index\":\""
        + index
        + "\"}}\n{\"@timestamp\":\""
        + at
        + "\",\"http\":{\"docker_hub\":{\"namespace\":\""
        + ns
        + "\",\"name\":\""
        + name
        + "\",\"pull_count\":"
        + count
        + ",\"star_count\":3}}}\n";
  }

  private String fixture(String prefix) {
    StringBuilder bulk = new StringBuilder();
    long zeebe = 9_000_000;
    long operate = 120_000_000;
    for (int d = 0; d < DAYS; d++) {
      // Yearly indices, as Metricbeat writes them; the data spans two when it crosses New Year.
      for (int k = 0; k < STEPS_PER_DAY; k++) {
        Instant t = START.plus(Duration.ofMinutes(10L * (d * STEPS_PER_DAY + k)));
        String index = prefix + "-" + t.atZone(ZoneOffset.UTC).getYear();
        boolean inGap = (d > GAP_FROM || (d == GAP_FROM && k > 0)) && d < GAP_FROM + GAP_DAYS;
        if (!inGap) {
          bulk.append(document(index, t, "camunda", "zeebe", Long.toString(zeebe)));
        }
        bulk.append(document(index, t, "camunda", "operate", Long.toString(operate)));
        zeebe += zeebeStep(d);
        operate += d == DROP_DAY && k == STEPS_PER_DAY / 2 ? -500 : 3;
      }
    }
    String index = prefix + "-" + END.atZone(ZoneOffset.UTC).getYear();
    bulk.append(document(index, END, "camunda", "zeebe", Long.toString(zeebe)));
    bulk.append(document(index, END, "camunda", "operate", Long.toString(operate)));
    // A count as Metricbeat once wrote one, in floating point; a name Docker Hub cannot have.
    bulk.append(
        document(index, END.minus(Duration.ofHours(2)), "library", "httpd", "2.244658322e+09"));
    bulk.append(document(index, END, "library", "httpd", "2244658422"));
    bulk.append(
        "{\"create\":{\"_index\":\""
            + index
            + "\"}}\n{\"@timestamp\":\""
            + END
            + "\",\"http\":{\"docker_hub\":{\"namespace\":\"library\",\"name\":\"Not A Name\","
            + "\"pull_count\":5}}}\n");
    return bulk.toString();
  }

  @Test
  void thePerDayFiguresAreTheOnesTheDocumentsWereBuiltFrom() throws Exception {
    String prefix = "import-docker-pulls";
    es.call("POST", "/_bulk?refresh=true", fixture(prefix));
    Instant now = END.plus(Duration.ofHours(1));
    try (CapturedLog log = CapturedLog.of(HistoryStore.class);
        EsConnection connection = new EsConnection(es.settings(spool).build());
        HistoryStore store =
            HistoryStore.open(history, Retention.DEFAULT, Clock.fixed(now, ZoneOffset.UTC))) {
      List<long[]> progress = new ArrayList<>();
      ImportSummary summary =
          new ElasticsearchImport(connection, prefix + "-*")
              .into(
                  store,
                  START.minus(Duration.ofDays(1)),
                  now,
                  (r, t) -> progress.add(new long[] {r, t}));
      assertThat(summary.series()).isEqualTo(3);
      assertThat(summary.skipped()).isEqualTo(1);
      assertThat(summary.first()).isEqualTo(START.plusMillis(123));
      assertThat(summary.added()).isEqualTo(summary.points());
      // Several pages of 5,000, each reported.
      assertThat(progress.size()).isGreaterThan(1);
      assertThat(progress.get(progress.size() - 1)[0]).isEqualTo(summary.points() + 1);

      HistoryReport report =
          store.report(
              List.of(Target.parse("camunda")), START, END, Granularity.DAY, ZoneOffset.UTC);
      assertThat(report.repositories())
          .extracting(RepositoryHistory::name)
          .containsExactly("operate", "zeebe");
      List<Long> operate = new ArrayList<>();
      List<Long> zeebe = new ArrayList<>();
      for (int d = 0; d < DAYS; d++) {
        operate.add(d == DROP_DAY ? 3L * (STEPS_PER_DAY - 1) : 3L * STEPS_PER_DAY);
        zeebe.add(zeebeStep(d) * STEPS_PER_DAY);
      }
      assertThat(perDay(report.repositories().get(0))).isEqualTo(operate);
      assertThat(perDay(report.repositories().get(1))).isEqualTo(zeebe);
      // The correction is logged once, when it is recorded.
      assertThat(log.messages())
          .singleElement()
          .asString()
          .contains("camunda/operate 120008856 -> 120008356 went down");
      HistoryReport httpd =
          store.report(
              List.of(Target.parse("library/httpd")),
              END.minus(Duration.ofDays(1)),
              now,
              Granularity.DAY,
              ZoneOffset.UTC);
      assertThat(httpd.repositories().get(0).pullCount()).isEqualTo(2_244_658_422L);
      assertThat(httpd.repositories().get(0).pulls()).isEqualTo(100);

      ImportSummary again =
          new ElasticsearchImport(connection, prefix + "-*")
              .into(store, START.minus(Duration.ofDays(1)), now, (r, t) -> {});
      assertThat(again.points()).isEqualTo(summary.points());
      assertThat(again.added()).isZero();
    }
  }

  @Test
  void aWrongPasswordIsOneLine() throws Exception {
    try (EsConnection connection =
            new EsConnection(
                es.settings(spool).basicAuth(TestElasticsearch.USER, "wrong-password").build());
        HistoryStore store = HistoryStore.open(history, Retention.DEFAULT, Clock.systemUTC())) {
      assertThatThrownBy(
              () ->
                  new ElasticsearchImport(connection, "docker-pulls-*")
                      .into(store, START, END, (r, t) -> {}))
          .isInstanceOf(SinkException.class)
          .hasMessageNotContaining("wrong-password")
          .satisfies(
              e ->
                  assertThat(((SinkException) e).kind()).isEqualTo(SinkException.Kind.CREDENTIALS));
    }
  }

  private static List<Long> perDay(RepositoryHistory r) {
    return r.series().stream().map(Period::pulls).toList();
  }
}
