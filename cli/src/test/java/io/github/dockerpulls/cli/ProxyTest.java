package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.FakeHub;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTP_PROXY, HTTPS_PROXY and NO_PROXY are honoured as other tools honour them. */
class ProxyTest {
  /** Plays the proxy: an http:// request through a proxy arrives with its whole URL. */
  private final FakeHub proxy = new FakeHub();

  @AfterEach
  void close() {
    proxy.close();
  }

  private CliRun export(Map<String, String> env) {
    return CliRun.run(
        Clock.systemUTC(),
        env,
        "export",
        "--hub-url",
        "http://hub.example.invalid",
        "--org",
        "camunda",
        "--no-history",
        "-f",
        "json");
  }

  @Test
  void requestsGoThroughTheProxyTheEnvironmentNames() {
    proxy.organization("camunda", 2);
    CliRun run = export(Map.of("HTTP_PROXY", proxy.url()));
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(proxy.requests())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.getHeaders().get("Host")).isEqualTo("hub.example.invalid"));
  }

  @Test
  void noProxyNamesHostsReachedDirectlyAndAnUnreachableHubSaysWhatToCheck() {
    CliRun run =
        export(Map.of("http_proxy", proxy.url(), "NO_PROXY", "localhost, .example.invalid"));
    assertThat(run.exitCode).isEqualTo(ExitCode.FAILED);
    assertThat(proxy.requests()).isEmpty();
    assertThat(run.err)
        .contains("could not reach Docker Hub at http://hub.example.invalid/")
        .contains("check the network, DNS and any proxy: HTTPS_PROXY");
  }

  @Test
  void ratelimitGoesThroughTheSameProxy() {
    CliRun run =
        CliRun.run(
            Clock.systemUTC(),
            Map.of("HTTP_PROXY", proxy.url()),
            "ratelimit",
            "--registry-url",
            "http://registry.example.invalid",
            "--registry-auth-url",
            "http://auth.example.invalid");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).contains("limit      100 pulls per 6h");
    assertThat(proxy.requests())
        .extracting(r -> r.getHeaders().get("Host"))
        .containsExactly("auth.example.invalid", "registry.example.invalid");
  }

  @Test
  void ratelimitRefusesAProxyUrlWithCredentialsToo() {
    CliRun run =
        CliRun.run(
            Clock.systemUTC(), Map.of("HTTPS_PROXY", "http://user:secret@proxy:3128"), "ratelimit");
    assertThat(run.exitCode).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(run.err)
        .contains("HTTPS_PROXY carries a user and password")
        .doesNotContain("secret");
    assertThat(proxy.requests()).isEmpty();
  }

  @Test
  void aProxyUrlWithCredentialsIsRefusedInOneLine() {
    CliRun run = export(Map.of("HTTPS_PROXY", "http://user:secret@proxy:3128"));
    assertThat(run.exitCode).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(run.err)
        .contains("HTTPS_PROXY carries a user and password")
        .doesNotContain("secret");
  }
}
