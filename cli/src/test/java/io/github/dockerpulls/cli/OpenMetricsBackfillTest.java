package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Observation;
import io.github.dockerpulls.history.Retention;
import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.RealServers;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report -f openmetrics} as a backfill: the real promtool turns it into blocks, a real
 * Prometheus serves them, and its queries give back the history's figures at the observations'
 * times, the counter going on across a correction of the Hub's figure.
 */
class OpenMetricsBackfillTest {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.HOURS);
  private static final Instant T0 = NOW.minus(Duration.ofDays(3));

  @TempDir Path dir;

  /** zeebe every hour for 72 hours, +100 an hour, the Hub correcting it down by 500 at hour 40. */
  private static long zeebe(int hour) {
    return 1_000_000 + 100L * hour - (hour >= 40 ? 500 : 0);
  }

  @Test
  void promtoolAndPrometheusGiveBackTheHistorysCounter() throws Exception {
    Path promtool = RealServers.require("promtool");
    Path server = RealServers.require("prometheus");
    Path data = dir.resolve("history");
    try (HistoryStore store =
        HistoryStore.open(
            data,
            new Retention(Duration.ofDays(30), Duration.ofDays(365), java.util.Optional.empty()),
            java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC))) {
      List<Observation> observations = new ArrayList<>();
      for (int h = 0; h <= 72; h++) {
        Instant at = T0.plus(Duration.ofHours(h));
        observations.add(Observation.ofPulls("camunda", "zeebe", at, zeebe(h)));
        observations.add(Observation.ofPulls("camunda", "operate", at, 5_000 + h));
      }
      store.record(observations);
    }
    FakeClock clock = new FakeClock(NOW.plusSeconds(60));
    CliRun run =
        CliRun.run(
            clock,
            Map.of("DOCKERPULLS_DATA_DIR", data.toString()),
            "report",
            "--org",
            "camunda",
            "--since",
            "4d",
            "-f",
            "openmetrics",
            "--legacy-metric",
            "-o",
            dir.resolve("history.om").toString());
    assertThat(run.exitCode).as(run.toString()).isZero();
    String om = Files.readString(dir.resolve("history.om"));
    assertThat(om).endsWith("# EOF\n");
    assertThat(om.lines().filter(l -> l.startsWith("dockerhub_repository_pulls_total{")))
        .hasSize(146);

    Path tsdb = dir.resolve("tsdb");
    Process blocks =
        new ProcessBuilder(
                promtool.toString(),
                "tsdb",
                "create-blocks-from",
                "openmetrics",
                dir.resolve("history.om").toString(),
                tsdb.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("promtool.log").toFile())
            .start();
    assertThat(blocks.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(blocks.exitValue()).as(Files.readString(dir.resolve("promtool.log"))).isZero();

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config =
        Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\n");
    Process prometheus =
        new ProcessBuilder(
                server.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + tsdb,
                "--storage.tsdb.retention.time=3650d",
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    try {
      URI url = URI.create("http://127.0.0.1:" + port);
      awaitReady(url, dir.resolve("prometheus.log"));
      for (int h : new int[] {0, 39, 40, 72}) {
        Instant at = T0.plus(Duration.ofHours(h));
        // Before the correction the counter is the Hub's figure; the hour of the correction counts
        // no pulls (the lower figure is the new base), and the counter goes on from there.
        long counter = 1_000_000 + 100L * h - (h >= 40 ? 100 : 0);
        assertThat(query(url, "dockerhub_repository_pulls_total{repository=\"zeebe\"}", at))
            .as("counter at hour " + h)
            .isEqualTo(counter);
        assertThat(query(url, "docker_image_pulls{image=\"zeebe\"}", at))
            .as("gauge at hour " + h)
            .isEqualTo(zeebe(h));
      }
      assertThat(
              query(
                  url,
                  "dockerhub_repository_pulls_total{organization=\"camunda\",repository=\"operate\"}",
                  T0.plus(Duration.ofHours(72))))
          .isEqualTo(5_072);
    } finally {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
  }

  private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.]+,\"([0-9.e+]+)\"\\]");

  private static long query(URI url, String promql, Instant at) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        url.resolve(
                            "/api/v1/query?query="
                                + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                                + "&time="
                                + at.getEpochSecond()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    Matcher m = VALUE.matcher(r.body());
    assertThat(m.find()).as(promql + " at " + at + ": " + r.body()).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  private static void awaitReady(URI url, Path log) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(url.resolve("/-/ready")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError("Prometheus did not get ready: " + Files.readString(log));
  }
}
