package io.github.dockerpulls.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.hub.testing.FakeHub;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Base64;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PullLimitTest {
  private final FakeHub fake = new FakeHub();

  @AfterEach
  void close() {
    fake.close();
  }

  private DockerHub hub(Credentials credentials) {
    return DockerHub.builder()
        .baseUrl(fake.url())
        .registryAuthUrl(fake.url())
        .registryUrl(fake.url())
        .credentials(credentials)
        .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "text/html"})
  void aTokenServiceThatAnswers404IsReportedAsAWrongAuthUrl(String type) {
    fake.hook(
        r ->
            r.getUrl().encodedPath().equals("/token")
                ? new mockwebserver3.MockResponse.Builder()
                    .code(404)
                    .addHeader("Content-Type", type)
                    .body(type.contains("json") ? "{\"message\":\"not found\"}" : "<h1>404</h1>")
                    .build()
                : null);
    try (DockerHub hub = hub(null)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(hub::pullLimit)
          .isInstanceOf(HubException.UnexpectedResponse.class)
          .hasMessageStartingWith("the registry's token service at " + fake.url() + "/token")
          .hasMessageContaining("answered 404 Not Found: is the registry auth URL")
          .hasMessageNotContaining("Docker Hub does not know");
    }
  }

  @Test
  void anonymousProbeAsksForATokenThenHeadsTheManifest() {
    PullLimit limit;
    try (DockerHub hub = hub(null)) {
      limit = hub.pullLimit();
    }
    assertThat(limit.limit()).hasValue(100);
    assertThat(limit.remaining()).hasValue(76);
    assertThat(limit.window()).hasValue(Duration.ofHours(6));
    assertThat(limit.source()).hasValue("192.0.2.10");
    assertThat(limit.isUnlimited()).isFalse();

    RecordedRequest token = fake.requests().get(0);
    assertThat(token.getUrl().encodedPath()).isEqualTo("/token");
    assertThat(token.getUrl().queryParameter("service")).isEqualTo("registry.docker.io");
    assertThat(token.getUrl().queryParameter("scope"))
        .isEqualTo("repository:ratelimitpreview/test:pull");
    assertThat(token.getHeaders().get("Authorization")).isNull();
    RecordedRequest head = fake.requests().get(1);
    assertThat(head.getMethod()).isEqualTo("HEAD");
    assertThat(head.getUrl().encodedPath()).isEqualTo("/v2/ratelimitpreview/test/manifests/latest");
    assertThat(head.getHeaders().get("Authorization")).isEqualTo("Bearer registry-token");
  }

  @Test
  void aPlainHttpHubStillReachesAnHttpsRegistryOverTls() throws Exception {
    // The Hub client skips TLS for a plain-HTTP Hub; the probe must then build a TLS client of
    // its own. The "registry" here accepts a connection and closes it at once, so the probe
    // fails in the TLS handshake: proof that it spoke TLS rather than refusing the scheme.
    try (ServerSocket registry = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread closer =
          new Thread(
              () -> {
                while (!registry.isClosed()) {
                  try {
                    Socket accepted = registry.accept();
                    accepted.close();
                  } catch (IOException closedOrDone) {
                    return;
                  }
                }
              });
      closer.setDaemon(true);
      closer.start();
      String https = "https://127.0.0.1:" + registry.getLocalPort();
      try (DockerHub hub =
          DockerHub.builder()
              .baseUrl(fake.url())
              .registryAuthUrl(https)
              .registryUrl(https)
              .retryPolicy(RetryPolicy.NONE)
              .build()) {
        assertThatThrownBy(hub::pullLimit)
            .isInstanceOf(HubException.Unreachable.class)
            .hasCauseInstanceOf(javax.net.ssl.SSLException.class);
      }
    }
  }

  @Test
  void anAuthenticatedProbeSendsBasicCredentialsToTheTokenService() {
    try (DockerHub hub = hub(Credentials.of("reader", "dckr_pat_x"))) {
      hub.pullLimit();
    }
    assertThat(fake.requests().get(0).getHeaders().get("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("reader:dckr_pat_x".getBytes()));
  }

  @Test
  void missingHeadersMeanAnUnlimitedAccount() {
    fake.pullLimitHeaders(Headers.of());
    try (DockerHub hub = hub(null)) {
      PullLimit limit = hub.pullLimit();
      assertThat(limit.isUnlimited()).isTrue();
      assertThat(limit.remaining()).isEmpty();
      assertThat(limit.window()).isEmpty();
    }
  }

  @Test
  void emptyNumbersAreUnknownNotACrash() {
    fake.pullLimitHeaders(
        Headers.of("ratelimit-limit", ";w=21600", "ratelimit-remaining", ";w=21600"));
    try (DockerHub hub = hub(null)) {
      PullLimit limit = hub.pullLimit();
      assertThat(limit.limit()).isEmpty();
      assertThat(limit.remaining()).isEmpty();
      assertThat(limit.window()).hasValue(Duration.ofHours(6));
    }
  }

  @Test
  void theWindowIsReadFromTheHeaderNotAssumed() {
    fake.pullLimitHeaders(
        Headers.of(
            "RateLimit-Limit",
            "100;w=3600",
            "RateLimit-Remaining",
            "0;w=3600",
            "Docker-RateLimit-Source",
            "2001:db8::"));
    try (DockerHub hub = hub(null)) {
      PullLimit limit = hub.pullLimit();
      assertThat(limit.limit()).hasValue(100);
      assertThat(limit.remaining()).hasValue(0);
      assertThat(limit.window()).hasValue(Duration.ofHours(1));
      assertThat(limit.source()).hasValue("2001:db8::");
    }
  }
}
