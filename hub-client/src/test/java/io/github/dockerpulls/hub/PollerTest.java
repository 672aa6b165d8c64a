package io.github.dockerpulls.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.CapturedLog;
import io.github.dockerpulls.hub.testing.FakeHub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PollerTest {
  private final FakeHub fake = new FakeHub();

  @AfterEach
  void close() {
    fake.close();
  }

  private DockerHub hub() {
    return DockerHub.builder().baseUrl(fake.url()).retryPolicy(RetryPolicy.NONE).build();
  }

  @Test
  void aFailingTargetKeepsItsErrorAndTheOthersStillDeliver() {
    fake.organization("camunda", 3)
        .repository(
            "library",
            "httpd",
            FakeHub.repositoryJson(
                "library", "httpd", 2242267726L, 3318, 0, "2021-01-12T13:42:29Z"));
    try (DockerHub hub = hub();
        Poller poller =
            Poller.builder()
                .hub(hub)
                .target(Target.parse("library/gone"))
                .target(Target.parse("camunda"))
                .target(Target.parse("library/httpd"))
                .build()) {
      Snapshot snapshot = poller.refresh();
      assertThat(snapshot.complete()).isFalse();
      assertThat(snapshot.targets())
          .extracting(TargetResult::ok)
          .containsExactly(false, true, true);
      assertThat(snapshot.failures().get(0).error())
          .get()
          .isInstanceOf(HubException.NotFound.class);
      assertThat(snapshot.repositories())
          .extracting(RepositoryStats::fullName)
          .containsExactly(
              "camunda/repo-00001", "camunda/repo-00002", "camunda/repo-00003", "library/httpd");
    }
  }

  @Test
  void aRepositoryReachedThroughItsOrganizationAndDirectlyAppearsOnceWithTheDirectFigures() {
    fake.organizationItems(
            "camunda",
            List.of(
                FakeHub.listItem("camunda", "zeebe", 100, 4, "2026-11-01T00:00:00Z"),
                FakeHub.listItem("camunda", "operate", 50, 1, "2026-11-01T00:00:00Z")))
        .repository(
            "camunda",
            "zeebe",
            FakeHub.repositoryJson("camunda", "zeebe", 101, 4, 7, "2026-11-01T00:00:00Z"));
    try (DockerHub hub = hub();
        Poller poller =
            Poller.builder()
                .hub(hub)
                .target(Target.parse("camunda/zeebe"))
                .target(Target.parse("camunda"))
                .target(Target.parse("camunda")) // given twice: asked once
                .build()) {
      Snapshot snapshot = poller.refresh();
      assertThat(snapshot.repositories()).hasSize(2);
      RepositoryStats zeebe = snapshot.repositories().get(1);
      assertThat(zeebe.name()).isEqualTo("zeebe");
      assertThat(zeebe.pullCount()).isEqualTo(101);
      assertThat(zeebe.collaboratorCount()).hasValue(7);
      assertThat(snapshot.targets()).hasSize(2);
    }
    assertThat(fake.requestsTo("/v2/namespaces/camunda/repositories")).hasSize(2);
  }

  @Test
  void anEmptyOrganizationIsReportedAsSuch() {
    try (DockerHub hub = hub();
        Poller poller = Poller.builder().hub(hub).target(Target.parse("typo")).build()) {
      TargetResult result = poller.refresh().targets().get(0);
      assertThat(result.ok()).isTrue();
      assertThat(result.okButEmpty()).isTrue();
    }
  }

  @Test
  void theNextRefreshWaitsAsLongAsTheHubAsked() {
    Instant now = Instant.parse("2026-11-22T10:00:00Z");
    try (DockerHub hub = hub();
        Poller poller =
            Poller.builder()
                .hub(hub)
                .target(Target.parse("camunda"))
                .interval(Duration.ofMinutes(5))
                .jitter(0)
                .build()) {
      Snapshot limited =
          Snapshot.of(
              now,
              Duration.ZERO,
              List.of(
                  TargetResult.failure(
                      Target.parse("camunda"),
                      new HubException.RateLimited("slow down", now.plus(Duration.ofMinutes(12))))),
              Optional.empty(),
              Optional.empty());
      assertThat(poller.nextDelay(limited, now)).isEqualTo(Duration.ofMinutes(12));

      Snapshot fine =
          Snapshot.of(now, Duration.ZERO, List.of(), Optional.empty(), Optional.empty());
      assertThat(poller.nextDelay(fine, now)).isEqualTo(Duration.ofMinutes(5));
    }
  }

  @Test
  void jitterKeepsTheDelayWithinItsShareOfTheInterval() {
    Instant now = Instant.parse("2026-11-22T10:00:00Z");
    Snapshot fine = Snapshot.of(now, Duration.ZERO, List.of(), Optional.empty(), Optional.empty());
    try (DockerHub hub = hub();
        Poller poller =
            Poller.builder()
                .hub(hub)
                .target(Target.parse("camunda"))
                .interval(Duration.ofMinutes(5))
                .jitter(0.1)
                .build()) {
      for (int i = 0; i < 200; i++) {
        assertThat(poller.nextDelay(fine, now))
            .isBetween(Duration.ofSeconds(270), Duration.ofSeconds(330));
      }
    }
  }

  @Test
  void startDeliversTheFirstSnapshotAtOnceAndThenEveryInterval() throws InterruptedException {
    fake.organization("camunda", 2);
    BlockingQueue<Snapshot> delivered = new LinkedBlockingQueue<>();
    try (DockerHub hub = hub();
        Poller poller =
            Poller.builder()
                .hub(hub)
                .target(Target.parse("camunda"))
                .interval(Duration.ofSeconds(1))
                .jitter(0)
                .listener(delivered::add)
                .build()) {
      poller.start();
      Snapshot first = delivered.poll(5, TimeUnit.SECONDS);
      Snapshot second = delivered.poll(5, TimeUnit.SECONDS);
      assertThat(first).isNotNull();
      assertThat(second).isNotNull();
      assertThat(second.observedAt()).isAfter(first.observedAt());
    }
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheOthers() {
    fake.organization("camunda", 1);
    BlockingQueue<Snapshot> delivered = new LinkedBlockingQueue<>();
    // The failure is logged (with its stack trace, for the operator); captured here rather than
    // printed, so a passing run's log shows no stack trace.
    CapturedLog log = CapturedLog.of(Poller.class);
    try (DockerHub hub = hub();
        Poller poller =
            Poller.builder()
                .hub(hub)
                .target(Target.parse("camunda"))
                .listener(
                    s -> {
                      throw new IllegalStateException("broken output");
                    })
                .listener(delivered::add)
                .build()) {
      poller.refresh();
    } finally {
      log.close();
    }
    assertThat(delivered).hasSize(1);
    assertThat(log.records())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
              assertThat(r.getMessage()).contains("a snapshot listener failed");
              assertThat(r.getThrown()).hasMessage("broken output");
            });
  }
}
