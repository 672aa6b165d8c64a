package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExportCommandTest {
  private final FakeHub fake = new FakeHub();
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-22T10:00:00Z"));

  @BeforeEach
  void hub() {
    fake.organizationItems(
            "camunda",
            List.of(
                FakeHub.listItem(
                    "camunda",
                    "camunda-bpm-platform",
                    123_456_789L,
                    450,
                    "2026-11-20T08:15:00.123456Z"),
                FakeHub.listItem("camunda", "zeebe", 9_876_543L, 120, "2026-11-21T17:45:30Z"),
                "{\"name\":\"operate\",\"namespace\":\"camunda\",\"pull_count\":2.244658322e+09}"))
        .repository(
            "library",
            "httpd",
            FakeHub.repositoryJson(
                "library", "httpd", 2_242_267_726L, 3318, 0, "2021-01-12T13:42:29.184204Z"));
  }

  @AfterEach
  void close() {
    fake.close();
  }

  private CliRun export(String... args) {
    return CliRun.run(
        clock,
        Map.of(),
        Stream.concat(Stream.of("export", "--hub-url", fake.url()), Stream.of(args))
            .toArray(String[]::new));
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = ExportCommandTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void tableMatchesItsGoldenFile() throws IOException {
    CliRun run = export("--org", "camunda", "--repo", "library/httpd");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).isEqualTo(golden("export.table.txt"));
    assertThat(run.err).isEmpty();
  }

  @Test
  void jsonMatchesItsGoldenFile() throws IOException {
    CliRun run = export("--org", "camunda", "--repo", "library/httpd", "--format", "json");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).isEqualTo(golden("export.json"));
  }

  @Test
  void aFailedTargetIsReportedOnStderrAndTheRestPrintedWithExitThree() throws IOException {
    CliRun run = export("--org", "camunda", "--repo", "library/nosuchimage", "--format", "json");
    assertThat(run.exitCode).isEqualTo(ExitCode.PARTIAL);
    assertThat(run.out).contains("\"kind\": \"not_found\"").contains("camunda-bpm-platform");
    assertThat(run.err.lines())
        .containsExactly(
            "dockerpulls: library/nosuchimage: Docker Hub does not know the repository library/nosuchimage"
                + " (or it is private: authenticate to see it)");
  }

  @Test
  void whenNothingCouldBeReadTheExitCodeIsOneAndNothingIsPrinted() {
    fake.close();
    CliRun run = export("--org", "camunda");
    assertThat(run.exitCode).isEqualTo(ExitCode.FAILED);
    assertThat(run.out).isEmpty();
    assertThat(run.err.lines()).hasSize(1);
    assertThat(run.err).startsWith("dockerpulls: camunda: could not reach Docker Hub at");
  }

  @Test
  void anonymousCallersOverTheCapAreToldWhichOptionsAuthenticate() {
    fake.organization("bigorg", 150);
    CliRun run = export("--org", "bigorg");
    assertThat(run.exitCode).isEqualTo(ExitCode.FAILED);
    assertThat(run.err).contains("--username NAME --token-file FILE").contains("DOCKERHUB_TOKEN");
  }

  @Test
  void credentialsFromTheTokenFileAreUsedAndNeverPrinted(@TempDir Path dir) throws IOException {
    fake.credentials("reader", "dckr_pat_very-secret").organization("bigorg", 150);
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, "dckr_pat_very-secret\n");
    CliRun run =
        export(
            "--org",
            "bigorg",
            "--username",
            "reader",
            "--token-file",
            tokenFile.toString(),
            "-f",
            "json");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).contains("repo-00150").doesNotContain("dckr_pat_very-secret");
    assertThat(fake.requestsTo("/v2/auth/token").get(0).getBody().utf8())
        .contains("dckr_pat_very-secret");
  }

  @Test
  void credentialsComeFromTheEnvironmentToo() {
    fake.credentials("reader", "from-env").organization("bigorg", 150);
    CliRun run =
        CliRun.run(
            clock,
            Map.of("DOCKERHUB_TOKEN", "from-env"),
            "export",
            "--hub-url",
            fake.url(),
            "--username",
            "reader",
            "--org",
            "bigorg",
            "-f",
            "json");
    assertThat(run.exitCode).as(run.toString()).isZero();
  }

  @Test
  void wrongCredentialsAreOneLineWithoutTheSecret() {
    fake.credentials("reader", "right");
    CliRun run =
        CliRun.run(
            clock,
            Map.of("DOCKERHUB_TOKEN", "wrong-secret-value"),
            "export",
            "--hub-url",
            fake.url(),
            "--username",
            "reader",
            "--org",
            "camunda");
    assertThat(run.exitCode).isEqualTo(ExitCode.FAILED);
    assertThat(run.err.lines()).hasSize(1);
    assertThat(run.err)
        .contains("refused the credentials of 'reader'")
        .doesNotContain("wrong-secret-value");
  }

  @Test
  void anEmptyOrganizationIsAWarning() {
    CliRun run = export("--org", "typo");
    assertThat(run.exitCode).isZero();
    assertThat(run.err).contains("warning: typo: Docker Hub lists no public repositories");
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of(List.of("export"), "nothing to read"),
        Arguments.of(List.of("export", "--org"), "Missing required parameter for option '--org'"),
        Arguments.of(List.of("export", "--org", ""), "invalid namespace '': it is empty"),
        Arguments.of(List.of("export", "--org", "cam unda"), "contains white space"),
        Arguments.of(List.of("export", "--org", "Camunda"), "upper case"),
        Arguments.of(List.of("export", "--org", "camunda/zeebe"), "an organization has no '/'"),
        Arguments.of(List.of("export", "--org", ".."), "invalid namespace '..'"),
        Arguments.of(List.of("export", "--org", "-camunda"), "must not start or end with '-'"),
        Arguments.of(List.of("export", "--org", "camunda-"), "must not start or end with '-'"),
        Arguments.of(List.of("export", "--org", "a".repeat(31)), "Docker Hub allows at most 30"),
        Arguments.of(List.of("export", "--repo", "httpd"), "exactly one '/'"),
        Arguments.of(List.of("export", "--repo", "a/b/c"), "exactly one '/'"),
        Arguments.of(List.of("export", "--repo", "library/%2F.."), "URL character"),
        Arguments.of(
            List.of("export", "--org", "camunda", "--format", "yaml"),
            "Invalid value for option '--format'"),
        Arguments.of(
            List.of("export", "--org", "camunda", "--hub-url", "ftp://hub"),
            "--hub-url: Docker Hub URL must be an http"),
        Arguments.of(
            List.of("export", "--org", "camunda", "--username", "reader"), "needs a token"),
        Arguments.of(
            List.of(
                "export",
                "--org",
                "camunda",
                "--username",
                "r",
                "--token-file",
                "/nonexistent/token"),
            "--token-file: cannot read /nonexistent/token"),
        Arguments.of(List.of("export", "--org", "camunda", "--bogus"), "Unknown option: '--bogus'"),
        Arguments.of(List.of("exprot"), "Unmatched argument at index 0: 'exprot'"),
        Arguments.of(List.of(), "missing command"));
  }

  @ParameterizedTest
  @MethodSource
  void badInput(List<String> args, String message) {
    CliRun.assertBadInput(fake, clock, args, message);
  }

  @Test
  void helpListsTheOptionsAndExitCodes() {
    CliRun run = CliRun.run(clock, Map.of(), "export", "--help");
    assertThat(run.exitCode).isZero();
    assertThat(run.out)
        .contains(
            "--org=NAME",
            "--repo=NS/NAME",
            "--hub-url=URL",
            "--token-file=FILE",
            "table, json",
            "3  some targets failed");
  }
}
