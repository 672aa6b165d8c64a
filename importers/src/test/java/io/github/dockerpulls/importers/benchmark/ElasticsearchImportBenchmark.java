package io.github.dockerpulls.importers.benchmark;

import io.github.dockerpulls.elasticsearch.EsConnection;
import io.github.dockerpulls.elasticsearch.testing.TestElasticsearch;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Retention;
import io.github.dockerpulls.importers.ElasticsearchImport;
import io.github.dockerpulls.importers.ImportSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Imports Metricbeat-shaped documents of {@code repositories} repositories, one every 10 minutes
 * for {@code days} days, from the real test Elasticsearch into a new history each run, and prints
 * the documents per second. See docs/benchmarks.md; needs the unpacked test Elasticsearch, as the
 * module's tests do ({@code -Ddockerpulls.test.elasticsearch.home}).
 *
 * <p>Arguments: {@code [repositories] [days] [runs]}.
 */
public final class ElasticsearchImportBenchmark {
  private ElasticsearchImportBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repositories = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    TestElasticsearch es = TestElasticsearch.get();
    Instant end = Instant.now().truncatedTo(ChronoUnit.DAYS);
    Instant start = end.minus(Duration.ofDays(days));
    String index = "bench-docker-pulls-" + end.toEpochMilli();
    long documents = 0;
    StringBuilder bulk = new StringBuilder();
    for (Instant t = start; t.isBefore(end); t = t.plus(Duration.ofMinutes(10))) {
      long minutes = Duration.between(start, t).toMinutes();
      for (int r = 0; r < repositories; r++) {
        bulk.append("{\"create\":{\"_index\":\"")
            .append(index)
            .append("\"}}\n{\"@timestamp\":\"")
            .append(t)
            .append("\",\"http\":{\"docker_hub\":{\"namespace\":\"bigorg\",\"name\":\"repo")
            .append(r)
            .append("\",\"pull_count\":")
            .append(1_000_000L * (r + 1) + minutes * (r % 7 + 1))
            .append("}}}\n");
        documents++;
      }
      if (bulk.length() > 4_000_000) {
        es.call("POST", "/_bulk", bulk.toString());
        bulk.setLength(0);
      }
    }
    if (bulk.length() > 0) {
      es.call("POST", "/_bulk", bulk.toString());
    }
    es.call("POST", "/" + index + "/_refresh", null);
    System.out.printf(Locale.ROOT, "%,d documents in %s%n", documents, index);
    Path work = Files.createTempDirectory("dockerpulls-es-import-bench-");
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i <= runs; i++) {
      Path dir = Files.createTempDirectory(work, "history-");
      long t0 = System.nanoTime();
      ImportSummary summary;
      try (EsConnection connection = new EsConnection(es.settings(work.resolve("spool")).build());
          HistoryStore store = HistoryStore.open(dir, Retention.DEFAULT, Clock.systemUTC())) {
        summary =
            new ElasticsearchImport(connection, index)
                .into(store, start.minus(Duration.ofDays(1)), Instant.now(), (read, total) -> {});
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "%s: %,d points in %.3f s, %.0f documents per second%n",
          i == 0 ? "warm-up" : "run " + i,
          summary.points(),
          seconds,
          summary.points() / seconds);
      if (i > 0) {
        rates.add(summary.points() / seconds);
      }
    }
    Collections.sort(rates);
    System.out.printf(
        Locale.ROOT,
        "median %.0f documents per second (min %.0f, max %.0f)%n",
        rates.get(rates.size() / 2),
        rates.get(0),
        rates.get(rates.size() - 1));
    es.call("DELETE", "/" + index, null);
  }
}
