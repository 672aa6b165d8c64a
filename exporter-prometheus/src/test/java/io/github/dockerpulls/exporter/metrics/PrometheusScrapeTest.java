package io.github.dockerpulls.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.exporter.ExporterServer;
import io.github.dockerpulls.exporter.testing.Snapshots;
import io.github.dockerpulls.hub.DockerHub;
import io.github.dockerpulls.hub.Poller;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.testing.FakeHub;
import io.github.dockerpulls.hub.testing.RealServers;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's package) scrapes the exporter, which is fed by a fake Docker
 * Hub through the poller, and answers PromQL queries with the Hub's figures. promtool lints what
 * the exporter serves.
 */
class PrometheusScrapeTest {
  @TempDir Path dir;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void promtoolFindsNothingToCriticizeInTheOutput() throws Exception {
    Path promtool = RealServers.require("promtool");
    PrometheusRegistry registry = new PrometheusRegistry();
    HubRequestMetrics requests = new HubRequestMetrics();
    requests.onRequest(new io.github.dockerpulls.hub.RequestEvent("x", 200, Duration.ZERO, 1));
    requests.onRequest(new io.github.dockerpulls.hub.RequestEvent("x", 0, Duration.ZERO, 1));
    SnapshotCollector collector = new SnapshotCollector(true, requests);
    registry.register(collector);
    collector.onSnapshot(Snapshots.goldenSnapshot());
    TagCollector tags = new TagCollector();
    registry.register(tags);
    tags.refreshed(
        java.util.Map.of(
            "camunda/zeebe",
            new io.github.dockerpulls.hub.TagsJson.Repository(
                "camunda", "zeebe", List.of(TagCollectorTest.tag("8.7.0", 100, 200L)))),
        List.of("camunda/operate"),
        List.of("camunda/zeebe", "camunda/operate"),
        java.time.Instant.parse("2026-12-04T00:00:00Z"));
    Path metrics = dir.resolve("metrics.txt");
    // What a scrape gives: the refresh's families, then the registry's others (the tags here).
    try (ExporterServer server =
        ExporterServer.builder()
            .host("127.0.0.1")
            .port(0)
            .collector(collector)
            .registry(registry)
            .start()) {
      String text =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(text).contains("dockerhub_tag_last_pulled_timestamp_seconds{");
      Files.writeString(metrics, text);
    }
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectInput(metrics.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).isEmpty();
  }

  @Test
  void prometheusScrapesTheExporterAndAnswersQueries() throws Exception {
    Path prometheus = RealServers.require("prometheus");
    try (FakeHub hub = new FakeHub()) {
      hub.organizationItems(
          "camunda",
          List.of(
              FakeHub.listItem(
                  "camunda", "camunda-bpm-platform", 123_456_789L, 450, "2026-11-20T08:15:00Z"),
              FakeHub.listItem("camunda", "zeebe", 9_876_543L, 120, "2026-11-21T17:45:30Z")));
      PrometheusRegistry registry = new PrometheusRegistry();
      HubRequestMetrics requests = new HubRequestMetrics();
      SnapshotCollector collector = new SnapshotCollector(true, requests);
      registry.register(collector);
      try (DockerHub client = DockerHub.builder().baseUrl(hub.url()).listener(requests).build();
          Poller poller =
              Poller.builder()
                  .hub(client)
                  .target(Target.parse("camunda"))
                  .interval(Duration.ofMinutes(5))
                  .listener(collector)
                  .build();
          ExporterServer server =
              ExporterServer.builder()
                  .host("127.0.0.1")
                  .port(0)
                  .collector(collector)
                  .registry(registry)
                  .start()) {
        poller.start();
        int promPort = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(
            config,
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                + "scrape_configs:\n  - job_name: dockerpulls\n    static_configs:\n"
                + "      - targets: ['127.0.0.1:"
                + server.port()
                + "']\n");
        Process prom =
            new ProcessBuilder(
                    prometheus.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + promPort,
                    "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        try {
          String pulls =
              awaitValue(
                  promPort,
                  "docker_image_pulls{organization=\"camunda\",image=\"camunda-bpm-platform\"}");
          assertThat(Double.parseDouble(pulls)).isEqualTo(123_456_789d);
          assertThat(
                  Double.parseDouble(
                      awaitValue(
                          promPort,
                          "dockerhub_repository_pulls_total{organization=\"camunda\",repository=\"zeebe\"}")))
              .isEqualTo(9_876_543d);
          assertThat(awaitValue(promPort, "dockerhub_target_up{target=\"camunda\"}"))
              .isEqualTo("1");
          assertThat(awaitValue(promPort, "up{job=\"dockerpulls\"}")).isEqualTo("1");
          assertThat(awaitValue(promPort, "dockerhub_api_requests_total{code=\"200\"}"))
              .isEqualTo("1");
          // Scrapes never reach the Hub: one listing request, however many scrapes happened.
          assertThat(hub.requestsTo("/v2/namespaces/")).hasSize(1);
        } finally {
          prom.destroy();
          if (!prom.waitFor(10, TimeUnit.SECONDS)) {
            prom.destroyForcibly();
          }
        }
      }
    }
  }

  /** Queries Prometheus until the expression has a value (30 s at most) and returns it. */
  private static String awaitValue(int port, String expr) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + port
                + "/api/v1/query?query="
                + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    Pattern value = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        last =
            http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = value.matcher(last);
        if (m.find()) {
          return m.group(1);
        }
      } catch (IOException notUpYet) {
        last = notUpYet.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Prometheus never had a value for " + expr + "; last answer: " + last);
  }
}
