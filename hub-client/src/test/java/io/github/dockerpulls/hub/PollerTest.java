package io.github.dockerpulls.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.CapturedLog;
import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  private static MockResponse tooMany(long retryAfterSeconds) {
    return new MockResponse.Builder()
        .code(429)
        .addHeader("Content-Type", "application/json")
        .addHeader("Retry-After", Long.toString(retryAfterSeconds))
        .body("{\"detail\":\"Rate limit exceeded\",\"error\":false}")
        .build();
  }

  private void httpdAndALimitedCamunda(long retryAfterSeconds) {
    fake.organization("camunda", 3)
        .repository(
            "library",
            "httpd",
            FakeHub.repositoryJson(
                "library", "httpd", 2242267726L, 3318, 0, "2021-01-12T13:42:29Z"))
        .hook(
            r ->
                r.getUrl().encodedPath().startsWith("/v2/namespaces/camunda/")
                    ? tooMany(retryAfterSeconds)
                    : null);
  }

  @ParameterizedTest
  @ValueSource(longs = {120, 86_400})
  void aLongRetryAfterMarksItsTargetRateLimitedAtOnceAndTheOthersRefreshOnSchedule(
      long retryAfter) {
    httpdAndALimitedCamunda(retryAfter);
    CapturedLog log = CapturedLog.of(Poller.class);
    try (DockerHub hub = DockerHub.builder().baseUrl(fake.url()).build();
        Poller poller =
            Poller.builder()
                .hub(hub)
                .target(Target.parse("camunda"))
                .target(Target.parse("library/httpd"))
                .interval(Duration.ofMinutes(5))
                .jitter(0)
                .build()) {
      long t0 = System.nanoTime();
      Snapshot first = poller.refresh();
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(took).isLessThan(Duration.ofSeconds(10));
      TargetResult camunda = first.targets().get(0);
      assertThat(camunda.ok()).isFalse();
      assertThat(camunda.error().orElseThrow())
          .isInstanceOfSatisfying(
              HubException.RateLimited.class,
              e ->
                  assertThat(e.retryAt())
                      .isBetween(
                          first.observedAt().plusSeconds(retryAfter - 5),
                          first.observedAt().plusSeconds(retryAfter + 15)));
      assertThat(first.targets().get(1).ok()).isTrue();
      assertThat(first.repositories())
          .extracting(RepositoryStats::fullName)
          .containsExactly("library/httpd");
      // httpd answered, so the next refresh comes on schedule, not when camunda may retry.
      assertThat(poller.nextDelay(first, first.observedAt())).isEqualTo(Duration.ofMinutes(5));

      Snapshot second = poller.refresh();
      assertThat(second.targets().get(0).error().orElseThrow())
          .isInstanceOf(HubException.RateLimited.class)
          .hasMessageContaining("not asked again before");
      assertThat(second.targets().get(1).ok()).isTrue();
    } finally {
      log.close();
    }
    // camunda was asked once; httpd twice.
    assertThat(fake.requestsTo("/v2/namespaces/camunda/")).hasSize(1);
    assertThat(fake.requestsTo("/v2/namespaces/library/repositories/httpd")).hasSize(2);
    assertThat(log.messages())
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .contains("target 'camunda' is rate limited by Docker Hub")
                    .contains("asked again after 20"));
  }

  @Test
  void aRateLimitedTargetIsAskedAgainOnceItsRetryTimeHasPassedAndSaysSo() {
    FakeClock clock = new FakeClock(Instant.parse("2026-12-03T10:00:00Z"));
    httpdAndALimitedCamunda(120);
    CapturedLog log = CapturedLog.of(Poller.class);
    try (DockerHub hub = DockerHub.builder().baseUrl(fake.url()).clock(clock).build();
        Poller poller =
            Poller.builder()
                .hub(hub)
                .clock(clock)
                .target(Target.parse("camunda"))
                .target(Target.parse("library/httpd"))
                .build()) {
      assertThat(poller.refresh().targets().get(0).ok()).isFalse();
      clock.advance(Duration.ofSeconds(121));
      fake.hook(r -> null);
      Snapshot after = poller.refresh();
      assertThat(after.complete()).isTrue();
      assertThat(after.repositories()).hasSize(4);
    } finally {
      log.close();
    }
    assertThat(fake.requestsTo("/v2/namespaces/camunda/")).hasSize(2);
    assertThat(log.messages()).hasSize(2);
    assertThat(log.messages().get(1)).contains("target 'camunda' answers again");
  }

  @Test
  void aHubSlowerThanTheTargetsBudgetFailsThatTargetInTimeAndDelaysNoOther() {
    fake.organization("camunda", 3)
        .repository(
            "library",
            "httpd",
            FakeHub.repositoryJson(
                "library", "httpd", 2242267726L, 3318, 0, "2021-01-12T13:42:29Z"))
        .hook(
            r ->
                r.getUrl().encodedPath().startsWith("/v2/namespaces/camunda/")
                    ? new MockResponse.Builder()
                        .headersDelay(4, TimeUnit.SECONDS)
                        .addHeader("Content-Type", "application/json")
                        .body("{}")
                        .build()
                    : null);
    try (DockerHub hub =
            DockerHub.builder()
                .baseUrl(fake.url())
                .requestTimeout(Duration.ofSeconds(3))
                .retryPolicy(
                    new RetryPolicy(
                        4, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(60)))
                .build();
        Poller poller =
            Poller.builder()
                .hub(hub)
                .target(Target.parse("camunda"))
                .target(Target.parse("library/httpd"))
                .targetTimeout(Duration.ofSeconds(1))
                .build()) {
      long t0 = System.nanoTime();
      Snapshot snapshot = poller.refresh();
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      // 4 tries of 3 s would be 12 s; the budget of 1 s cuts the first one off.
      assertThat(took).isLessThan(Duration.ofMillis(2_500));
      assertThat(snapshot.targets().get(0).error().orElseThrow())
          .isInstanceOf(HubException.Unreachable.class)
          .hasMessageContaining("did not answer")
          .hasMessageContaining("in the time allowed");
      assertThat(snapshot.targets().get(1).ok()).isTrue();
    }
  }

  @Test
  void alignedPollersRefreshOncePerPeriodAndObserveAtItsStart() {
    fake.organization("camunda", 1);
    FakeClock clock = new FakeClock(Instant.parse("2026-12-03T10:03:17.250Z"));
    try (DockerHub hub = hub();
        Poller poller =
            Poller.builder()
                .hub(hub)
                .clock(clock)
                .target(Target.parse("camunda"))
                .interval(Duration.ofMinutes(5))
                .jitter(0.1)
                .alignToInterval(true)
                .build()) {
      Snapshot first = poller.refresh();
      assertThat(first.observedAt()).isEqualTo(Instant.parse("2026-12-03T10:00:00Z"));
      for (int i = 0; i < 100; i++) {
        // The next refresh: at 10:05 plus up to 30 s, never within the current period.
        assertThat(poller.nextDelay(first, clock.instant()))
            .isBetween(Duration.parse("PT1M42.75S"), Duration.parse("PT2M12.75S"));
      }
      // A timer that fires a little early still counts for the period it was meant for.
      assertThat(poller.periodOf(Instant.parse("2026-12-03T10:04:59.400Z")))
          .isEqualTo(Instant.parse("2026-12-03T10:05:00Z"));
      assertThat(poller.periodOf(Instant.parse("2026-12-03T10:09:58Z")))
          .isEqualTo(Instant.parse("2026-12-03T10:05:00Z"));
    }
  }

  @Test
  void anErrorInAListenerIsCountedAndTheRefreshingGoesOn() throws InterruptedException {
    fake.organization("camunda", 1);
    BlockingQueue<Snapshot> delivered = new LinkedBlockingQueue<>();
    CapturedLog log = CapturedLog.of(Poller.class);
    try (DockerHub hub = hub();
        Poller poller =
            Poller.builder()
                .hub(hub)
                .target(Target.parse("camunda"))
                .interval(Duration.ofSeconds(1))
                .jitter(0)
                .listener(
                    s -> {
                      throw new OutOfMemoryError("Java heap space (injected)");
                    })
                .listener(delivered::add)
                .build()) {
      poller.start();
      for (int i = 0; i < 3; i++) {
        assertThat(delivered.poll(5, TimeUnit.SECONDS)).as("refresh %d", i + 1).isNotNull();
      }
      assertThat(poller.listenerFailures()).isGreaterThanOrEqualTo(3);
      assertThat(poller.refreshFailures()).isZero();
    } finally {
      log.close();
    }
    assertThat(log.records())
        .allSatisfy(r -> assertThat(r.getMessage()).doesNotContain("\n"))
        .anySatisfy(
            r ->
                assertThat(r.getMessage())
                    .contains("a snapshot listener failed")
                    .contains("OutOfMemoryError: Java heap space (injected)"));
  }

  @Test
  void aRefreshThatDiesOfAnErrorIsCountedAndTheNextOneStillRuns() throws InterruptedException {
    fake.organization("camunda", 1);
    BlockingQueue<Snapshot> delivered = new LinkedBlockingQueue<>();
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    // The clock fails the first refresh (its first reading) with an Error, then works.
    java.time.Clock failingOnce =
        new java.time.Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
          }

          @Override
          public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            if (calls.getAndIncrement() == 0) {
              throw new StackOverflowError("injected");
            }
            return Instant.now();
          }
        };
    CapturedLog log = CapturedLog.of(Poller.class);
    try (DockerHub hub = hub();
        Poller poller =
            Poller.builder()
                .hub(hub)
                .target(Target.parse("camunda"))
                .interval(Duration.ofSeconds(1))
                .jitter(0)
                .clock(failingOnce)
                .listener(delivered::add)
                .build()) {
      poller.start();
      assertThat(delivered.poll(5, TimeUnit.SECONDS)).isNotNull();
      assertThat(poller.refreshFailures()).isEqualTo(1);
    } finally {
      log.close();
    }
    assertThat(log.records())
        .anySatisfy(
            r ->
                assertThat(r.getMessage()).contains("a refresh failed, the next one is scheduled"));
  }
}
