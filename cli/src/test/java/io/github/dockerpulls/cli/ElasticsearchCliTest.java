package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dockerpulls.elasticsearch.testing.RealElasticsearch;
import io.github.dockerpulls.elasticsearch.testing.TestElasticsearch;
import io.github.dockerpulls.hub.testing.FakeHub;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code export --to elasticsearch} and {@code serve --es-url} against a real Elasticsearch. */
@ExtendWith(RealElasticsearch.class)
class ElasticsearchCliTest {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestElasticsearch es = TestElasticsearch.get();
  private final FakeHub fake = new FakeHub();
  @TempDir Path dir;
  private String prefix;
  private Path password;

  @BeforeEach
  void setUp() throws Exception {
    prefix = "cli" + PREFIXES.incrementAndGet() + "-docker-pulls";
    password = Files.writeString(dir.resolve("es-password"), TestElasticsearch.PASSWORD + "\n");
    fake.organizationItems(
        "camunda",
        List.of(
            FakeHub.listItem("camunda", "zeebe", 9_876_543L, 120, "2026-11-21T17:45:30Z"),
            FakeHub.listItem("camunda", "operate", 3_000_000_000L, 7, "2026-11-19T09:00:00Z")));
  }

  @AfterEach
  void tearDown() {
    fake.close();
  }

  private CliRun export(Instant at, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "export", "--hub-url", fake.url(), "--org", "camunda", "--to", "elasticsearch"));
    args.addAll(elasticsearchOptions());
    args.addAll(List.of(more));
    return CliRun.run(Clock.fixed(at, ZoneOffset.UTC), Map.of(), args.toArray(String[]::new));
  }

  /**
   * How the tests reach the test server: its URL, the superuser, the test CA, this test's prefix.
   */
  private List<String> elasticsearchOptions() {
    return List.of(
        "--es-url",
        es.url(),
        "--es-username",
        TestElasticsearch.USER,
        "--es-password-file",
        password.toString(),
        "--es-ca-cert",
        es.caCertificate().toString(),
        "--es-index-prefix",
        prefix,
        "--spool-dir",
        dir.resolve("spool").toString());
  }

  private JsonNode search(String body) throws Exception {
    es.call("POST", "/" + prefix + "-*/_refresh", null);
    return JSON.readTree(es.call("POST", "/" + prefix + "-*/_search", body));
  }

  @Test
  void importElasticsearchBringsTheDocumentsIntoTheHistoryForReport() throws Exception {
    Instant t0 = Instant.parse("2026-11-20T00:00:00Z");
    assertThat(export(t0, "--no-history").exitCode).isZero();
    fake.organizationItems(
        "camunda",
        List.of(
            FakeHub.listItem("camunda", "zeebe", 9_876_543L + 4_800, 120, "2026-11-21T17:45:30Z"),
            FakeHub.listItem("camunda", "operate", 3_000_000_000L, 7, "2026-11-19T09:00:00Z")));
    assertThat(export(t0.plus(Duration.ofDays(2)), "--no-history").exitCode).isZero();
    es.call("POST", "/" + prefix + "-*/_refresh", null);

    Clock later = Clock.fixed(t0.plus(Duration.ofDays(2)).plusSeconds(60), ZoneOffset.UTC);
    Map<String, String> env = Map.of("DOCKERPULLS_DATA_DIR", dir.resolve("data").toString());
    List<String> args =
        new ArrayList<>(List.of("import", "elasticsearch", "--index", prefix + "-*"));
    args.addAll(elasticsearchOptions().subList(0, 8)); // URL, user, password, CA
    CliRun imported = CliRun.run(later, env, args.toArray(String[]::new));
    assertThat(imported.exitCode).as(imported.toString()).isZero();
    assertThat(imported.out)
        .isEqualTo(
            "imported 2 series, 4 points (4 new) from Elasticsearch "
                + prefix
                + "-*, 2026-11-20T00:00:00Z to 2026-11-22T00:00:00Z\n");
    assertThat(imported.err).isEmpty();

    CliRun report =
        CliRun.run(later, env, "report", "--repo", "camunda/zeebe", "--since", "2d", "-f", "csv");
    assertThat(report.out.split("\r\n"))
        .containsExactly(
            "namespace,name,start,end,pulls,coverage",
            "camunda,zeebe,2026-11-20T00:00:00Z,2026-11-21T00:00:00Z,2400,1",
            "camunda,zeebe,2026-11-21T00:00:00Z,2026-11-22T00:00:00Z,2400,1",
            "camunda,zeebe,2026-11-22T00:00:00Z,2026-11-23T00:00:00Z,,0");

    CliRun again = CliRun.run(later, env, args.toArray(String[]::new));
    assertThat(again.out).contains("4 points (0 new)");
  }

  @Test
  void importInsightsToElasticsearchWritesEachFigureOnceHoweverOftenItRuns() throws Exception {
    io.github.dockerpulls.hub.testing.FakeInsights insights =
        new io.github.dockerpulls.hub.testing.FakeInsights(
            "http://unused",
            "acme",
            List.of("app"),
            List.of("1.0", "2.0"),
            java.time.LocalDate.parse("2026-11-02"),
            3);
    java.io.StringWriter csv = new java.io.StringWriter();
    insights.writeSummary(csv);
    Path file = Files.writeString(dir.resolve("summary.csv"), csv.toString());
    Clock now = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);
    Map<String, String> env = Map.of("DOCKERPULLS_DATA_DIR", dir.resolve("data").toString());
    List<String> args =
        new ArrayList<>(
            List.of(
                "import",
                "insights",
                "--file",
                file.toString(),
                "--to",
                "elasticsearch",
                "--insights-index",
                prefix + "-insights"));
    args.addAll(elasticsearchOptions().subList(0, 8)); // URL, user, password, CA
    for (int run = 0; run < 2; run++) {
      CliRun imported = CliRun.run(now, env, args.toArray(String[]::new));
      assertThat(imported.exitCode).as(imported.toString()).isZero();
      // 3 weeks x (the repository + 2 tags)
      assertThat(imported.out)
          .endsWith(
              "wrote 9 Insights documents of acme to Elasticsearch " + prefix + "-insights-YYYY\n");
    }
    es.call("POST", "/" + prefix + "-insights-*/_refresh", null);
    assertThat(es.call("GET", "/" + prefix + "-insights-*/_count", null)).contains("\"count\":9,");
  }

  @Test
  void exportWritesOneDocumentPerRepositoryAndTheNextRunADelta() throws Exception {
    Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
    CliRun first = export(t0);
    assertThat(first.exitCode).as(first.toString()).isZero();
    assertThat(first.out).isEmpty();
    assertThat(first.err)
        .matches(
            "dockerpulls: wrote 2 documents \\(1 snapshot\\) to "
                + prefix
                + "-2026 in [0-9.]+ s\n");

    fake.organizationItems(
        "camunda",
        List.of(
            FakeHub.listItem("camunda", "zeebe", 9_876_600L, 120, "2026-11-21T17:45:30Z"),
            FakeHub.listItem("camunda", "operate", 3_000_000_100L, 7, "2026-11-19T09:00:00Z")));
    es.call("POST", "/" + prefix + "-*/_refresh", null);
    CliRun second = export(t0.plusSeconds(600), "--quiet");
    assertThat(second.exitCode).as(second.toString()).isZero();
    assertThat(second.err).isEmpty();

    JsonNode hits =
        search(
                "{\"sort\":[{\"@timestamp\":\"desc\"},{\"http.docker_hub.name\":\"asc\"}],\"size\":2}")
            .at("/hits/hits");
    assertThat(hits.get(0).at("/_source/http/docker_hub/name").asText()).isEqualTo("operate");
    assertThat(hits.get(0).at("/_source/http/docker_hub/pull_count").asLong())
        .isEqualTo(3_000_000_100L);
    assertThat(hits.get(0).at("/_source/http/docker_hub/pull_count_delta").asLong()).isEqualTo(100);
    assertThat(hits.get(1).at("/_source/http/docker_hub/pull_count_delta").asLong()).isEqualTo(57);
    assertThat(hits.get(1).at("/_source/http/docker_hub").has("collaborator_count")).isFalse();
  }

  @Test
  void historyBackfillWritesTheSinksDocumentsOnceHoweverOftenItRuns() throws Exception {
    Map<String, String> data = Map.of("DOCKERPULLS_DATA_DIR", dir.resolve("data").toString());
    Instant t0 = Instant.parse("2026-11-20T10:00:00Z");
    for (int i = 0; i < 3; i++) {
      fake.organizationItems(
          "camunda",
          List.of(
              FakeHub.listItem("camunda", "zeebe", 1_000L + 50L * i, 120, "2026-11-19T17:45:30Z"),
              FakeHub.listItem("camunda", "operate", 7_000L + i, 7, "2026-11-19T09:00:00Z")));
      CliRun export =
          CliRun.run(
              Clock.fixed(t0.plus(Duration.ofHours(6L * i)), ZoneOffset.UTC),
              data,
              "export",
              "--hub-url",
              fake.url(),
              "--org",
              "camunda");
      assertThat(export.exitCode).as(export.toString()).isZero();
    }
    List<String> args = new ArrayList<>(List.of("history", "backfill", "--to", "elasticsearch"));
    args.addAll(elasticsearchOptions());
    Clock now = Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), ZoneOffset.UTC);
    CliRun first = CliRun.run(now, data, args.toArray(String[]::new));
    assertThat(first.exitCode).as(first.toString()).isZero();
    assertThat(first.out)
        .isEqualTo(
            "wrote 6 documents (0 already there) for 3 instants of the history to "
                + es.url()
                + "\n");
    CliRun again = CliRun.run(now, data, args.toArray(String[]::new));
    assertThat(again.exitCode).as(again.toString()).isZero();
    assertThat(again.out).startsWith("wrote 0 documents (6 already there) for 3 instants");
    JsonNode hits =
        search(
                "{\"query\":{\"term\":{\"http.docker_hub.name\":\"zeebe\"}},"
                    + "\"sort\":[{\"@timestamp\":\"asc\"}],\"size\":10}")
            .at("/hits/hits");
    assertThat(hits).hasSize(3);
    assertThat(hits.get(2).at("/_source/http/docker_hub/pull_count").asLong()).isEqualTo(1_100L);
    assertThat(hits.get(2).at("/_source/http/docker_hub/pull_count_delta").asLong()).isEqualTo(50);
    assertThat(hits.get(0).at("/_source/@timestamp").asText()).startsWith("2026-11-20T10:00:00");
    // A later export finds the backfilled documents and counts its delta from the last of them.
    fake.organizationItems(
        "camunda",
        List.of(
            FakeHub.listItem("camunda", "zeebe", 1_175L, 120, "2026-11-19T17:45:30Z"),
            FakeHub.listItem("camunda", "operate", 7_002L, 7, "2026-11-19T09:00:00Z")));
    CliRun later = export(Instant.parse("2026-11-23T00:00:00Z"), "--quiet");
    assertThat(later.exitCode).as(later.toString()).isZero();
    JsonNode newest =
        search(
                "{\"query\":{\"term\":{\"http.docker_hub.name\":\"zeebe\"}},"
                    + "\"sort\":[{\"@timestamp\":\"desc\"}],\"size\":1}")
            .at("/hits/hits/0/_source/http/docker_hub");
    assertThat(newest.path("pull_count_delta").asLong()).isEqualTo(75);
  }

  @Test
  void anExportThatCannotDeliverExitsOneAndSaysWhereItsDataWaits() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Path spool = dir.resolve("spool");
    CliRun run =
        CliRun.run(
            Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC),
            Map.of(),
            "export",
            "--hub-url",
            fake.url(),
            "--org",
            "camunda",
            "--to",
            "elasticsearch",
            "--es-url",
            "http://127.0.0.1:" + closed,
            "--es-index-prefix",
            prefix,
            "--spool-dir",
            spool.toString());
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(run.err)
        .isEqualTo(
            "dockerpulls: cannot write to Elasticsearch at http://127.0.0.1:"
                + closed
                + " (Connection refused); 1 snapshot waits in "
                + spool
                + " and will be delivered by the next run\n");

    // A run to another Elasticsearch that shares the spool delivers its own observation only: the
    // one spooled for the unreachable server waits for that server.
    CliRun next = export(Instant.parse("2026-11-22T10:05:00Z")); // the same --spool-dir
    assertThat(next.exitCode).as(next.toString()).isZero();
    assertThat(next.err).contains("wrote 2 documents (1 snapshot)");
    assertThat(search("{\"size\":0,\"track_total_hits\":true}").at("/hits/total/value").asLong())
        .isEqualTo(2);
    try (var waiting = java.nio.file.Files.list(spool)) {
      assertThat(waiting.filter(f -> f.getFileName().toString().startsWith("snapshot-")))
          .hasSize(1);
    }
  }

  @Test
  void wrongCredentialsAreOneLineAndExitOne() throws Exception {
    Files.writeString(password, "wrong\n");
    CliRun run = export(Instant.parse("2026-11-22T10:00:00Z"));
    assertThat(run.exitCode).isEqualTo(ExitCode.FAILED);
    assertThat(run.err.lines()).hasSize(1);
    assertThat(run.err)
        .startsWith("dockerpulls: Elasticsearch at " + es.url() + " refused the credentials (401")
        .doesNotContain("wrong\n1");
  }

  @Test
  void serveWithoutHttpWritesEveryRefresh() throws Exception {
    CommandLine cl = CliRun.commandLine(Clock.systemUTC(), Map.of());
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    ServeCommand serve = cl.getSubcommands().get("serve").getCommand();
    List<String> serveArgs =
        new ArrayList<>(
            List.of(
                "serve",
                "--hub-url",
                fake.url(),
                "--org",
                "camunda",
                "--no-http",
                "--interval",
                "1s"));
    serveArgs.addAll(elasticsearchOptions());
    String[] args = serveArgs.toArray(String[]::new);
    AtomicInteger exit = new AtomicInteger(-1);
    Thread thread = new Thread(() -> exit.set(DockerPulls.execute(cl, args)));
    thread.start();
    try {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline
          && err.toString()
                  .lines()
                  .filter(l -> l.contains("elasticsearch: wrote 2 documents"))
                  .count()
              < 2) {
        Thread.sleep(100);
      }
      assertThat(err.toString()).contains("not serving HTTP (--no-http)");
      assertThat(err.toString().lines().filter(l -> l.contains("elasticsearch: wrote 2 documents")))
          .hasSizeGreaterThanOrEqualTo(2);
    } finally {
      serve.stop.countDown();
      thread.join(20_000);
    }
    assertThat(exit.get()).isZero();
    assertThat(err.toString()).doesNotContain(TestElasticsearch.PASSWORD);
    JsonNode latest =
        search("{\"sort\":[{\"@timestamp\":\"desc\"}],\"size\":1}")
            .at("/hits/hits/0/_source/http/docker_hub");
    assertThat(latest.get("pull_count_delta").asLong()).isZero();
  }

  @Test
  void serveShowsTheSpoolAndTheLastDeliveryOnItsMetricsAndPage() throws Exception {
    CommandLine cl = CliRun.commandLine(Clock.systemUTC(), Map.of());
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    ServeCommand serve = cl.getSubcommands().get("serve").getCommand();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> serveArgs =
        new ArrayList<>(
            List.of(
                "serve",
                "--hub-url",
                fake.url(),
                "--org",
                "camunda",
                "--listen-address",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--no-history",
                "--interval",
                "1h"));
    serveArgs.addAll(elasticsearchOptions());
    String[] args = serveArgs.toArray(String[]::new);
    Thread thread = new Thread(() -> DockerPulls.execute(cl, args));
    thread.start();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    try {
      String metrics = "";
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline
          && !metrics.contains("dockerpulls_elasticsearch_last_delivery_timestamp_seconds ")) {
        Thread.sleep(100);
        try {
          metrics =
              http.send(
                      java.net.http.HttpRequest.newBuilder(
                              java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                          .build(),
                      java.net.http.HttpResponse.BodyHandlers.ofString())
                  .body();
        } catch (java.io.IOException notYet) {
          // not listening yet
        }
      }
      assertThat(metrics)
          .as(err.toString())
          .contains("dockerpulls_elasticsearch_spool_snapshots 0.0\n")
          .contains("dockerpulls_elasticsearch_spool_bytes 0.0\n")
          .contains("dockerpulls_elasticsearch_dropped_snapshots_total 0.0\n")
          .contains("dockerpulls_elasticsearch_last_delivery_timestamp_seconds ")
          .doesNotContain("dockerpulls_elasticsearch_spool_oldest_timestamp_seconds");
      String page =
          http.send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + port + "/"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(page)
          .contains("Elasticsearch: last delivery ")
          .contains("waiting in the spool: 0 snapshots");
    } finally {
      serve.stop.countDown();
      thread.join(20_000);
    }
  }

  /** {@code serve} in a JVM of its own, as a replica would run, logging to {@code log}. */
  private Process replica(String name, Path log) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                DockerPulls.class.getName(),
                "serve",
                "--hub-url",
                fake.url(),
                "--org",
                "camunda",
                "--no-http",
                "--no-history",
                "--interval",
                "2s"));
    command.addAll(elasticsearchOptions());
    command.addAll(List.of("--spool-dir", dir.resolve("spool-" + name).toString()));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  @Test
  void twoReplicasWritingOneElasticsearchWriteEachRepositoryOncePerPeriod() throws Exception {
    Path logA = dir.resolve("a.log");
    Path logB = dir.resolve("b.log");
    Process a = replica("a", logA);
    Process b = null;
    try {
      Thread.sleep(1_300);
      b = replica("b", logB);
      long deadline = System.nanoTime() + 90_000_000_000L;
      while (System.nanoTime() < deadline
          && (deliveries(logA) < 4
              || deliveries(logB) < 4
              || !Files.readString(logB).contains("already there")
                  && !Files.readString(logA).contains("already there"))) {
        Thread.sleep(200);
      }
    } finally {
      a.destroy();
      if (b != null) {
        b.destroy();
      }
      a.waitFor(20, TimeUnit.SECONDS);
      if (b != null) {
        b.waitFor(20, TimeUnit.SECONDS);
      }
    }
    String both = Files.readString(logA) + Files.readString(logB);
    assertThat(deliveries(logA)).as(both).isGreaterThanOrEqualTo(4);
    assertThat(deliveries(logB)).as(both).isGreaterThanOrEqualTo(4);
    assertThat(both).contains("already there");

    JsonNode perTime =
        search(
                "{\"size\":0,\"track_total_hits\":true,\"aggs\":{\"t\":{\"terms\":"
                    + "{\"field\":\"@timestamp\",\"size\":1000}}}}")
            .at("");
    long total = perTime.at("/hits/total/value").asLong();
    JsonNode buckets = perTime.at("/aggregations/t/buckets");
    // Every period holds each of the two repositories once, whichever replica wrote it.
    assertThat(buckets.size()).isGreaterThanOrEqualTo(4);
    for (JsonNode bucket : buckets) {
      assertThat(bucket.get("doc_count").asLong()).as(bucket.toString()).isEqualTo(2);
      assertThat(bucket.get("key").asLong() % 2_000).isZero();
    }
    assertThat(total).isEqualTo(2L * buckets.size());
  }

  /** How many deliveries a replica has logged. */
  private static long deliveries(Path log) throws IOException {
    return Files.readString(log).lines().filter(l -> l.contains("elasticsearch: wrote ")).count();
  }

  /** export --org camunda --to elasticsearch --es-url http://x, then {@code more}. */
  private static List<String> toElasticsearch(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("export", "--org", "camunda", "--to", "elasticsearch", "--es-url", "http://x"));
    args.addAll(List.of(more));
    return args;
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of(
            List.of("export", "--org", "camunda", "--to", "elasticsearch"),
            "--to elasticsearch needs --es-url"),
        Arguments.of(
            List.of("export", "--org", "camunda", "--to", "kafka"),
            "Invalid value for option '--to'"),
        Arguments.of(
            List.of("export", "--org", "camunda", "--to", "elasticsearch", "--es-url", "ftp://x"),
            "'ftp://x' is not an http(s) URL"),
        Arguments.of(
            List.of(
                "export",
                "--org",
                "camunda",
                "--to",
                "elasticsearch",
                "--es-url",
                "https://u:p@x:9200"),
            "put no credentials in the Elasticsearch URL"),
        Arguments.of(
            toElasticsearch("--es-username", "elastic"), "--es-username elastic needs a password"),
        Arguments.of(
            toElasticsearch("--es-ca-fingerprint", "abc"), "the CA fingerprint must be a SHA-256"),
        Arguments.of(
            toElasticsearch("--es-index-prefix", "Docker"),
            "'Docker' is not a usable index prefix"),
        Arguments.of(
            toElasticsearch("--es-ca-cert", "/nonexistent.pem"),
            "--es-ca-cert: cannot read /nonexistent.pem"),
        Arguments.of(
            toElasticsearch("--es-api-key-file", "/nonexistent"),
            "--es-api-key-file: the file does not exist (give the path of a file that holds the"
                + " secret, not the secret itself)"),
        Arguments.of(
            toElasticsearch("--spool-dir", "/proc/version"),
            "--spool-dir: /proc/version is a file, not a directory"),
        Arguments.of(
            toElasticsearch("--spool-dir", "/proc/version/spool"),
            "--spool-dir: /proc/version is a file, not a directory, so /proc/version/spool cannot"
                + " be made"),
        Arguments.of(
            toElasticsearch("--spool-max-size", "lots"),
            "'lots' is not a size (write it like 512MiB, 2GiB or 64KiB)"),
        Arguments.of(toElasticsearch("--spool-max-age", "0s"), "'0s' is not a positive duration"),
        Arguments.of(
            List.of("export", "--org", "camunda", "--es-url", "http://x:9200"),
            "--es-url is for Elasticsearch: add --to elasticsearch"),
        Arguments.of(
            List.of("export", "--org", "camunda", "--es-index-prefix", "pulls"),
            "--es-index-prefix is for Elasticsearch: add --to elasticsearch"),
        Arguments.of(
            List.of("serve", "--org", "camunda", "--no-http"), "--no-http needs --es-url"));
  }

  @ParameterizedTest
  @MethodSource
  void badInput(List<String> args, String message) {
    List<String> all = new ArrayList<>(args);
    all.addAll(1, List.of("--hub-url", fake.url()));
    CliRun.assertBadInput(fake, Clock.systemUTC(), all, message);
  }
}
