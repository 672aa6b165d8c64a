package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import prometheus} against a scripted Prometheus API (the real one is in the exporter's
 * PrometheusImportTest): options, the summary line, exit codes.
 */
class ImportCommandTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-23T00:00:00Z"));
  private final MockWebServer prometheus = new MockWebServer();
  private final FakeHub hub = new FakeHub();
  @TempDir Path data;

  @AfterEach
  void close() throws Exception {
    prometheus.close();
    hub.close();
  }

  private Map<String, String> env() {
    return Map.of("DOCKERPULLS_DATA_DIR", data.toString());
  }

  /** Answers every range query: zeebe at 1,000 then 1,600 a day later; nothing for the counter. */
  private void scripted() throws Exception {
    long t0 = Instant.parse("2026-11-21T00:00:00Z").getEpochSecond();
    prometheus.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String target = request.getTarget();
            String result =
                target.contains("query=docker_image_pulls")
                    ? "[{\"metric\":{\"__name__\":\"docker_image_pulls\",\"organization\":\"camunda\","
                        + "\"image\":\"zeebe\",\"instance\":\"flask:2113\",\"job\":\"flask\"},"
                        + "\"values\":[["
                        + t0
                        + ",\"1000\"],["
                        + (t0 + 86400)
                        + ",\"1.6e3\"]]},"
                        + "{\"metric\":{\"organization\":\"camunda\",\"image\":\"Bad Name\"},"
                        + "\"values\":[["
                        + t0
                        + ",\"5\"]]},"
                        + "{\"metric\":{\"job\":\"flask\"},\"values\":[["
                        + t0
                        + ",\"5\"]]},"
                        + "{\"metric\":{\"organization\":\"camunda\",\"image\":\"operate\"},"
                        + "\"values\":[["
                        + t0
                        + ",\"+Inf\"],["
                        + (t0 + 300)
                        + ",\"1e308\"],["
                        + (t0 + 600)
                        + ",\"NaN\"]]}]"
                    : "[]";
            return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body(
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
                        + result
                        + "}}")
                .build();
          }
        });
    prometheus.start();
  }

  @Test
  void importsWhatPrometheusHoldsAndReportShowsIt() throws Exception {
    scripted();
    String url = prometheus.url("/").toString();
    CliRun run =
        CliRun.run(clock, env(), "import", "prometheus", "--prometheus-url", url, "--since", "7d");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out)
        .isEqualTo(
            "imported 1 series, 2 points (2 new) from Prometheus,"
                + " 2026-11-21T00:00:00Z to 2026-11-22T00:00:00Z; skipped 2 series whose labels"
                + " name no Docker Hub repository (such as {organization=camunda, image=Bad"
                + " Name}), 3 values that are not whole counts from 0 to 10^15 (such as +Inf at"
                + " 2026-11-21T00:00:00Z for camunda/operate)\n");
    assertThat(run.err).isEmpty();
    RecordedRequest first = prometheus.takeRequest();
    assertThat(first.getTarget())
        .startsWith("/api/v1/query_range?query=docker_image_pulls&start=")
        .endsWith("&step=300");

    CliRun report =
        CliRun.run(clock, env(), "report", "--repo", "camunda/zeebe", "--since", "2d", "-f", "csv");
    assertThat(report.out).contains("camunda,zeebe,2026-11-21T00:00:00Z,2026-11-22T00:00:00Z,600");

    CliRun again =
        CliRun.run(clock, env(), "import", "prometheus", "--prometheus-url", url, "--since", "7d");
    assertThat(again.out).contains("2 points (0 new)");
  }

  @Test
  void anUnreachablePrometheusIsOneLineAndExitOne() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    CliRun run =
        CliRun.run(
            clock, env(), "import", "prometheus", "--prometheus-url", "http://127.0.0.1:" + closed);
    assertThat(run.exitCode).isEqualTo(ExitCode.FAILED);
    assertThat(run.out).isEmpty();
    assertThat(run.err)
        .isEqualTo(
            "dockerpulls: cannot reach Prometheus at http://127.0.0.1:"
                + closed
                + " (ConnectException)\n");
  }

  @Test
  void badInputIsOneLineAndExitTwo() {
    Map<List<String>, String> cases =
        Map.of(
            List.of("import", "prometheus"), "--prometheus-url URL is required",
            List.of("import", "prometheus", "--prometheus-url", "ftp://x"), "is not an http(s) URL",
            List.of("import", "prometheus", "--prometheus-url", "http://x", "--since", "soon"),
                "--since: 'soon'",
            List.of("import", "elasticsearch"), "needs --es-url",
            List.of("import"), "missing source");
    cases.forEach((args, message) -> CliRun.assertBadInput(hub, clock, args, message));
  }
}
