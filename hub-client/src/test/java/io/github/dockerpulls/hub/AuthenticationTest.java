package io.github.dockerpulls.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthenticationTest {
  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private final FakeHub fake = new FakeHub();
  private final FakeClock clock = new FakeClock(START);

  @AfterEach
  void close() {
    fake.close();
  }

  private DockerHub hub(String identifier, String secret) {
    return DockerHub.builder()
        .baseUrl(fake.url())
        .clock(clock)
        .sleeper(clock)
        .credentials(Credentials.of(identifier, secret))
        .build();
  }

  @Test
  void credentialsAreExchangedForABearerTokenOnce() {
    fake.credentials("camunda", "dckr_oat_s3cret").organization("camunda", 120);
    fake.nextToken(FakeHub.jwt(START.plusSeconds(600)));
    try (DockerHub hub = hub("camunda", "dckr_oat_s3cret")) {
      hub.listRepositories("camunda");
    }
    List<RecordedRequest> auth = fake.requestsTo("/v2/auth/token");
    assertThat(auth).hasSize(1);
    assertThat(auth.get(0).getMethod()).isEqualTo("POST");
    assertThat(auth.get(0).getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(auth.get(0).getBody().utf8())
        .isEqualTo("{\"identifier\":\"camunda\",\"secret\":\"dckr_oat_s3cret\"}");
    assertThat(fake.requestsTo("/v2/namespaces/"))
        .allSatisfy(
            r ->
                assertThat(r.getHeaders().get("Authorization"))
                    .isEqualTo("Bearer " + FakeHub.jwt(START.plusSeconds(600))));
  }

  @Test
  void theTokenIsRenewedBeforeItsTenMinutesRunOut() {
    fake.credentials("reader", "pat")
        .repository(
            "library",
            "httpd",
            FakeHub.repositoryJson("library", "httpd", 5, 1, 0, "2026-01-01T00:00:00Z"));
    fake.nextToken(FakeHub.jwt(START.plusSeconds(600)));
    try (DockerHub hub = hub("reader", "pat")) {
      hub.getRepository("library", "httpd");
      clock.advance(Duration.ofMinutes(8));
      hub.getRepository("library", "httpd");
      assertThat(fake.requestsTo("/v2/auth/token")).hasSize(1);

      fake.nextToken(FakeHub.jwt(START.plusSeconds(1200)));
      clock.advance(Duration.ofSeconds(75)); // 9 min 15 s: within a minute of expiry
      hub.getRepository("library", "httpd");
    }
    assertThat(fake.requestsTo("/v2/auth/token")).hasSize(2);
    List<RecordedRequest> gets = fake.requestsTo("/v2/namespaces/");
    assertThat(gets.get(2).getHeaders().get("Authorization"))
        .isEqualTo("Bearer " + FakeHub.jwt(START.plusSeconds(1200)));
  }

  @Test
  void aRefusedTokenIsRenewedOnceAndTheRequestRepeated() {
    fake.credentials("reader", "pat")
        .repository(
            "library",
            "httpd",
            FakeHub.repositoryJson("library", "httpd", 5, 1, 0, "2026-01-01T00:00:00Z"));
    try (DockerHub hub = hub("reader", "pat")) {
      hub.getRepository("library", "httpd");
      fake.revokeTokens(); // the Hub forgets the token early
      fake.nextToken(FakeHub.jwt(START.plusSeconds(3600)));
      assertThat(hub.getRepository("library", "httpd").pullCount()).isEqualTo(5);
    }
    assertThat(fake.requests())
        .extracting(r -> r.getMethod() + " " + r.getUrl().encodedPath())
        .containsExactly(
            "POST /v2/auth/token",
            "GET /v2/namespaces/library/repositories/httpd",
            "GET /v2/namespaces/library/repositories/httpd",
            "POST /v2/auth/token",
            "GET /v2/namespaces/library/repositories/httpd");
  }

  @Test
  void aTokenRefusedTwiceIsUnauthorized() {
    fake.credentials("reader", "pat");
    fake.hook(
        r ->
            r.getUrl().encodedPath().startsWith("/v2/namespaces/")
                ? FakeHub.jsonResponse(401, "{\"message\":\"unauthorized\",\"errinfo\":{}}")
                : null);
    try (DockerHub hub = hub("reader", "pat")) {
      assertThatThrownBy(() -> hub.getRepository("library", "httpd"))
          .isInstanceOfSatisfying(
              HubException.Unauthorized.class, e -> assertThat(e.credentialsSent()).isTrue())
          .hasMessageContaining("401");
    }
    assertThat(fake.requestsTo("/v2/auth/token")).hasSize(2);
    assertThat(fake.requestsTo("/v2/namespaces/")).hasSize(2);
  }

  @Test
  void wrongCredentialsGiveAMessageWithoutTheSecret() {
    fake.credentials("reader", "right");
    try (DockerHub hub = hub("reader", "dckr_pat_wrong-and-secret")) {
      assertThatThrownBy(() -> hub.listRepositories("camunda"))
          .isInstanceOf(HubException.Unauthorized.class)
          .hasMessageContaining("refused the credentials of 'reader'")
          .hasMessageNotContaining("dckr_pat_wrong-and-secret");
    }
    assertThat(fake.requestsTo("/v2/namespaces/")).isEmpty();
  }

  @Test
  void credentialsNeverShowTheirSecret() {
    Credentials c = Credentials.of("reader", "dckr_pat_abcdef");
    assertThat(c.toString()).doesNotContain("dckr_pat_abcdef").contains("reader");
    try (DockerHub hub = hub("reader", "dckr_pat_abcdef")) {
      assertThat(hub.toString()).doesNotContain("dckr_pat_abcdef");
    }
  }

  @Test
  void emptySecretsAreRefusedAtOnce() {
    assertThatThrownBy(() -> Credentials.of("reader", "  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("token for reader is empty");
  }
}
