package io.github.dockerpulls.exporter.web;

import io.github.dockerpulls.exporter.ExporterServer;
import io.github.dockerpulls.exporter.metrics.SnapshotCollector;
import io.github.dockerpulls.exporter.testing.Chromium;
import io.github.dockerpulls.exporter.testing.Snapshots;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Observation;
import io.github.dockerpulls.history.Retention;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.TargetResult;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard with 5,000 repositories and 31 days of daily history: the first render of {@code /}
 * in headless Chromium (navigation start to the app's "rendered" mark, a new browser tab each
 * time), and the weight of the page's HTML, scripts and styles as served gzipped. Run with {@code
 * exec:java} (see docs/benchmarks.md).
 */
public final class DashboardBenchmark {
  private DashboardBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repositories = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int days = args.length > 2 ? Integer.parseInt(args[2]) : 365;
    Instant now = Instant.parse("2026-12-03T12:00:00Z");
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    Path dir = Files.createTempDirectory("dashboard-bench");
    try (HistoryStore store = HistoryStore.open(dir, Retention.DEFAULT, clock)) {
      List<Observation> observations = new ArrayList<>();
      List<RepositoryStats> latest = new ArrayList<>();
      for (int day = days; day >= 0; day--) {
        Instant at = now.minus(Duration.ofDays(day)).minusSeconds(600);
        for (int i = 0; i < repositories; i++) {
          RepositoryStats r =
              new RepositoryStats(
                  "bigorg",
                  String.format(Locale.ROOT, "repo-%05d", i),
                  100_000L * i + (long) (days - day) * (i % 97 + 1),
                  OptionalLong.of(i % 50),
                  Optional.of(Instant.parse("2026-11-01T00:00:00Z")),
                  OptionalLong.empty());
          observations.add(Observation.of(at, r));
          if (day == 0) {
            latest.add(r);
          }
        }
      }
      store.record(observations);
      SnapshotCollector collector = new SnapshotCollector(true, null);
      collector.onSnapshot(
          Snapshots.of(
              now.minusSeconds(600), TargetResult.success(Target.parse("bigorg"), latest)));
      PrometheusRegistry registry = new PrometheusRegistry();
      registry.register(collector);
      try (ExporterServer server =
          ExporterServer.builder()
              .host("127.0.0.1")
              .port(0)
              .collector(collector)
              .registry(registry)
              .clock(clock)
              .history(store, List.of(Target.parse("bigorg")))
              .start()) {
        String origin = "http://127.0.0.1:" + server.port();
        weights(origin);
        ChromeDriver browser = Chromium.start();
        try {
          double[] ms = new double[runs];
          for (int i = -2; i < runs; i++) {
            browser.get("about:blank");
            browser.get(origin + "/");
            Chromium.awaitReady(browser);
            double t =
                ((Number)
                        Chromium.js(
                            browser,
                            "return performance.getEntriesByName('dockerpulls-rendered')[0]"
                                + ".startTime"))
                    .doubleValue();
            if (i >= 0) {
              ms[i] = t; // the first two warm the JIT of the server
            }
          }
          Arrays.sort(ms);
          System.out.printf(
              Locale.ROOT,
              "first render of / with %,d repositories, %d days, %d runs: median %.0f ms, max %.0f"
                  + " ms%n",
              repositories,
              days,
              runs,
              ms[runs / 2],
              ms[runs - 1]);
          // Switching the window or the period: from the click to the view drawn whole (its
          // comparison and the rows' trends included), measured inside the page.
          String[] switches = {"week", "day", "90d", "30d", "1y", "7d"};
          double[] switchMs = new double[runs];
          for (int i = 0; i < runs; i++) {
            String value = switches[i % switches.length];
            Chromium.js(
                browser,
                "window.__clicked = performance.now();"
                    + " document.querySelector(\"button[data-value='"
                    + value
                    + "']\").click();");
            Chromium.awaitReady(browser);
            switchMs[i] =
                ((Number)
                        Chromium.js(
                            browser, "return window.dockerpulls.readyAt - window.__clicked"))
                    .doubleValue();
          }
          Arrays.sort(switchMs);
          System.out.printf(
              Locale.ROOT,
              "switching window or period (%s), %d runs: median %.0f ms, max %.0f ms%n",
              String.join(", ", switches),
              runs,
              switchMs[runs / 2],
              switchMs[runs - 1]);
          Chromium.shot(browser, "dashboard-" + repositories);
        } finally {
          browser.quit();
        }
      }
    }
  }

  /** The page's parts as a browser gets them, gzipped: what counts against 300 KB. */
  private static void weights(String origin) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long code = 0;
    for (String path :
        List.of(
            "/", "/assets/uplot.js", "/assets/uplot.css", "/assets/app.js", "/assets/app.css")) {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(URI.create(origin + path))
                  .header("Accept-Encoding", "gzip")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      long bytes = r.body().length;
      boolean gz = r.headers().firstValue("Content-Encoding").orElse("").equals("gzip");
      if (!path.equals("/")) {
        code += bytes;
      }
      System.out.printf(Locale.ROOT, "%-18s %,9d bytes%s%n", path, bytes, gz ? " gzip" : "");
    }
    System.out.printf(Locale.ROOT, "scripts and styles: %,d bytes gzipped%n", code);
    for (String path : List.of("/api/v1/status", "/api/v1/history?series=total&since=30d&by=day")) {
      HttpResponse<byte[]> plain =
          http.send(
              HttpRequest.newBuilder(URI.create(origin + path)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      HttpResponse<byte[]> zipped =
          http.send(
              HttpRequest.newBuilder(URI.create(origin + path))
                  .header("Accept-Encoding", "gzip")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      System.out.printf(
          Locale.ROOT,
          "data %-46s %,9d bytes, %,d gzip%n",
          path,
          plain.body().length,
          zipped.body().length);
    }
  }
}
