package io.github.dockerpulls.exporter.metrics;

import static io.github.dockerpulls.exporter.testing.Snapshots.T0;
import static io.github.dockerpulls.exporter.testing.Snapshots.failed;
import static io.github.dockerpulls.exporter.testing.Snapshots.ok;
import static io.github.dockerpulls.exporter.testing.Snapshots.repo;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.exporter.testing.Snapshots;
import io.github.dockerpulls.exporter.web.NoScriptFigures;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.PullLimit;
import io.github.dockerpulls.hub.RateLimit;
import io.github.dockerpulls.hub.testing.CapturedLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SnapshotCollectorTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final SnapshotCollector collector = new SnapshotCollector(true, null);
  private final MetricsEndpoint endpoint;

  SnapshotCollectorTest() {
    registry.register(collector);
    endpoint = new MetricsEndpoint(collector, registry);
  }

  String text() throws IOException {
    return new String(endpoint.body(MetricsEndpoint.Variant.TEXT), StandardCharsets.UTF_8);
  }

  @Test
  void textOutputMatchesTheGoldenFile() throws IOException {
    collector.onSnapshot(Snapshots.goldenSnapshot());
    assertThat(text()).isEqualTo(Snapshots.golden("metrics.txt"));
  }

  @Test
  void theLegacyGaugeIsWrittenAsTheFlaskExporterWroteIt() throws IOException {
    collector.onSnapshot(Snapshots.goldenSnapshot());
    assertThat(text())
        .contains("# TYPE docker_image_pulls gauge\n")
        .contains(
            "docker_image_pulls{organization=\"camunda\",image=\"camunda-bpm-platform\"} 123456789\n")
        .contains("docker_image_pulls{organization=\"camunda\",image=\"zeebe\"} 9876543\n");
  }

  @Test
  void theLegacyGaugeCanBeTurnedOff() throws IOException {
    PrometheusRegistry r = new PrometheusRegistry();
    SnapshotCollector withoutLegacy = new SnapshotCollector(false, null);
    r.register(withoutLegacy);
    withoutLegacy.onSnapshot(Snapshots.goldenSnapshot());
    String text =
        new String(
            new MetricsEndpoint(withoutLegacy, r).body(MetricsEndpoint.Variant.TEXT),
            StandardCharsets.UTF_8);
    assertThat(text)
        .doesNotContain("docker_image_pulls")
        .contains("dockerhub_repository_pulls_total");
  }

  @Test
  void beforeTheFirstRefreshThereAreNoValuesAndNotReady() throws IOException {
    assertThat(collector.view().ready()).isFalse();
    assertThat(text())
        .doesNotContain("docker_image_pulls{")
        .doesNotContain("dockerhub_refresh_duration_seconds");
  }

  @Test
  void aFailedRefreshKeepsTheLastGoodValuesAndTurnsTheTargetDown() throws IOException {
    collector.onSnapshot(Snapshots.of(T0, ok("camunda", repo("camunda", "zeebe", 100, 1L, null))));
    collector.onSnapshot(
        Snapshots.of(
            T0.plusSeconds(300), failed("camunda", new HubException.ServerError("503", 503))));
    String text = text();
    assertThat(text)
        .contains("docker_image_pulls{organization=\"camunda\",image=\"zeebe\"} 100\n")
        .contains("dockerhub_target_up{target=\"camunda\"} 0.0\n")
        .contains(
            "dockerhub_target_last_success_timestamp_seconds{target=\"camunda\"} 1.7953416E9\n");
    assertThat(collector.view().ready()).isTrue();
    assertThat(collector.view().targets().get(0).error()).hasValue("503");
  }

  @Test
  void aRateLimitedTargetIsMarkedAsSuchOnTheMetricsAndThePage() throws IOException {
    collector.onSnapshot(Snapshots.of(T0, ok("camunda", repo("camunda", "zeebe", 100, 1L, null))));
    Instant retryAt = T0.plusSeconds(300 + 86_400);
    collector.onSnapshot(
        Snapshots.of(
            T0.plusSeconds(300),
            failed("camunda", new HubException.RateLimited("Rate limit exceeded", retryAt))));
    assertThat(text())
        .contains("dockerhub_target_up{target=\"camunda\"} 0.0\n")
        .contains("dockerhub_target_rate_limited{target=\"camunda\"} 1.0\n")
        .contains("docker_image_pulls{organization=\"camunda\",image=\"zeebe\"} 100\n");
    assertThat(collector.view().targets().get(0).rateLimitedUntil()).hasValue(retryAt);
    assertThat(NoScriptFigures.content(collector.view(), null))
        .contains("rate limited until 2026-11-23 10:05:00 UTC");

    collector.onSnapshot(
        Snapshots.of(T0.plusSeconds(900), ok("camunda", repo("camunda", "zeebe", 110, 1L, null))));
    assertThat(text()).contains("dockerhub_target_rate_limited{target=\"camunda\"} 0.0\n");
  }

  @Test
  void aPullCountTheHubCorrectsDownwardsKeepsTheCounterMonotonicAndIsLoggedOnce()
      throws IOException {
    CapturedLog log = CapturedLog.of(SnapshotCollector.class);
    try {
      long[] hub = {1_000, 900, 950, 950, 1_100};
      String[] counter = {"1000.0", "1000.0", "1050.0", "1050.0", "1200.0"};
      for (int i = 0; i < hub.length; i++) {
        collector.onSnapshot(
            Snapshots.of(
                T0.plusSeconds(300L * i),
                ok("camunda", repo("camunda", "zeebe", hub[i], 1L, null))));
        assertThat(text())
            .as("refresh %d", i)
            .contains(
                "dockerhub_repository_pulls_total{organization=\"camunda\",repository=\"zeebe\"} "
                    + counter[i]
                    + "\n")
            .contains(
                "docker_image_pulls{organization=\"camunda\",image=\"zeebe\"} " + hub[i] + "\n");
      }
    } finally {
      log.close();
    }
    assertThat(log.messages())
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .contains("camunda/zeebe: Docker Hub's pull count went down from 1000 to 900")
                    .contains("dockerhub_repository_pulls_total goes on from 1000"));
  }

  @Test
  void aRecoveredTargetIsUpWithItsNewValues() throws IOException {
    collector.onSnapshot(
        Snapshots.of(T0, failed("camunda", new HubException.ServerError("503", 503))));
    assertThat(collector.view().ready()).isFalse();
    collector.onSnapshot(
        Snapshots.of(T0.plusSeconds(300), ok("camunda", repo("camunda", "zeebe", 150, 1L, null))));
    assertThat(text())
        .contains("dockerhub_target_up{target=\"camunda\"} 1.0\n")
        .contains("docker_image_pulls{organization=\"camunda\",image=\"zeebe\"} 150\n");
    assertThat(collector.view().ready()).isTrue();
  }

  @Test
  void aRepositoryThatLeftItsOrganizationDisappearsAfterTheNextSuccess() throws IOException {
    collector.onSnapshot(
        Snapshots.of(
            T0,
            ok(
                "camunda",
                repo("camunda", "zeebe", 100, 1L, null),
                repo("camunda", "old", 5, 0L, null))));
    collector.onSnapshot(
        Snapshots.of(T0.plusSeconds(300), ok("camunda", repo("camunda", "zeebe", 101, 1L, null))));
    assertThat(text()).doesNotContain("image=\"old\"").doesNotContain("repository=\"old\"");
  }

  @Test
  void aRepositoryListedDirectlyAndThroughItsOrganizationIsOneSeries() throws IOException {
    collector.onSnapshot(
        Snapshots.of(
            T0,
            ok("camunda", repo("camunda", "zeebe", 100, 1L, null)),
            ok("camunda/zeebe", repo("camunda", "zeebe", 101, 1L, null))));
    assertThat(text().lines().filter(l -> l.startsWith("docker_image_pulls{")))
        .containsExactly("docker_image_pulls{organization=\"camunda\",image=\"zeebe\"} 101");
  }

  @Test
  void anUnlimitedPullLimitIsAbsentNotZero() throws IOException {
    collector.onSnapshot(
        Snapshots.withLimits(
            T0,
            new RateLimit(180, 170, T0),
            new PullLimit(
                OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty()),
            ok("camunda", repo("camunda", "zeebe", 100, 1L, null))));
    assertThat(text())
        .doesNotContain("dockerhub_pull_limit")
        .contains("dockerhub_api_rate_limit_remaining 170.0");
  }

  @Test
  void requestCountsArePublishedWithEachRefreshAndRenderedOncePerRefresh() throws IOException {
    HubRequestMetrics requests = new HubRequestMetrics();
    PrometheusRegistry r = new PrometheusRegistry();
    SnapshotCollector counting = new SnapshotCollector(true, requests);
    r.register(counting);
    MetricsEndpoint e = new MetricsEndpoint(counting, r);
    requests.onRequest(
        new io.github.dockerpulls.hub.RequestEvent("list_repositories", 200, Duration.ZERO, 1));
    requests.onRequest(
        new io.github.dockerpulls.hub.RequestEvent("list_repositories", 0, Duration.ZERO, 1));
    counting.onSnapshot(Snapshots.goldenSnapshot());
    byte[] first = e.body(MetricsEndpoint.Variant.TEXT);
    assertThat(new String(first, StandardCharsets.UTF_8))
        .contains("dockerhub_api_requests_total{code=\"200\"} 1.0\n")
        .contains("dockerhub_api_requests_total{code=\"none\"} 1.0\n");
    assertThat(e.body(MetricsEndpoint.Variant.TEXT)).isSameAs(first);

    requests.onRequest(
        new io.github.dockerpulls.hub.RequestEvent("list_repositories", 200, Duration.ZERO, 1));
    counting.onSnapshot(Snapshots.goldenSnapshot());
    byte[] second = e.body(MetricsEndpoint.Variant.TEXT);
    assertThat(second).isNotSameAs(first);
    assertThat(new String(second, StandardCharsets.UTF_8))
        .contains("dockerhub_api_requests_total{code=\"200\"} 2.0\n");
  }
}
