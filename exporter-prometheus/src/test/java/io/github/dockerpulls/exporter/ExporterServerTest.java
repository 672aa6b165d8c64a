package io.github.dockerpulls.exporter;

import static io.github.dockerpulls.exporter.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.exporter.metrics.SnapshotCollector;
import io.github.dockerpulls.exporter.testing.Snapshots;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExporterServerTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final SnapshotCollector collector = new SnapshotCollector(true, null);
  private final ExporterServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  ExporterServerTest() throws IOException {
    registry.register(collector);
    server =
        ExporterServer.builder()
            .host("127.0.0.1")
            .port(0)
            .collector(collector)
            .registry(registry)
            .version("9.9.9")
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void metricsAndMetricsWithASlashServeTheTextFormat() throws Exception {
    collector.onSnapshot(Snapshots.goldenSnapshot());
    for (String path : new String[] {"/metrics", "/metrics/"}) {
      HttpResponse<byte[]> r = get(path);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(body(r)).isEqualTo(Snapshots.golden("metrics.txt"));
    }
  }

  @Test
  void gzipIsServedWhenAsked() throws Exception {
    collector.onSnapshot(Snapshots.goldenSnapshot());
    HttpResponse<byte[]> r = get("/metrics", "Accept-Encoding", "gzip");
    assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo(Snapshots.golden("metrics.txt"));
    }
  }

  @Test
  void openMetricsIsServedToClientsThatAskForIt() throws Exception {
    collector.onSnapshot(Snapshots.goldenSnapshot());
    HttpResponse<byte[]> r =
        get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/openmetrics-text");
    assertThat(body(r))
        .contains("docker_image_pulls{image=\"zeebe\",organization=\"camunda\"} 9876543.0")
        .contains("# TYPE dockerhub_repository_pulls counter")
        .endsWith("# EOF\n");
  }

  @Test
  void nameFiltersSelectFamilies() throws Exception {
    collector.onSnapshot(Snapshots.goldenSnapshot());
    String text = body(get("/metrics?name[]=dockerhub_target_up"));
    assertThat(text)
        .contains("dockerhub_target_up{target=\"camunda\"} 1.0")
        .doesNotContain("docker_image_pulls");
  }

  @Test
  void healthyAnswersAtOnceAndReadyOnlyAfterAGoodRefresh() throws Exception {
    assertThat(get("/-/healthy").statusCode()).isEqualTo(200);
    HttpResponse<byte[]> notReady = get("/-/ready");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(body(notReady)).startsWith("not ready");
    collector.onSnapshot(
        Snapshots.of(T0, Snapshots.ok("camunda", Snapshots.repo("camunda", "zeebe", 1, 0L, null))));
    assertThat(get("/-/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void theLandingPageListsRepositoriesTargetsAndTheRateLimit() throws Exception {
    collector.onSnapshot(Snapshots.goldenSnapshot());
    HttpResponse<byte[]> r = get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    String html = body(r);
    assertThat(html)
        .contains(
            "<td>camunda-bpm-platform</td><td class=\"n\">123,456,789</td><td class=\"n\">450</td>"
                + "<td>2026-11-20 08:15:00 UTC</td>")
        .contains("<td>library/gone</td><td class=\"down\">down</td>")
        .contains("Docker Hub does not know library/gone")
        .contains("Docker Hub API requests left: 129 of 180")
        .contains("registry pulls left: 76 of 100")
        .contains("dockerpulls 9.9.9")
        .doesNotContain("http://", "https://");
    // The figures are in the page for browsers without JavaScript; the app and the chart
    // library come from the exporter itself.
    assertThat(html)
        .contains("<noscript>")
        .contains("<script src=\"assets/uplot.js\" defer></script>")
        .contains("<script src=\"assets/app.js\" defer></script>");
    for (String asset : List.of("uplot.js", "uplot.css", "app.js", "app.css")) {
      HttpResponse<byte[]> a = get("/assets/" + asset);
      assertThat(a.statusCode()).as(asset).isEqualTo(200);
      assertThat(a.headers().firstValue("Cache-Control")).hasValue("public, max-age=86400");
    }
    assertThat(get("/assets/nothing.js").statusCode()).isEqualTo(404);
  }

  @Test
  void theStatusApiHasEveryFigureThePageShows() throws Exception {
    collector.onSnapshot(Snapshots.goldenSnapshot());
    HttpResponse<byte[]> r = get("/api/v1/status");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    String json = body(r);
    assertThat(json)
        .startsWith("{\"version\":\"9.9.9\",\"ready\":true,")
        .contains("\"rate_limit\":{\"limit\":180,\"remaining\":129,")
        .contains("\"pull_limit\":{\"unlimited\":false,\"limit\":100,\"remaining\":76,")
        .contains(
            "{\"namespace\":\"camunda\",\"name\":\"camunda-bpm-platform\",\"pull_count\":123456789,"
                + "\"star_count\":450,\"last_updated\":\"2026-11-20T08:15:00Z\"}")
        .contains("{\"target\":\"library/gone\",\"up\":false,")
        .contains("\"elasticsearch\":null");
  }

  @Test
  void aRepositoryPageIsServedForTrackedRepositoriesOnly() throws Exception {
    collector.onSnapshot(Snapshots.goldenSnapshot());
    HttpResponse<byte[]> page = get("/r/camunda/zeebe");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(body(page))
        .contains("data-repo=\"camunda/zeebe\"")
        .contains("<script src=\"../../assets/app.js\" defer></script>");
    assertThat(get("/r/camunda/nothing").statusCode()).isEqualTo(404);
    assertThat(body(get("/r/camunda/nothing"))).contains("camunda/nothing is not tracked");
    assertThat(get("/r/Not%20A/name").statusCode()).isEqualTo(404);
    assertThat(get("/r/").statusCode()).isEqualTo(404);
  }

  @Test
  void badgesShowTheFiguresAndANotTrackedBadgeOtherwise() throws Exception {
    collector.onSnapshot(Snapshots.goldenSnapshot());
    HttpResponse<byte[]> svg = get("/badge/camunda/camunda-bpm-platform.svg");
    assertThat(svg.statusCode()).isEqualTo(200);
    assertThat(svg.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
    assertThat(svg.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
    assertThat(body(svg)).startsWith("<svg ").contains(">docker pulls<").contains(">123M<");
    assertThat(body(get("/badge/camunda/camunda-bpm-platform.json?metric=stars")))
        .isEqualTo(
            "{\"schemaVersion\":1,\"label\":\"stars\",\"message\":\"450\",\"color\":\"blue\"}");
    HttpResponse<byte[]> unknown = get("/badge/camunda/nothing.svg");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(body(unknown)).contains(">not tracked<").contains("#9f9f9f");
    assertThat(get("/badge/camunda/nothing.json").statusCode()).isEqualTo(404);
    assertThat(get("/badge/camunda/camunda-bpm-platform.svg?metric=downloads").statusCode())
        .isEqualTo(400);
    // Without a history the recent pulls are unknown, in grey, not an error.
    assertThat(body(get("/badge/camunda/camunda-bpm-platform.json?metric=pulls-7d")))
        .contains("\"message\":\"unknown\"")
        .contains("\"color\":\"lightgrey\"");
  }

  @Test
  void unknownPathsAre404() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void onlyGetAndHeadAreAllowedOnMetrics() throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(405);
  }

  @Test
  void withoutAHistoryTheApiSaysWhyIn404() throws Exception {
    HttpResponse<byte[]> none = get("/api/v1/history");
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(body(none)).isEqualTo("{\"error\":\"no history: this exporter keeps no history\"}");
    try (ExporterServer failed =
        ExporterServer.builder()
            .host("127.0.0.1")
            .port(0)
            .collector(collector)
            .registry(registry)
            .noHistoryBecause("it could not be opened")
            .start()) {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + failed.port() + "/api/v1/history"))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(body(r)).contains("no history: it could not be opened");
    }
  }

  @Test
  void aPortOutOfRangeIsRefusedWithTheRangeThatIsAccepted() {
    assertThatThrownBy(() -> ExporterServer.builder().port(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the port must be from 0 (any free one) to 65535, not -1");
    assertThatThrownBy(() -> ExporterServer.builder().port(65536))
        .hasMessageEndingWith("not 65536");
  }

  @Test
  void readinessFailsWhenNoRefreshHasReadATargetForThreeIntervals() throws Exception {
    io.github.dockerpulls.hub.testing.FakeClock clock =
        new io.github.dockerpulls.hub.testing.FakeClock(Snapshots.T0);
    SnapshotCollector timed = new SnapshotCollector(true, null).clock(clock);
    try (ExporterServer s =
        ExporterServer.builder()
            .host("127.0.0.1")
            .port(0)
            .collector(timed)
            .registry(new PrometheusRegistry())
            .clock(clock)
            .interval(java.time.Duration.ofMinutes(5))
            .start()) {
      String base = "http://127.0.0.1:" + s.port();
      assertThat(status(base + "/-/ready")).startsWith("503 not ready: the first refresh");
      timed.onSnapshot(Snapshots.goldenSnapshot());
      assertThat(status(base + "/-/ready")).isEqualTo("200 OK\n");
      clock.advance(java.time.Duration.ofMinutes(15));
      assertThat(status(base + "/-/ready")).isEqualTo("200 OK\n");
      clock.advance(java.time.Duration.ofSeconds(1));
      assertThat(status(base + "/-/ready"))
          .isEqualTo(
              "503 not ready: no refresh has read a target since 2026-11-22T10:00:00Z, more than 3"
                  + " intervals (900 s) ago\n");
      assertThat(status(base + "/api/v1/status"))
          .contains("\"ready\":false")
          .contains("\"not_ready\":\"no refresh has read a target since")
          .contains("\"refreshed_at\":\"2026-11-22T10:00:00Z\"");
      assertThat(status(base + "/-/healthy")).isEqualTo("200 OK\n");
    }
  }

  private String status(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }
}
