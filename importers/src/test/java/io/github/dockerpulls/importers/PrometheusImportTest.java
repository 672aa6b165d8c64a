package io.github.dockerpulls.importers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.history.Granularity;
import io.github.dockerpulls.history.HistoryReport;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Period;
import io.github.dockerpulls.history.RepositoryHistory;
import io.github.dockerpulls.history.Retention;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.testing.CapturedLog;
import io.github.dockerpulls.hub.testing.RealServers;
import java.io.IOException;
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
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus whose storage holds 30 days of the Flask exporter's samples, written by {@code
 * promtool tsdb create-blocks-from openmetrics}: what the import records gives back, per day, the
 * figures the samples were built from, across a gap and a decrease.
 */
class PrometheusImportTest {
  private static final int DAYS = 30;
  private static final int STEPS_PER_DAY = 288; // every 5 minutes

  /** Midnight today: the samples end there. */
  private static final Instant END = Instant.now().truncatedTo(ChronoUnit.DAYS);

  private static final Instant START = END.minus(Duration.ofDays(DAYS));

  /** zeebe has no samples after day 10's midnight until day 12's: two days of gap. */
  private static final int GAP_FROM = 10;

  private static final int GAP_DAYS = 2;

  /** On day 20 at noon Docker Hub corrects operate's count 500 down. */
  private static final int DROP_DAY = 20;

  @TempDir static Path work;

  private static Process prometheus;
  private static URI url;

  /** zeebe's pulls per 5 minutes on day {@code d}; the same on both days of the gap. */
  private static long zeebeStep(int d) {
    return d >= GAP_FROM && d < GAP_FROM + GAP_DAYS ? 5 : 3 + d % 4;
  }

  /** The per-day figures the samples are built from. */
  private static List<Long> expectedZeebe() {
    List<Long> days = new ArrayList<>();
    for (int d = 0; d < DAYS; d++) {
      days.add(zeebeStep(d) * STEPS_PER_DAY);
    }
    return days;
  }

  private static List<Long> expectedOperate() {
    List<Long> days = new ArrayList<>();
    for (int d = 0; d < DAYS; d++) {
      // 2 per step; on the day of the drop one step goes down instead, which counts as 0.
      days.add(d == DROP_DAY ? 2L * (STEPS_PER_DAY - 1) : 2L * STEPS_PER_DAY);
    }
    return days;
  }

  @BeforeAll
  static void prometheusWithThirtyDaysOfFlaskSamples() throws Exception {
    Path promtool = RealServers.require("promtool");
    Path server = RealServers.require("prometheus");
    StringBuilder om = new StringBuilder("# HELP docker_image_pulls Docker image pulls\n");
    om.append("# TYPE docker_image_pulls gauge\n");
    // zeebe, scraped by two Prometheus jobs: the import must make one repository of them.
    for (String instance : List.of("exporter-a:2113", "exporter-b:2113")) {
      long count = 9_000_000;
      for (int d = 0; d < DAYS; d++) {
        for (int k = 0; k < STEPS_PER_DAY; k++) {
          long t = START.getEpochSecond() + (long) d * 86400 + k * 300L;
          boolean inGap = (d > GAP_FROM || (d == GAP_FROM && k > 0)) && d < GAP_FROM + GAP_DAYS;
          if (!inGap) {
            sample(om, "zeebe", instance, t, count);
          }
          count += zeebeStep(d);
        }
      }
      sample(om, "zeebe", instance, END.getEpochSecond(), count);
    }
    long count = 120_000_000;
    for (int d = 0; d < DAYS; d++) {
      for (int k = 0; k < STEPS_PER_DAY; k++) {
        long t = START.getEpochSecond() + (long) d * 86400 + k * 300L;
        sample(om, "camunda-bpm-platform", "exporter-a:2113", t, count);
        count += d == DROP_DAY && k == STEPS_PER_DAY / 2 ? -500 : 2;
      }
    }
    sample(om, "camunda-bpm-platform", "exporter-a:2113", END.getEpochSecond(), count);
    om.append("# EOF\n");
    Path file = Files.writeString(work.resolve("flask.om"), om.toString());
    Path data = work.resolve("data");
    Process blocks =
        new ProcessBuilder(
                promtool.toString(),
                "tsdb",
                "create-blocks-from",
                "openmetrics",
                file.toString(),
                data.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("promtool.log").toFile())
            .start();
    assertThat(blocks.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(blocks.exitValue()).as(Files.readString(work.resolve("promtool.log"))).isZero();

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config =
        Files.writeString(work.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\n");
    prometheus =
        new ProcessBuilder(
                server.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + data,
                "--storage.tsdb.retention.time=3650d",
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("prometheus.log").toFile())
            .start();
    url = URI.create("http://127.0.0.1:" + port);
    awaitReady();
  }

  /** The Flask exporter's line: organization first, then image, a timestamp in seconds. */
  private static void sample(StringBuilder om, String image, String instance, long t, long v) {
    om.append("docker_image_pulls{organization=\"camunda\",image=\"")
        .append(image)
        .append("\",instance=\"")
        .append(instance)
        .append("\",job=\"flask\"} ")
        .append(v)
        .append(' ')
        .append(t)
        .append('\n');
  }

  private static void awaitReady() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(url.resolve("/-/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "Prometheus did not get ready: " + Files.readString(work.resolve("prometheus.log")));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
  }

  @Test
  void thePerDayFiguresAreTheOnesTheSamplesWereBuiltFrom(@TempDir Path history) throws Exception {
    Instant now = END.plus(Duration.ofHours(1));
    try (CapturedLog log = CapturedLog.of(HistoryStore.class);
        HistoryStore store =
            HistoryStore.open(history, Retention.DEFAULT, Clock.fixed(now, ZoneOffset.UTC))) {
      ImportSummary summary =
          new PrometheusImport(url, Duration.ofMinutes(5))
              .into(store, now.minus(Duration.ofDays(DAYS + 1)), now, (done, total) -> {});
      assertThat(summary.series()).isEqualTo(2);
      assertThat(summary.skipped()).isZero();
      assertThat(summary.first()).isEqualTo(START);
      assertThat(summary.last()).isEqualTo(END);
      assertThat(summary.added()).isEqualTo(summary.points());

      HistoryReport report =
          store.report(
              List.of(Target.parse("camunda")), START, END, Granularity.DAY, ZoneOffset.UTC);
      assertThat(report.repositories())
          .extracting(RepositoryHistory::name)
          .containsExactly("camunda-bpm-platform", "zeebe");
      assertThat(perDay(report.repositories().get(0))).isEqualTo(expectedOperate());
      assertThat(perDay(report.repositories().get(1))).isEqualTo(expectedZeebe());
      // The correction is logged once, when it is recorded.
      assertThat(log.messages())
          .singleElement()
          .asString()
          .contains("camunda/camunda-bpm-platform 120011808 -> 120011308 went down");

      // Importing twice adds nothing twice.
      ImportSummary again =
          new PrometheusImport(url, Duration.ofMinutes(5))
              .into(store, now.minus(Duration.ofDays(DAYS + 1)), now, (done, total) -> {});
      assertThat(again.points()).isEqualTo(summary.points());
      assertThat(again.added()).isZero();
    }
  }

  @Test
  void queriesAreTimeSlicesFarBelowPrometheusLimitOfElevenThousandPoints(@TempDir Path history)
      throws Exception {
    Instant now = END.plus(Duration.ofHours(1));
    List<int[]> calls = new ArrayList<>();
    try (CapturedLog log = CapturedLog.of(HistoryStore.class);
        HistoryStore store =
            HistoryStore.open(history, Retention.DEFAULT, Clock.fixed(now, ZoneOffset.UTC))) {
      // 31 days at 1 minute: 44,640 points per series, read in slices of 288 steps: 156 slices,
      // each asked for both metrics.
      ImportSummary summary =
          new PrometheusImport(url, Duration.ofMinutes(1))
              .into(
                  store,
                  now.minus(Duration.ofDays(DAYS + 1)),
                  now,
                  (done, total) -> calls.add(new int[] {done, total}));
      int slices = 44_640 / PrometheusImport.SLICE_STEPS + 1;
      assertThat(calls).hasSize(2 * slices);
      assertThat(calls.get(calls.size() - 1)).containsExactly(2 * slices, 2 * slices);
      HistoryReport report =
          store.report(
              List.of(Target.parse("camunda/zeebe")), START, END, Granularity.DAY, ZoneOffset.UTC);
      assertThat(perDay(report.repositories().get(0))).isEqualTo(expectedZeebe());
      assertThat(summary.series()).isEqualTo(2);
      assertThat(log.messages()).singleElement().asString().contains("went down");
    }
  }

  @Test
  void somethingThatIsNotPrometheusIsSaidInOneLine(@TempDir Path history) throws Exception {
    try (HistoryStore store = HistoryStore.open(history, Retention.DEFAULT, Clock.systemUTC())) {
      int closed;
      try (ServerSocket s = new ServerSocket(0)) {
        closed = s.getLocalPort();
      }
      assertThatThrownBy(
              () ->
                  new PrometheusImport(
                          URI.create("http://127.0.0.1:" + closed), Duration.ofMinutes(5))
                      .into(store, END.minus(Duration.ofDays(1)), END, (d, t) -> {}))
          .isInstanceOf(ImportException.class)
          .hasMessageStartingWith("cannot reach Prometheus at http://127.0.0.1:" + closed);
      assertThatThrownBy(
              () ->
                  new PrometheusImport(url.resolve("/graph/"), Duration.ofMinutes(5))
                      .into(store, END.minus(Duration.ofDays(1)), END, (d, t) -> {}))
          .isInstanceOf(ImportException.class)
          .hasMessageContaining("(is it Prometheus?)");
    }
  }

  private static List<Long> perDay(RepositoryHistory r) {
    return r.series().stream().map(Period::pulls).toList();
  }
}
