package io.github.dockerpulls.exporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.exporter.ExporterServer;
import io.github.dockerpulls.exporter.metrics.HubRequestMetrics;
import io.github.dockerpulls.exporter.metrics.SnapshotCollector;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Observation;
import io.github.dockerpulls.history.Retention;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.testing.FakeClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TotalsCacheTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private static List<Observation> day(int d, long perDay) {
    List<Observation> list = new ArrayList<>();
    Instant t = NOW.minus(Duration.ofDays(40 - d));
    for (int r = 0; r < 3; r++) {
      list.add(Observation.ofPulls("acme", "app" + r, t, 1_000L * r + perDay * d));
    }
    return list;
  }

  private String get(ExporterServer server, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  @Test
  void aChartIsAnsweredAgainFromWhatWasKeptUntilTheHistoryChanges() throws Exception {
    FakeClock clock = new FakeClock(NOW);
    try (HistoryStore store = HistoryStore.open(dir, Retention.DEFAULT, clock)) {
      for (int d = 0; d < 40; d++) {
        store.record(day(d, 100));
      }
      try (ExporterServer server =
          ExporterServer.builder()
              .host("127.0.0.1")
              .port(0)
              .collector(new SnapshotCollector(true, new HubRequestMetrics()))
              .registry(new PrometheusRegistry())
              .history(store, List.of(Target.organization("acme")))
              .clock(clock)
              .start()) {
        String path = "/api/v1/history?series=total&since=30d&by=day";
        String first = get(server, path);
        assertThat(first).contains("\"pulls\":300");
        // Meanwhile the history changes behind the endpoint's back: kept answers no longer hold.
        long before = store.changes();
        store.record(day(40, 150));
        assertThat(store.changes()).isGreaterThan(before);
        String after = get(server, path);
        assertThat(after).isNotEqualTo(first);
        // Unchanged, the same question is the same answer (made at the same "now").
        clock.advance(Duration.ofSeconds(30));
        assertThat(get(server, path)).isEqualTo(after);
        // ... for five minutes at most: then "now" has moved too far.
        clock.advance(TotalsCache.MAX_AGE);
        assertThat(get(server, path)).isNotEqualTo(after);
      }
    }
  }

  @Test
  void theDashboardsOtherWindowsAndPeriodsAreAnsweredAhead() throws Exception {
    TotalsCache cache = new TotalsCache(new FakeClock(NOW));
    TotalsCache.Key key =
        new TotalsCache.Key(List.of(Target.organization("acme")), "30d", "day", "UTC", null);
    List<TotalsCache.Key> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    cache.warm(
        key,
        7,
        k -> {
          asked.add(k);
          return "{\"" + k.since() + k.by() + "\"}";
        });
    for (int i = 0; i < 100 && cache.size() < 5; i++) {
      Thread.sleep(20);
    }
    assertThat(asked)
        .extracting(k -> k.since() + "/" + k.by())
        .containsExactlyInAnyOrder("7d/day", "90d/day", "1y/day", "30d/week", "30d/month");
    assertThat(cache.get(new TotalsCache.Key(key.targets(), "1y", "day", "UTC", null), 7))
        .isEqualTo("{\"1yday\"}");
    // Another state of the history: none of them holds.
    assertThat(cache.get(new TotalsCache.Key(key.targets(), "1y", "day", "UTC", null), 8)).isNull();
    // A range of dates has no neighbours to warm.
    assertThat(
            new TotalsCache.Key(key.targets(), "2026-01-01", "day", "UTC", "2026-02-01")
                .neighbours())
        .isEmpty();
  }

  @Test
  void afterAChangeTheQuestionsAskedLatelyAreAnsweredAgainAhead() throws Exception {
    FakeClock clock = new FakeClock(NOW);
    TotalsCache cache = new TotalsCache(clock);
    TotalsCache.Key old =
        new TotalsCache.Key(List.of(Target.organization("old")), "30d", "day", "UTC", null);
    TotalsCache.Key recent =
        new TotalsCache.Key(List.of(Target.organization("acme")), "1y", "week", "UTC", null);
    cache.asked(old);
    clock.advance(TotalsCache.ASKED_LATELY.plusMinutes(1));
    cache.asked(recent);
    List<TotalsCache.Key> made = new java.util.concurrent.CopyOnWriteArrayList<>();
    cache.rewarm(
        9,
        k -> {
          made.add(k);
          return "{}";
        });
    for (int i = 0; i < 100 && cache.get(recent, 9) == null; i++) {
      Thread.sleep(20);
    }
    for (int i = 0; i < 100 && made.size() < 6; i++) {
      Thread.sleep(20);
    }
    // The question asked within the hour first, then its neighbours; not the one asked before.
    assertThat(made.get(0)).isEqualTo(recent);
    assertThat(made).hasSize(6).allMatch(k -> k.targets().equals(recent.targets()));
    assertThat(cache.get(recent, 9)).isEqualTo("{}");
  }

  @Test
  void whatIsKeptIsBoundedInCharactersTheLeastRecentlyUsedGoingFirst() {
    TotalsCache cache = new TotalsCache(new FakeClock(NOW));
    String big = "x".repeat((int) (TotalsCache.MAX_CHARS / 5));
    for (int i = 0; i < 8; i++) {
      cache.put(
          new TotalsCache.Key(List.of(Target.organization("o" + i)), "30d", "day", "UTC", null),
          1,
          big);
    }
    assertThat(cache.size()).isEqualTo(5);
    assertThat(
            cache.get(
                new TotalsCache.Key(List.of(Target.organization("o0")), "30d", "day", "UTC", null),
                1))
        .isNull();
    assertThat(
            cache.get(
                new TotalsCache.Key(List.of(Target.organization("o7")), "30d", "day", "UTC", null),
                1))
        .isEqualTo(big);
  }
}
