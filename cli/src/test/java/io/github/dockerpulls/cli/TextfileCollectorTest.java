package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import io.github.dockerpulls.hub.testing.RealServers;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export -f prometheus -o FILE} read by a real node_exporter (Debian's
 * prometheus-node-exporter, installed by RealServers when missing): the file parses, and the
 * repositories' figures come out of node_exporter's /metrics.
 */
class TextfileCollectorTest {
  @Test
  void nodeExportersTextfileCollectorReadsTheExport(@TempDir Path dir) throws Exception {
    Path nodeExporter = RealServers.require("prometheus-node-exporter");
    Path textfiles = Files.createDirectory(dir.resolve("textfile"));
    try (FakeHub hub = new FakeHub().documentedExamples()) {
      CliRun export =
          CliRun.run(
              new FakeClock(Instant.parse("2026-11-22T10:00:00Z")),
              Map.of(),
              "export",
              "--hub-url",
              hub.url(),
              "--org",
              "camunda",
              "--repo",
              "library/httpd",
              "--format",
              "prometheus",
              "--output",
              textfiles.resolve("dockerhub.prom").toString());
      assertThat(export.exitCode).as(export.toString()).isZero();
    }

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process node =
        new ProcessBuilder(
                nodeExporter.toString(),
                "--web.listen-address=127.0.0.1:" + port,
                "--collector.disable-defaults",
                "--collector.textfile",
                "--collector.textfile.directory=" + textfiles)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("node-exporter.log").toFile())
            .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
      String body = null;
      for (int i = 0; i < 100 && body == null && node.isAlive(); i++) {
        try {
          body =
              http.send(
                      HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                  .body();
        } catch (java.io.IOException notYet) {
          Thread.sleep(100);
        }
      }
      assertThat(body).as(Files.readString(dir.resolve("node-exporter.log"))).isNotNull();
      assertThat(body)
          .contains("node_textfile_scrape_error 0")
          .contains(
              "docker_image_pulls{image=\"camunda-bpm-platform\",organization=\"camunda\"} 1.23456789e+08")
          .contains(
              "dockerhub_repository_pulls_total{organization=\"library\",repository=\"httpd\"} 2.242267726e+09")
          .contains("dockerhub_target_up{target=\"camunda\"} 1");
    } finally {
      node.destroy();
      assertThat(node.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
