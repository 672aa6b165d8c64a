package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RatelimitCommandTest {
  private final FakeHub fake = new FakeHub();
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-22T10:00:00Z"));

  @AfterEach
  void close() {
    fake.close();
  }

  private CliRun ratelimit(Map<String, String> env, String... args) {
    return CliRun.run(
        clock,
        env,
        Stream.concat(
                Stream.of(
                    "ratelimit", "--registry-url", fake.url(), "--registry-auth-url", fake.url()),
                Stream.of(args))
            .toArray(String[]::new));
  }

  @Test
  void anAnonymousCallerSeesTheLimitOfItsAddress() {
    CliRun run = ratelimit(Map.of());
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out)
        .isEqualTo(
            "limit      100 pulls per 6h\n"
                + "remaining  76 (76%)\n"
                + "caller     anonymous (192.0.2.10)\n");
    assertThat(run.err).isEmpty();
    // The token request and a HEAD, which does not count as a pull; nothing to the Hub's API.
    assertThat(fake.requests())
        .extracting(RecordedRequest::getMethod)
        .containsExactly("GET", "HEAD");
    assertThat(fake.requests().get(0).getHeaders().get("Authorization")).isNull();
  }

  @Test
  void jsonHasTheFiguresAndTheObservationTime() {
    CliRun run = ratelimit(Map.of(), "--format", "json");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out)
        .isEqualTo(
            """
            {
              "observed_at": "2026-11-22T10:00:00Z",
              "authenticated": false,
              "unlimited": false,
              "limit": 100,
              "remaining": 76,
              "window_seconds": 21600,
              "source": "192.0.2.10"
            }
            """);
  }

  @Test
  void anAuthenticatedCallerAsksWithItsCredentialsAndTheTokenIsNeverPrinted(@TempDir Path dir)
      throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "dckr_pat_secret-value\n");
    fake.pullLimitHeaders(
        Headers.of(
            "ratelimit-limit", "200;w=21600",
            "ratelimit-remaining", "199;w=21600",
            "docker-ratelimit-source", "3f1d2c4e-0000-4000-8000-000000000000"));
    CliRun run = ratelimit(Map.of(), "--username", "reader", "--token-file", token.toString());
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out)
        .contains("limit      200 pulls per 6h")
        .contains("caller     reader (3f1d2c4e-0000-4000-8000-000000000000)");
    assertThat(fake.requests().get(0).getHeaders().get("Authorization")).startsWith("Basic ");
    assertThat(run.out + run.err).doesNotContain("secret-value");
  }

  @Test
  void aPaidAccountHasNoLimit() {
    fake.pullLimitHeaders(Headers.of());
    CliRun run = ratelimit(Map.of("DOCKERHUB_TOKEN", "t0ken"), "--username", "paid", "-f", "json");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).contains("\"unlimited\": true").doesNotContain("\"limit\"");
    CliRun text = ratelimit(Map.of("DOCKERHUB_TOKEN", "t0ken"), "--username", "paid");
    assertThat(text.out)
        .isEqualTo("no pull rate limit for this caller (paid): the registry sent no limit\n");
  }

  @Test
  void anUnreachableRegistryIsOneLineAndExitOne() {
    fake.close();
    CliRun run = ratelimit(Map.of());
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(run.out).isEmpty();
    assertThat(run.err.lines())
        .singleElement()
        .asString()
        .startsWith("dockerpulls: pull rate limit: ");
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of(List.of("ratelimit", "--registry-url", "ftp://registry"), "--registry-url: "),
        Arguments.of(List.of("ratelimit", "--registry-auth-url", "auth"), "--registry-auth-url: "),
        Arguments.of(List.of("ratelimit", "--username", "reader"), "needs a token"),
        Arguments.of(
            List.of("ratelimit", "--username", "r", "--token-file", "/nonexistent/token"),
            "--token-file: the file does not exist"),
        Arguments.of(
            List.of("ratelimit", "--format", "xml"), "Invalid value for option '--format'"),
        Arguments.of(List.of("ratelimit", "--org", "camunda"), "unknown option '--org'"));
  }

  @ParameterizedTest
  @MethodSource
  void badInput(List<String> args, String message) {
    CliRun.assertBadInput(fake, clock, args, message);
  }
}
