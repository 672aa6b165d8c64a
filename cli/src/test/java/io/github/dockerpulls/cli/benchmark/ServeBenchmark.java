package io.github.dockerpulls.cli.benchmark;

import io.github.dockerpulls.hub.benchmark.SlowHub;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real launcher ({@code ./dockerpulls serve}, with its default JVM options) against a
 * local Hub with 5,000 repositories and measures: one scrape at a time, 8 scrapers at once, the Hub
 * requests during scraping, and the resident memory after 10 refreshes. See docs/benchmarks.md.
 * Arguments: the project's root directory (default: the current one), then {@code text} (plain
 * text, as curl asks; the default) or {@code prometheus} (OpenMetrics with gzip, as a Prometheus
 * server asks).
 */
public final class ServeBenchmark {
  private ServeBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    asPrometheus = args.length > 1 && args[1].equals("prometheus");
    System.out.println(
        asPrometheus
            ? "scrapes ask for OpenMetrics with gzip, as Prometheus does"
            : "scrapes ask for plain text without compression, as curl does");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (SlowHub hub = new SlowHub("bigorg", 5000, 0)) {
      Path log = Files.createTempFile("dockerpulls-serve", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(
                  root.resolve("dockerpulls").toString(),
                  "serve",
                  "--org",
                  "bigorg",
                  "--username",
                  "bench",
                  "--hub-url",
                  hub.url(),
                  "--port",
                  Integer.toString(port),
                  "--listen-address",
                  "127.0.0.1",
                  "--interval",
                  "2s")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("DOCKERHUB_TOKEN", "bench-token");
      pb.environment().remove("JAVA_OPTS");
      Process serve = pb.start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
        waitReady(http, port);

        // Refreshes happen every 2 s; wait for 10 of them (50 listing requests each).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (hub.listRequests() < 500 && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        int refreshes = hub.listRequests() / 50;
        long rssKib = rssKib(serve.pid());
        System.out.printf(
            Locale.ROOT,
            "resident memory after %d refreshes: %.1f MiB (VmRSS %d KiB)%n",
            refreshes,
            rssKib / 1024.0,
            rssKib);

        // Scrapes must not reach the Hub: stop refreshing influence by measuring between them.
        String body =
            http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        long series = body.lines().filter(l -> l.startsWith("docker_image_pulls{")).count();
        System.out.printf(
            Locale.ROOT,
            "one scrape: %d bytes, %d docker_image_pulls series%n",
            body.length(),
            series);

        for (int i = 0; i < 50; i++) {
          scrape(http, metrics); // warm-up
        }
        List<Double> single = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          single.add(scrape(http, metrics));
        }
        report("1 scraper, 200 scrapes", single);

        int before = hub.listRequests();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<Double>>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          futures.add(
              pool.submit(
                  () -> {
                    HttpClient own = HttpClient.newHttpClient();
                    List<Double> times = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                      times.add(scrape(own, metrics));
                    }
                    return times;
                  }));
        }
        List<Double> concurrent = new ArrayList<>();
        for (Future<List<Double>> f : futures) {
          concurrent.addAll(f.get());
        }
        pool.shutdown();
        double wall = (System.nanoTime() - started) / 1e9;
        report("8 scrapers, 800 scrapes", concurrent);
        int during = hub.listRequests() - before;
        System.out.printf(
            Locale.ROOT,
            "Hub listing requests while scraping: %d in %.1f s (refreshes every 2 s: %d expected from"
                + " refreshes alone, 0 from scrapes)%n",
            during,
            wall,
            during);
      } finally {
        serve.destroy();
        serve.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void waitReady(HttpClient http, int port) throws Exception {
    URI ready = URI.create("http://127.0.0.1:" + port + "/-/ready");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting (or building the jar)
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the exporter never became ready");
  }

  /** Set by the second argument {@code prometheus}: ask as a Prometheus server asks. */
  private static boolean asPrometheus;

  private static double scrape(HttpClient http, URI uri) throws Exception {
    long start = System.nanoTime();
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    if (asPrometheus) {
      request
          .header(
              "Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
          .header("Accept-Encoding", "gzip");
    }
    HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("scrape answered " + r.statusCode());
    }
    return (System.nanoTime() - start) / 1e6;
  }

  private static void report(String what, List<Double> millis) {
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%s: median %.1f ms, p99 %.1f ms, max %.1f ms%n",
        what,
        sorted.get(sorted.size() / 2),
        sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1),
        sorted.get(sorted.size() - 1));
  }

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid);
  }
}
