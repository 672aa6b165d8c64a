package io.github.dockerpulls.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetryTest {
  private final FakeHub fake = new FakeHub();
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-22T10:00:00Z"));
  private final List<RequestEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void repository() {
    fake.repository(
        "camunda",
        "zeebe",
        FakeHub.repositoryJson("camunda", "zeebe", 9_000_000, 40, 3, "2026-11-01T00:00:00Z"));
  }

  @AfterEach
  void close() {
    fake.close();
  }

  private DockerHub hub() {
    return DockerHub.builder()
        .baseUrl(fake.url())
        .clock(clock)
        .sleeper(clock)
        .requestTimeout(Duration.ofMillis(400))
        .listener(
            new HubListener() {
              @Override
              public void onRequest(RequestEvent event) {
                events.add(event);
              }
            })
        .build();
  }

  private static MockResponse status(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "text/html")
        .body(body)
        .build();
  }

  @Test
  void aBurstOfServerErrorsIsRetriedWithGrowingJitteredWaits() {
    fake.enqueue(
        status(503, "<html>503 Service Unavailable</html>"),
        status(502, "bad gateway"),
        status(504, "<html>504 Gateway Time-out</html>"));
    try (DockerHub hub = hub()) {
      assertThat(hub.getRepository("camunda", "zeebe").pullCount()).isEqualTo(9_000_000);
    }
    assertThat(events).extracting(RequestEvent::status).containsExactly(503, 502, 504, 200);
    assertThat(events).extracting(RequestEvent::attempt).containsExactly(1, 2, 3, 4);
    List<Duration> sleeps = clock.sleeps();
    assertThat(sleeps).hasSize(3);
    assertThat(sleeps.get(0)).isLessThanOrEqualTo(Duration.ofMillis(500));
    assertThat(sleeps.get(1)).isLessThanOrEqualTo(Duration.ofMillis(1000));
    assertThat(sleeps.get(2)).isLessThanOrEqualTo(Duration.ofMillis(2000));
  }

  @Test
  void serverErrorsThatDoNotStopEndInServerError() {
    for (int i = 0; i < 6; i++) {
      fake.enqueue(status(503, "<html>503 Service Unavailable</html>"));
    }
    try (DockerHub hub = hub()) {
      assertThatThrownBy(() -> hub.getRepository("camunda", "zeebe"))
          .isInstanceOfSatisfying(
              HubException.ServerError.class, e -> assertThat(e.status()).isEqualTo(503))
          .hasMessageContaining("503")
          .hasMessageContaining("4 times");
    }
    assertThat(fake.requests()).hasSize(4);
  }

  @Test
  void otherClientErrorsAreNotRetried() {
    fake.enqueue(
        FakeHub.jsonResponse(
            400, "{\"fields\":{\"ordering\":[\"invalid\"]},\"text\":\"Invalid ordering value\"}"));
    try (DockerHub hub = hub()) {
      assertThatThrownBy(() -> hub.getRepository("camunda", "zeebe"))
          .isInstanceOfSatisfying(
              HubException.UnexpectedResponse.class, e -> assertThat(e.status()).isEqualTo(400));
    }
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void aMissingRepositoryIsNotFoundAfterOneRequest() {
    try (DockerHub hub = hub()) {
      assertThatThrownBy(() -> hub.getRepository("camunda", "nope"))
          .isInstanceOf(HubException.NotFound.class)
          .hasMessageContaining("camunda/nope");
    }
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void aTimeoutIsRetried() {
    fake.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json")
            .body("{}")
            .headersDelay(2, TimeUnit.SECONDS)
            .build());
    try (DockerHub hub = hub()) {
      assertThat(hub.getRepository("camunda", "zeebe").collaboratorCount()).hasValue(3);
    }
    assertThat(events).extracting(RequestEvent::status).containsExactly(0, 200);
  }

  @Test
  void aConnectionCutMidBodyIsRetried() {
    fake.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json")
            .body(FakeHub.repositoryJson("camunda", "zeebe", 1, 1, 1, "2026-11-01T00:00:00Z"))
            .throttleBody(64, 0, TimeUnit.MILLISECONDS)
            .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE)
            .build());
    try (DockerHub hub = hub()) {
      assertThat(hub.getRepository("camunda", "zeebe").pullCount()).isEqualTo(9_000_000);
    }
    assertThat(fake.requests()).hasSize(2);
  }

  @Test
  void anUnreachableHubGivesOneClearErrorAfterTheRetries() {
    String url = fake.url();
    fake.close();
    try (DockerHub hub = DockerHub.builder().baseUrl(url).clock(clock).sleeper(clock).build()) {
      assertThatThrownBy(() -> hub.getRepository("camunda", "zeebe"))
          .isInstanceOf(HubException.Unreachable.class)
          .hasMessageStartingWith("could not reach Docker Hub at " + url)
          .hasMessageContaining("after 4 attempts");
    }
  }
}
