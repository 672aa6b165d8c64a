package io.github.dockerpulls.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  private static final Instant START = Instant.parse("2025-05-01T22:01:18Z");
  private final FakeHub fake = new FakeHub();
  private final FakeClock clock = new FakeClock(START);

  /** The fake clock's time when each request reached the server. */
  private final List<Instant> arrivals = new CopyOnWriteArrayList<>();

  @BeforeEach
  void record() {
    fake.repository(
        "library",
        "httpd",
        FakeHub.repositoryJson(
            "library", "httpd", 2242267726L, 3318, 0, "2021-01-12T13:42:29.184204Z"));
    fake.hook(
        r -> {
          arrivals.add(clock.instant());
          return null;
        });
  }

  @AfterEach
  void close() {
    fake.close();
  }

  private DockerHub hub() {
    return DockerHub.builder().baseUrl(fake.url()).clock(clock).sleeper(clock).build();
  }

  private static MockResponse tooMany(String... headers) {
    MockResponse.Builder b =
        new MockResponse.Builder()
            .code(429)
            .addHeader("Content-Type", "application/json")
            .body("{\"detail\":\"Rate limit exceeded\",\"error\":false}");
    for (int i = 0; i < headers.length; i += 2) {
      b.addHeader(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  @Test
  void retryAfterInSecondsIsWaitedOut() {
    fake.enqueue(tooMany("Retry-After", "7"));
    try (DockerHub hub = hub()) {
      assertThat(hub.getRepository("library", "httpd").pullCount()).isEqualTo(2242267726L);
    }
    assertThat(arrivals).hasSize(2);
    assertThat(Duration.between(arrivals.get(0), arrivals.get(1)))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void everyWaitIsAnnouncedToListenersWithItsEndAndReason() {
    fake.enqueue(tooMany("Retry-After", "7"));
    List<String> waits = new CopyOnWriteArrayList<>();
    try (DockerHub hub =
        DockerHub.builder()
            .baseUrl(fake.url())
            .clock(clock)
            .sleeper(clock)
            .listener(
                new HubListener() {
                  @Override
                  public void onRateLimitWait(Instant until, String reason) {
                    waits.add(until + " " + reason);
                  }
                })
            .build()) {
      hub.getRepository("library", "httpd");
    }
    assertThat(waits)
        .singleElement()
        .asString()
        .startsWith(START.plusSeconds(7) + " Docker Hub answered 429 Too Many Requests (")
        .contains("/v2/namespaces/library/repositories/httpd");
  }

  @Test
  void retryAfterAsAnEpochTimeIsWaitedOutUntilThatTime() {
    // As captured in 2025: retry-after carried the same epoch as x-ratelimit-reset.
    fake.enqueue(
        tooMany(
            "x-ratelimit-limit",
            "180",
            "x-ratelimit-remaining",
            "0",
            "x-ratelimit-reset",
            "1746136938",
            "retry-after",
            "1746136938"));
    try (DockerHub hub = hub()) {
      hub.getRepository("library", "httpd");
    }
    assertThat(arrivals.get(1)).isAfterOrEqualTo(Instant.ofEpochSecond(1746136938));
    assertThat(clock.totalSlept()).isLessThan(Duration.ofMinutes(2));
  }

  @Test
  void xRetryAfterIsHonouredWhenRetryAfterIsMissing() {
    fake.enqueue(tooMany("X-Retry-After", Long.toString(START.getEpochSecond() + 30)));
    try (DockerHub hub = hub()) {
      hub.getRepository("library", "httpd");
    }
    assertThat(arrivals.get(1)).isAfterOrEqualTo(START.plusSeconds(30));
  }

  @Test
  void aWaitLongerThanTheBudgetEndsInRateLimitedWithTheRetryTimeAndHoldsNoOtherRequest() {
    fake.enqueue(tooMany("Retry-After", "3600"));
    try (DockerHub hub = hub()) {
      assertThatThrownBy(() -> hub.getRepository("library", "httpd"))
          .isInstanceOfSatisfying(
              HubException.RateLimited.class,
              e -> assertThat(e.retryAt()).isEqualTo(START.plusSeconds(3600)))
          .hasMessageContaining("Rate limit exceeded");
      // Not waited for, so not imposed on the next request either: the Hub answers it itself
      // (a poller's other targets are asked as usual).
      hub.getRepository("library", "httpd");
    }
    assertThat(arrivals).hasSize(2);
    assertThat(clock.totalSlept()).isEqualTo(Duration.ZERO);
  }

  @Test
  void aBudgetThatResetsLaterThanARequestMayWaitFailsAtOnceWithNothingSent() {
    fake.rateLimitHeaders(
        Headers.of(
            "X-RateLimit-Limit",
            "180",
            "X-RateLimit-Remaining",
            "0",
            "X-RateLimit-Reset",
            Long.toString(START.getEpochSecond() + 600)));
    try (DockerHub hub = hub()) {
      hub.getRepository("library", "httpd");
      assertThatThrownBy(() -> hub.getRepository("library", "httpd"))
          .isInstanceOfSatisfying(
              HubException.RateLimited.class,
              e -> assertThat(e.retryAt()).isEqualTo(START.plusSeconds(600)))
          .hasMessageContaining("was not sent");
    }
    assertThat(arrivals).hasSize(1);
    assertThat(clock.totalSlept()).isEqualTo(Duration.ZERO);
  }

  @Test
  void aRetryAfterLongerThanTheTimeAllowedIsNotWaitedFor() {
    fake.enqueue(tooMany("Retry-After", "30"));
    try (DockerHub hub = hub()) {
      assertThatThrownBy(() -> hub.getRepository("library", "httpd", Duration.ofSeconds(10)))
          .isInstanceOf(HubException.RateLimited.class);
    }
    assertThat(clock.totalSlept()).isEqualTo(Duration.ZERO);
  }

  @Test
  void noRemainingRequestsHoldsTheNextRequestUntilTheReset() {
    fake.rateLimitHeaders(
        Headers.of(
            "X-RateLimit-Limit",
            "180",
            "X-RateLimit-Remaining",
            "0",
            "X-RateLimit-Reset",
            Long.toString(START.getEpochSecond() + 42)));
    try (DockerHub hub = hub()) {
      hub.getRepository("library", "httpd");
      assertThat(hub.rateLimit()).hasValue(new RateLimit(180, 0, START.plusSeconds(42)));
      hub.getRepository("library", "httpd");
    }
    assertThat(arrivals.get(1)).isAfterOrEqualTo(START.plusSeconds(42));
  }

  @Test
  void fewRemainingRequestsAreSpacedOutUntilTheReset() {
    fake.rateLimitHeaders(
        Headers.of(
            "X-RateLimit-Limit",
            "180",
            "X-RateLimit-Remaining",
            "3",
            "X-RateLimit-Reset",
            Long.toString(START.getEpochSecond() + 40)));
    try (DockerHub hub = hub()) {
      hub.getRepository("library", "httpd");
      hub.getRepository("library", "httpd");
    }
    // 40 s left for 3 requests: the next waits 40 / (3 + 1) = 10 s.
    assertThat(Duration.between(arrivals.get(0), arrivals.get(1)))
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void plentyOfRemainingRequestsMeansNoWaiting() {
    fake.rateLimitHeaders(
        Headers.of(
            "X-RateLimit-Limit",
            "180",
            "X-RateLimit-Remaining",
            "175",
            "X-RateLimit-Reset",
            Long.toString(START.getEpochSecond() + 40)));
    try (DockerHub hub = hub()) {
      hub.getRepository("library", "httpd");
      hub.getRepository("library", "httpd");
    }
    assertThat(clock.sleeps()).isEmpty();
  }

  @Test
  void theBudgetIsReportedToListeners() {
    List<RateLimit> seen = new CopyOnWriteArrayList<>();
    fake.rateLimitHeaders(
        Headers.of(
            "x-ratelimit-limit",
            "180",
            "x-ratelimit-remaining",
            "175",
            "x-ratelimit-reset",
            "1613958012"));
    try (DockerHub hub =
        DockerHub.builder()
            .baseUrl(fake.url())
            .listener(
                new HubListener() {
                  @Override
                  public void onRateLimit(RateLimit rateLimit) {
                    seen.add(rateLimit);
                  }
                })
            .build()) {
      hub.getRepository("library", "httpd");
    }
    assertThat(seen).containsExactly(new RateLimit(180, 175, Instant.ofEpochSecond(1613958012)));
  }
}
