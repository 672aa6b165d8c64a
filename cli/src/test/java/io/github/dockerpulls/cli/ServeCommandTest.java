package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import io.github.dockerpulls.hub.testing.TestTls;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class ServeCommandTest {
  private final FakeHub fake = new FakeHub();
  private final HttpClient http = HttpClient.newHttpClient();
  private final StringWriter err = new StringWriter();
  private ServeCommand serve;
  private Thread thread;
  private final AtomicInteger exitCode = new AtomicInteger(-1);
  private int port;

  @AfterEach
  void stop() throws InterruptedException {
    if (serve != null) {
      serve.stop.countDown();
      thread.join(10_000);
    }
    fake.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts serve in the background and waits until it listens. */
  private void start(Map<String, String> env, String... args) throws Exception {
    start(Clock.systemUTC(), env, args);
  }

  private void start(Clock clock, Map<String, String> env, String... args) throws Exception {
    port = freePort();
    CommandLine cl = CliRun.commandLine(clock, env);
    cl.setErr(new PrintWriter(err, true));
    serve = cl.getSubcommands().get("serve").getCommand();
    serve.clock = clock;
    String[] all =
        Stream.concat(
                Stream.of(
                    "serve",
                    "--hub-url",
                    fake.url(),
                    "--port",
                    Integer.toString(port),
                    "--listen-address",
                    "127.0.0.1"),
                Stream.of(args))
            .toArray(String[]::new);
    thread = new Thread(() -> exitCode.set(DockerPulls.execute(cl, all)));
    thread.start();
    assertThat(serve.listening.await(10, TimeUnit.SECONDS)).as(err.toString()).isTrue();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void awaitReady() throws Exception {
    for (int i = 0; i < 100 && get("/-/ready").statusCode() != 200; i++) {
      Thread.sleep(50);
    }
    assertThat(get("/-/ready").statusCode()).as(err.toString()).isEqualTo(200);
  }

  private void camunda() {
    fake.organizationItems(
        "camunda",
        List.of(
            FakeHub.listItem(
                "camunda", "camunda-bpm-platform", 123_456_789L, 450, "2026-11-20T08:15:00Z"),
            FakeHub.listItem("camunda", "zeebe", 9_876_543L, 120, "2026-11-21T17:45:30Z")));
  }

  /** The Flask exporter's acceptance check: TYPE line, and values read with awk's %d. */
  @Test
  void theHistoryApiAnswersWhatReportPrints(@TempDir Path data) throws Exception {
    FakeClock fixed = new FakeClock(Instant.parse("2026-11-20T00:00:00Z"));
    Map<String, String> env = Map.of("DOCKERPULLS_DATA_DIR", data.toString());
    for (int i = 0; i <= 12; i++) {
      fake.repository(
          "library",
          "httpd",
          FakeHub.repositoryJson(
              "library", "httpd", 5_000L + 1000L * i, 3318, 0, "2021-01-12T13:42:29Z"));
      CliRun export =
          CliRun.run(fixed, env, "export", "--hub-url", fake.url(), "--repo", "library/httpd");
      assertThat(export.exitCode).as(export.toString()).isZero();
      if (i < 12) {
        fixed.advance(java.time.Duration.ofHours(6));
      }
    }
    start(fixed, env, "--repo", "library/httpd");
    awaitReady();
    HttpResponse<String> api = get("/api/v1/history?repo=library/httpd&since=3d&by=day");
    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.headers().firstValue("Content-Type")).contains("application/json");
    CliRun report =
        CliRun.run(fixed, env, "report", "--repo", "library/httpd", "--since", "3d", "-f", "json");
    var json = new com.squareup.moshi.Moshi.Builder().build().adapter(Object.class);
    Object served = json.fromJson(api.body());
    assertThat(served).isEqualTo(json.fromJson(report.out));
    assertThat(api.body()).contains("\"pulls\":12000,");
    // Without repo or org: the exporter's own targets.
    assertThat(get("/api/v1/history?since=3d").body()).isEqualTo(api.body());

    HttpResponse<String> bad = get("/api/v1/history?since=someday");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).startsWith("{\"error\":\"'someday' is not a time in the past");
    assertThat(get("/api/v1/history?repo=a/b/c").statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/historyX").statusCode()).isEqualTo(404);
    // Questions beyond the ceilings are refused at once, before anything is read.
    for (String since : new String[] {"0001-01-01", "-999999999-01-01T00:00:00Z"}) {
      long started = System.nanoTime();
      HttpResponse<String> old = get("/api/v1/history?since=" + since);
      assertThat(old.statusCode()).isEqualTo(400);
      assertThat(old.body()).contains("is before 2013, when Docker Hub began");
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
          .isLessThan(java.time.Duration.ofSeconds(1));
    }
    HttpResponse<String> long_ = get("/api/v1/history?since=2013-01-01&by=day");
    assertThat(long_.statusCode()).isEqualTo(200); // 5,071 days of one repository
    assertThat(get("/api/v1/history?since=2013-01-01&by=day&series=total").statusCode())
        .isEqualTo(200);
  }

  @Test
  void theFlaskExportersAcceptanceCheckPassesWithItsEnvironmentVariable() throws Exception {
    camunda();
    start(Map.of("DOCKERHUB_ORGANIZATION", "camunda"));
    awaitReady();
    String metrics = get("/metrics").body();
    assertThat(metrics).contains("# TYPE docker_image_pulls gauge\n");
    String line =
        metrics
            .lines()
            .filter(
                l ->
                    l.startsWith(
                        "docker_image_pulls{organization=\"camunda\",image=\"camunda-bpm-platform\"}"))
            .findFirst()
            .orElseThrow();
    assertThat((long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .isGreaterThanOrEqualTo(50_000_000L);
    assertThat(hubFigures(get("/metrics/").body())).isEqualTo(hubFigures(metrics));
    assertThat(get("/").body()).contains("123,456,789");
  }

  @Test
  void severalOrganizationsComeCommaSeparatedFromTheEnvironment() throws Exception {
    camunda();
    fake.organization("bitnami", 2);
    start(
        Map.of(
            "DOCKERHUB_ORGANIZATION",
            "camunda, bitnami",
            "DOCKERHUB_REPOSITORIES",
            "library/httpd"));
    awaitReady();
    String metrics = get("/metrics").body();
    assertThat(metrics)
        .contains("dockerhub_target_up{target=\"camunda\"} 1.0")
        .contains("dockerhub_target_up{target=\"bitnami\"} 1.0")
        .contains("dockerhub_target_up{target=\"library/httpd\"} 0.0");
  }

  @Test
  void optionsComeFromAConfigFileAndTheCommandLineWins(@TempDir Path dir) throws Exception {
    camunda();
    Path config = dir.resolve("dockerpulls.conf");
    Files.writeString(
        config,
        "# the exporter's settings\n--org camunda\n--interval 1h\n--no-legacy-metric\n--log-format text\n");
    start(Map.of(), "--config", config.toString(), "--log-format", "json");
    awaitReady();
    assertThat(get("/metrics").body())
        .doesNotContain("docker_image_pulls")
        .contains("dockerhub_repository_pulls_total");
    assertThat(err.toString().lines().findFirst().orElseThrow())
        .startsWith("{\"time\":\"")
        .contains(
            "\"msg\":\"listening on http://127.0.0.1:"
                + port
                + "/metrics, refreshing camunda every 1h\"");
  }

  @Test
  void aFailingRefreshKeepsServingAndARecoveryTurnsTheTargetUp() throws Exception {
    camunda();
    AtomicInteger listings = new AtomicInteger();
    fake.hook(
        r ->
            r.getUrl().encodedPath().startsWith("/v2/namespaces/camunda")
                    && listings.incrementAndGet() == 2
                ? FakeHub.jsonResponse(404, "{\"message\":\"object not found\",\"errinfo\":{}}")
                : null);
    fake.organizationItems(
        "camunda", List.of(FakeHub.listItem("camunda", "zeebe", 100, 1, "2026-11-21T17:45:30Z")));
    start(Map.of(), "--org", "camunda", "--interval", "1s");
    awaitReady();
    // Refresh 2 fails (404 for page 1), refresh 3 succeeds again.
    awaitMetric("dockerhub_target_up{target=\"camunda\"} 0.0");
    assertThat(get("/metrics").body())
        .contains("docker_image_pulls{organization=\"camunda\",image=\"zeebe\"} 100");
    assertThat(get("/metrics").statusCode()).isEqualTo(200);
    awaitMetric("dockerhub_target_up{target=\"camunda\"} 1.0");
    assertThat(err.toString())
        .contains("WARN camunda: Docker Hub does not know the namespace 'camunda'");
  }

  @Test
  void aRateLimitedRefreshWaitsAsLongAsTheHubAsked() throws Exception {
    fake.enqueue(
        new MockResponse.Builder()
            .code(429)
            .addHeader("Content-Type", "application/json")
            .addHeader("Retry-After", "3600")
            .body("{\"detail\":\"Rate limit exceeded\",\"error\":false}")
            .build());
    start(Map.of(), "--org", "camunda", "--interval", "1s");
    awaitMetric("dockerhub_target_up{target=\"camunda\"} 0.0");
    Thread.sleep(2500);
    assertThat(fake.requests()).hasSize(1);
    assertThat(get("/metrics").body()).contains("dockerhub_api_requests_total{code=\"429\"} 1.0");
    assertThat(get("/-/ready").statusCode()).isEqualTo(503);
  }

  @Test
  void aTargetTheHubHoldsBackForADayStallsNoOtherAndSaysSoOnce() throws Exception {
    camunda();
    fake.repository(
        "library",
        "httpd",
        FakeHub.repositoryJson("library", "httpd", 2242267726L, 3318, 0, "2021-01-12T13:42:29Z"));
    fake.hook(
        r ->
            r.getUrl().encodedPath().startsWith("/v2/namespaces/camunda/")
                ? new MockResponse.Builder()
                    .code(429)
                    .addHeader("Content-Type", "application/json")
                    .addHeader("Retry-After", "86400")
                    .body("{\"detail\":\"Rate limit exceeded\",\"error\":false}")
                    .build()
                : null);
    start(Map.of(), "--org", "camunda", "--repo", "library/httpd", "--interval", "1s");
    awaitReady();
    awaitMetric("dockerhub_target_rate_limited{target=\"camunda\"} 1.0");
    assertThat(get("/metrics").body())
        .contains("dockerhub_target_up{target=\"library/httpd\"} 1.0")
        .contains("dockerhub_target_rate_limited{target=\"library/httpd\"} 0.0")
        .contains("docker_image_pulls{organization=\"library\",image=\"httpd\"} 2242267726");
    assertThat(get("/").body()).contains("rate limited until ");
    Thread.sleep(2500);
    // httpd refreshes every second; camunda is not asked again before tomorrow.
    assertThat(fake.requestsTo("/v2/namespaces/camunda/")).hasSize(1);
    assertThat(fake.requestsTo("/v2/namespaces/library/repositories/httpd").size())
        .isGreaterThanOrEqualTo(3);
    String log = err.toString();
    assertThat(log.lines().filter(l -> l.contains("rate limited")))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .contains(" WARN target 'camunda' is rate limited by Docker Hub")
                    .containsPattern("asked again after \\d{4}-\\d\\d-\\d\\dT"));
  }

  @Test
  void withJsonLogsEveryLineOnStderrIsOneJsonObject(@TempDir Path dir) throws Exception {
    camunda();
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    start(
        Map.of(),
        "--org",
        "camunda",
        "--repo",
        "library/gone",
        "--interval",
        "1s",
        "--log-format",
        "json",
        "--es-url",
        "http://127.0.0.1:" + closed,
        "--spool-dir",
        dir.resolve("spool").toString());
    for (int i = 0; i < 200 && !err.toString().contains("cannot write to Elasticsearch"); i++) {
      Thread.sleep(50);
    }
    serve.stop.countDown();
    thread.join(20_000);
    String log = err.toString();
    assertThat(log)
        .contains("library/gone")
        .contains("cannot write to Elasticsearch")
        .contains("\"msg\":\"stopping\"");
    com.squareup.moshi.JsonAdapter<Object> json =
        new com.squareup.moshi.Moshi.Builder().build().adapter(Object.class);
    for (String line : log.split("\n")) {
      Object parsed = json.fromJson(line);
      assertThat(parsed).as(line).isInstanceOf(Map.class);
      assertThat(new java.util.ArrayList<Object>(((Map<?, ?>) parsed).keySet()))
          .as(line)
          .contains("time", "level", "msg");
    }
  }

  @Test
  void theExporterServesItsBuildInfoAndProcessMetricsInEveryFormat() throws Exception {
    camunda();
    start(Map.of(), "--org", "camunda", "--interval", "1h", "--jvm-metrics");
    awaitReady();
    String text = get("/metrics").body();
    assertThat(text)
        .contains("docker_image_pulls{organization=\"camunda\",image=\"zeebe\"} 9876543")
        .containsPattern("dockerpulls_build_info\\{[^}]*version=\"[^\"]+\"[^}]*\\} 1")
        .contains("process_cpu_seconds_total ")
        .contains("process_resident_memory_bytes ")
        .contains("process_start_time_seconds ")
        .contains("jvm_memory_used_bytes");
    HttpResponse<String> open =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(open.body())
        .contains("process_cpu_seconds_total ")
        .contains("dockerhub_repository_pulls_total")
        .endsWith("# EOF\n");
    assertThat(open.body().split("# EOF", -1)).hasSize(2);
    HttpResponse<byte[]> zipped =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .header("Accept-Encoding", "gzip")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    String unzipped;
    try (java.util.zip.GZIPInputStream in =
        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))) {
      unzipped = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(unzipped).contains("docker_image_pulls{").contains("process_cpu_seconds_total ");
  }

  @Test
  void stoppingEndsWithExitZero() throws Exception {
    camunda();
    start(Map.of(), "--org", "camunda");
    serve.stop.countDown();
    thread.join(10_000);
    assertThat(exitCode.get()).isZero();
    assertThat(err.toString()).contains("INFO stopping");
    serve = null;
  }

  @Test
  void aPortInUseIsOneLineAndExitOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      CliRun run =
          CliRun.run(
              Clock.systemUTC(),
              Map.of(),
              "serve",
              "--hub-url",
              fake.url(),
              "--org",
              "camunda",
              "--port",
              Integer.toString(taken.getLocalPort()));
      assertThat(run.exitCode).isEqualTo(ExitCode.FAILED);
      assertThat(run.err.lines()).hasSize(1);
      assertThat(run.err)
          .startsWith("dockerpulls: cannot listen on 0.0.0.0:" + taken.getLocalPort());
    }
  }

  @Test
  void exportsPrometheusFormatIsExactlyWhatServeExposes() throws Exception {
    camunda();
    fake.repository(
        "library",
        "httpd",
        FakeHub.repositoryJson(
            "library", "httpd", 2_242_267_726L, 3318, 0, "2021-01-12T13:42:29Z"));
    FakeClock clock = new FakeClock(Instant.parse("2026-11-22T10:00:00Z"));
    CliRun export =
        CliRun.run(
            clock,
            Map.of(),
            "export",
            "--hub-url",
            fake.url(),
            "--org",
            "camunda",
            "--repo",
            "library/httpd",
            "--format",
            "prometheus");
    assertThat(export.exitCode).as(export.toString()).isZero();

    start(clock, Map.of(), "--org", "camunda", "--repo", "library/httpd");
    awaitReady();
    String served = get("/metrics").body();
    // serve adds what it says about itself after the Hub's figures: build info, process metrics,
    // the failures it survived.
    assertThat(export.out).contains("dockerhub_repository_pulls_total{");
    assertThat(served).startsWith(export.out);
    assertThat(ownMetrics(served.substring(export.out.length())))
        .allMatch(
            name ->
                name.startsWith("process_")
                    || name.equals("dockerpulls_build_info")
                    || name.equals("dockerpulls_internal_errors_total"),
            "own");
  }

  /** The family names of an exposition. */
  private static List<String> ownMetrics(String text) {
    return text.lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2]).toList();
  }

  /** An exposition without the exporter's metrics about itself, which change with every scrape. */
  private static String hubFigures(String text) {
    return text.lines()
        .filter(l -> !l.contains("process_") && !l.contains("dockerpulls_build_info"))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  static Stream<Arguments> badInput() {
    Path web;
    try {
      web = Files.createTempFile("web", ".yml");
      Files.writeString(web, "basic_auth_users:\n  alice: plain-secret\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Stream.of(
        Arguments.of(
            List.of(
                "serve",
                "--org",
                "camunda",
                "--web.config.file",
                web.toString(),
                "--tls-cert-file",
                "c.pem",
                "--tls-key-file",
                "k.pem"),
            "--web.config.file replaces --tls-cert-file, --tls-key-file, --web-auth-user"),
        Arguments.of(
            List.of("serve", "--org", "camunda", "--web.config.file", web.toString()),
            "basic_auth_users: the password of alice is not a bcrypt hash"),
        Arguments.of(
            List.of("serve", "--org", "camunda", "--web.config.file", "/nonexistent/web.yml"),
            "--web.config.file: the file does not exist"),
        Arguments.of(
            List.of("serve", "--org", "camunda", "--port", "0"), "--port: 0 is not a port"),
        Arguments.of(
            List.of("serve", "--org", "camunda", "--port", "65536"), "--port: 65536 is not a port"),
        Arguments.of(
            List.of("serve", "--org", "camunda", "--port", "http"),
            "Invalid value for option '--port'"),
        Arguments.of(
            List.of("serve", "--org", "camunda", "--interval", "0"), "'0' is not a duration"),
        Arguments.of(
            List.of("serve", "--org", "camunda", "--interval", "0s"), "not a positive duration"),
        Arguments.of(
            List.of("serve", "--org", "camunda", "--interval", "soon"), "'soon' is not a duration"),
        Arguments.of(
            List.of("serve", "--org", "camunda", "--log-format", "xml"),
            "Invalid value for option '--log-format'"),
        Arguments.of(List.of("serve", "--org", "Camunda"), "upper case"),
        Arguments.of(List.of("serve"), "nothing to read"),
        Arguments.of(
            List.of("serve", "--org", "camunda", "--config", "/nonexistent.conf"),
            "--config: /nonexistent.conf: the file does not exist"),
        Arguments.of(
            List.of("serve", "--org", "camunda", "--web-auth-user", "prometheus"),
            "--web-auth-user and --web-auth-password-file go together"),
        Arguments.of(
            List.of(
                "serve",
                "--org",
                "camunda",
                "--web-auth-user",
                "prometheus",
                "--web-auth-password-file",
                "/nonexistent"),
            "--web-auth-password-file: the file does not exist"),
        Arguments.of(
            List.of("serve", "--org", "camunda", "--tls-key-file", "/k.pem"),
            "--tls-cert-file and --tls-key-file go together"),
        Arguments.of(
            List.of(
                "serve", "--org", "camunda", "--tls-cert-file", "/c.pem", "--tls-key-file", "/k"),
            "--tls: cannot read /c.pem (NoSuchFileException)"),
        Arguments.of(
            List.of("serve", "--org", "camunda", "--pull-limit", "--registry-url", "registry"),
            "--registry-url: "),
        Arguments.of(
            List.of("serve", "--org", "camunda", "--token-file", "/nonexistent/token"),
            "--token-file: the file does not exist"),
        Arguments.of(
            List.of("serve", "--org", "camunda", "--hub-url", "hub.docker.com"), "--hub-url: "));
  }

  @Test
  void servesHttpsBehindBasicAuthFromFiles(@TempDir Path dir) throws Exception {
    camunda();
    Path cert = copy("/tls/rsa-cert.pem", dir);
    Path key = copy("/tls/rsa-key.pem", dir);
    Path password = Files.writeString(dir.resolve("password"), "scrape-me\n");
    start(
        Map.of(),
        "--org",
        "camunda",
        "--tls-cert-file",
        cert.toString(),
        "--tls-key-file",
        key.toString(),
        "--web-auth-user",
        "prometheus",
        "--web-auth-password-file",
        password.toString());
    assertThat(err.toString()).contains("listening on https://127.0.0.1:" + port + "/metrics");

    HttpClient https = HttpClient.newBuilder().sslContext(TestTls.trusting(cert)).build();
    URI metrics = URI.create("https://localhost:" + port + "/metrics");
    String basic =
        java.util.Base64.getEncoder()
            .encodeToString(
                "prometheus:scrape-me".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(
            https
                .send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(401);
    for (int i = 0; i < 200; i++) {
      HttpResponse<String> r =
          https.send(
              HttpRequest.newBuilder(metrics).header("Authorization", "Basic " + basic).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      if (r.body().contains("docker_image_pulls{organization=\"camunda\"")) {
        break;
      }
      Thread.sleep(50);
    }
    assertThat(err.toString()).doesNotContain("scrape-me");
  }

  private Path copy(String resource, Path dir) throws IOException {
    Path target = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
    try (var in = getClass().getResourceAsStream(resource)) {
      Files.copy(in, target);
    }
    return target;
  }

  @ParameterizedTest
  @MethodSource
  void badInput(List<String> args, String message) {
    CliRun.assertBadInput(fake, Clock.systemUTC(), args, message);
  }

  private void awaitMetric(String line) throws Exception {
    for (int i = 0; i < 200; i++) {
      if (get("/metrics").body().contains(line)) {
        return;
      }
      Thread.sleep(50);
    }
    assertThat(get("/metrics").body()).as(err.toString()).contains(line);
  }
}
