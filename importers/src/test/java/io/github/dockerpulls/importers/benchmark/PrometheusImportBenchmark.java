package io.github.dockerpulls.importers.benchmark;

import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Retention;
import io.github.dockerpulls.importers.ImportSummary;
import io.github.dockerpulls.importers.PrometheusImport;
import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.TimeUnit;

/**
 * Imports {@code days} days of 5-minute samples of {@code repositories} repositories (the Flask
 * exporter's gauge) from a real Prometheus whose blocks promtool wrote, into a new history each
 * run, and prints the wall time of each import: in this process, or, given the runnable jar, as
 * {@code dockerpulls import prometheus} in a JVM held to a 64 MB heap. See docs/benchmarks.md.
 *
 * <p>Arguments: {@code [repositories] [runs] [days] [jar]}; needs {@code prometheus} and {@code
 * promtool} on the PATH.
 */
public final class PrometheusImportBenchmark {
  private PrometheusImportBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repositories = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int days = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    // With a jar, each run is `dockerpulls import prometheus` in a JVM held to a 64 MB heap.
    String jar = args.length > 3 ? args[3] : null;
    Path work = Files.createTempDirectory("dockerpulls-import-bench-");
    Instant end = Instant.now().truncatedTo(ChronoUnit.DAYS);
    Instant start = end.minus(Duration.ofDays(days));
    Path om = work.resolve("flask.om");
    try (Writer out = Files.newBufferedWriter(om)) {
      out.write("# TYPE docker_image_pulls gauge\n");
      for (int r = 0; r < repositories; r++) {
        long count = 1_000_000L * (r + 1);
        for (long t = start.getEpochSecond(); t <= end.getEpochSecond(); t += 300) {
          out.write(
              "docker_image_pulls{organization=\"bigorg\",image=\"repo"
                  + r
                  + "\",instance=\"flask:2113\",job=\"flask\"} "
                  + count
                  + " "
                  + t
                  + "\n");
          count += r % 7 + 1;
        }
      }
      out.write("# EOF\n");
    }
    Path data = work.resolve("data");
    run(
        List.of(
            "promtool",
            "tsdb",
            "create-blocks-from",
            "openmetrics",
            om.toString(),
            data.toString()),
        work);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config =
        Files.writeString(work.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\n");
    Process prometheus =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + data,
                "--storage.tsdb.retention.time=3650d",
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("prometheus.log").toFile())
            .start();
    try {
      URI url = URI.create("http://127.0.0.1:" + port);
      awaitReady(url);
      List<Double> seconds = new ArrayList<>();
      for (int i = 0; i < runs + 1; i++) {
        Path dir = Files.createTempDirectory(work, "history-");
        long t0 = System.nanoTime();
        if (jar != null) {
          Process p =
              new ProcessBuilder(
                      "java",
                      "-XX:MaxRAM=256m",
                      "-Xmx64m",
                      "-XX:+UseSerialGC",
                      "-XX:TieredStopAtLevel=1",
                      "-jar",
                      jar,
                      "import",
                      "prometheus",
                      "--prometheus-url",
                      "http://127.0.0.1:" + port,
                      "--since",
                      start.toString(),
                      "--data-dir",
                      dir.toString())
                  .redirectErrorStream(true)
                  .start();
          String output = new String(p.getInputStream().readAllBytes()).strip();
          if (p.waitFor() != 0) {
            throw new IllegalStateException(output);
          }
          double took = (System.nanoTime() - t0) / 1e9;
          System.out.printf(
              Locale.ROOT,
              "%s (-Xmx64m): %s in %.3f s%n",
              i == 0 ? "warm-up" : "run " + i,
              output,
              took);
          if (i > 0) {
            seconds.add(took);
          }
          continue;
        }
        ImportSummary summary;
        try (HistoryStore store = HistoryStore.open(dir, Retention.DEFAULT, Clock.systemUTC())) {
          summary =
              new PrometheusImport(url, Duration.ofMinutes(5))
                  .into(store, start, end.plus(Duration.ofMinutes(1)), (d, t) -> {});
        }
        double took = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "%s: %d series, %,d points in %.3f s, %.0f points per second%n",
            i == 0 ? "warm-up" : "run " + i,
            summary.series(),
            summary.points(),
            took,
            summary.points() / took);
        if (i > 0) {
          seconds.add(took);
        }
      }
      Collections.sort(seconds);
      System.out.printf(
          Locale.ROOT,
          "median %.3f s, min %.3f s, max %.3f s%n",
          seconds.get(seconds.size() / 2),
          seconds.get(0),
          seconds.get(seconds.size() - 1));
    } finally {
      prometheus.destroy();
      prometheus.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void run(List<String> command, Path work) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("promtool.log").toFile())
            .start();
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(Files.readString(work.resolve("promtool.log")));
    }
  }

  private static void awaitReady(URI url) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 300; i++) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(url.resolve("/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException starting) {
        // not yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("Prometheus did not get ready");
  }
}
