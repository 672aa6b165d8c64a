package io.github.dockerpulls.elasticsearch.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dockerpulls.elasticsearch.DeliveryReport;
import io.github.dockerpulls.elasticsearch.ElasticsearchSink;
import io.github.dockerpulls.elasticsearch.EsConnection;
import io.github.dockerpulls.elasticsearch.IndexSetup;
import io.github.dockerpulls.elasticsearch.PullDocument;
import io.github.dockerpulls.elasticsearch.testing.TestElasticsearch;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.TargetResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Writes one snapshot of 5,000 repositories to the test Elasticsearch with the sink, and sends the
 * same documents as one {@code _bulk} request with curl, several times each, and prints the
 * medians. Arguments: runs (default 7), repositories (default 5000).
 */
public final class BulkBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    // Rounds before the measured ones, reported but left out of the medians: the first rounds
    // measure this JVM's JIT and a cold server more than the sink.
    int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    TestElasticsearch es = TestElasticsearch.get();
    Path work = Files.createTempDirectory("dockerpulls-bulk-bench");
    try {
      Instant at = Instant.parse("2026-11-22T10:00:00Z");
      List<RepositoryStats> repos = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        repos.add(
            new RepositoryStats(
                "org" + (i % 20),
                "image-" + i,
                1_000_000_000L + i * 7919L,
                OptionalLong.of(i % 500),
                Optional.of(at.minus(Duration.ofHours(i % 1000))),
                OptionalLong.empty()));
      }
      Snapshot snapshot =
          Snapshot.of(
              at,
              Duration.ofSeconds(1),
              List.of(TargetResult.success(Target.organization("org0"), repos)),
              Optional.empty(),
              Optional.empty());

      int rounds = runs + warmups;
      double[] first = new double[rounds];
      double[] next = new double[rounds];
      double[] fresh = new double[rounds];
      double[] curl = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        String prefix = "bench" + r + "-docker-pulls";
        try (EsConnection c =
                new EsConnection(
                    es.settings(work.resolve("spool" + r)).indexPrefix(prefix).build());
            ElasticsearchSink sink = ElasticsearchSink.create(c)) {
          first[r] = timed(() -> sink.write(snapshot));
          Snapshot later = shifted(snapshot, Duration.ofMinutes(5));
          next[r] = timed(() -> sink.write(later));
        }
        es.call("POST", "/" + prefix + "-*/_refresh", null);
        // a new process: the previous counts come from Elasticsearch
        try (EsConnection c =
                new EsConnection(
                    es.settings(work.resolve("spool" + r)).indexPrefix(prefix).build());
            ElasticsearchSink sink = ElasticsearchSink.create(c)) {
          Snapshot later = shifted(snapshot, Duration.ofMinutes(10));
          fresh[r] = timed(() -> sink.write(later));
        }

        // the same documents, one _bulk request with curl, into an index of the same template
        String curlPrefix = "curl" + r + "-docker-pulls";
        try (EsConnection c = new EsConnection(es.settings(work).indexPrefix(curlPrefix).build())) {
          IndexSetup.install(c.client(), curlPrefix);
        }
        Path body = work.resolve("bulk" + r + ".ndjson");
        StringBuilder ndjson = new StringBuilder();
        String index = IndexSetup.indexFor(curlPrefix, at);
        for (RepositoryStats repo : repos) {
          ndjson
              .append(
                  JSON.writeValueAsString(
                      Map.of("index", Map.of("_index", index, "_id", PullDocument.id(repo, at)))))
              .append('\n')
              .append(JSON.writeValueAsString(PullDocument.source(repo, at, OptionalLong.empty())))
              .append('\n');
        }
        Files.writeString(body, ndjson);
        Path out = work.resolve("curl" + r + ".out");
        curl[r] =
            timed(
                () -> {
                  Process p =
                      new ProcessBuilder(
                              "curl",
                              "-sS",
                              "--cacert",
                              es.caCertificate().toString(),
                              "-u",
                              TestElasticsearch.USER + ":" + TestElasticsearch.PASSWORD,
                              "-H",
                              "Content-Type: application/x-ndjson",
                              "--data-binary",
                              "@" + body,
                              "-o",
                              out.toString(),
                              es.url() + "/_bulk")
                          .inheritIO()
                          .start();
                  if (p.waitFor() != 0) {
                    throw new IllegalStateException("curl failed");
                  }
                  return null;
                });
        if (Files.readString(out).contains("\"errors\":true")) {
          throw new IllegalStateException("curl's bulk had errors");
        }
        System.out.printf(
            "%s %d: sink first %.3f s, sink next %.3f s, sink new process %.3f s, curl %.3f s%n",
            r < warmups ? "warm-up" : "run",
            r < warmups ? r + 1 : r - warmups + 1,
            first[r],
            next[r],
            fresh[r],
            curl[r]);
      }
      first = Arrays.copyOfRange(first, warmups, rounds);
      next = Arrays.copyOfRange(next, warmups, rounds);
      fresh = Arrays.copyOfRange(fresh, warmups, rounds);
      curl = Arrays.copyOfRange(curl, warmups, rounds);
      System.out.printf(
          "median of %d runs after %d warm-ups, %,d documents: sink first write %.3f s, next write %.3f s,"
              + " new process (deltas from Elasticsearch) %.3f s; curl one _bulk %.3f s;"
              + " ratio sink/curl %.2f (first), %.2f (next), %.2f (new process)%n",
          runs,
          warmups,
          count,
          median(first),
          median(next),
          median(fresh),
          median(curl),
          median(first) / median(curl),
          median(next) / median(curl),
          median(fresh) / median(curl));
    } catch (Exception e) {
      e.printStackTrace();
      Runtime.getRuntime().exit(1);
    }
    // the shutdown hook stops the test Elasticsearch
    Runtime.getRuntime().exit(0);
  }

  private static Snapshot shifted(Snapshot s, Duration by) {
    List<RepositoryStats> more = new ArrayList<>();
    for (RepositoryStats r : s.repositories()) {
      more.add(
          new RepositoryStats(
              r.namespace(),
              r.name(),
              r.pullCount() + 100,
              r.starCount(),
              r.lastUpdated(),
              r.collaboratorCount()));
    }
    return Snapshot.of(
        s.observedAt().plus(by),
        s.duration(),
        List.of(TargetResult.success(Target.organization("org0"), more)),
        Optional.empty(),
        Optional.empty());
  }

  interface Action {
    Object run() throws Exception;
  }

  private static double timed(Action action) throws Exception {
    long start = System.nanoTime();
    Object result = action.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (result instanceof DeliveryReport report && !report.complete()) {
      throw new IllegalStateException("delivery incomplete: " + report);
    }
    return seconds;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
