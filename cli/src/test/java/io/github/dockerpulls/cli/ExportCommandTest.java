package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.exporter.testing.Snapshots;
import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
      if (in == null) {
        return "(no golden file " + name + ")";
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Checks {@code actual} against {@code golden/NAME}; on a mismatch the actual text is kept in
   * target/golden-actual/NAME for review.
   */
  static void assertGolden(String actual, String name) throws IOException {
    String expected = golden(name);
    if (!actual.equals(expected)) {
      Path kept = Path.of("target", "golden-actual", name);
      Files.createDirectories(kept.getParent());
      Files.writeString(kept, actual);
    }
    assertThat(actual).as("golden/" + name).isEqualTo(expected);
  }

  static Stream<Arguments> formats() {
    return Stream.of(
        Arguments.of("table", "export.table.txt"),
        Arguments.of("json", "export.json"),
        Arguments.of("ndjson", "export.ndjson"),
        Arguments.of("csv", "export.csv"),
        Arguments.of("prometheus", "export.prom"));
  }

  @ParameterizedTest
  @MethodSource("formats")
  void everyFormatMatchesItsGoldenFile(String format, String golden) throws IOException {
    CliRun run = export("--org", "camunda", "--repo", "library/httpd", "--format", format);
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.err).isEmpty();
    assertGolden(run.out, golden);
  }

  @Test
  void tableIsTheDefaultFormat() throws IOException {
    CliRun run = export("--org", "camunda", "--repo", "library/httpd");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).isEqualTo(Snapshots.golden("export.table.txt"));
  }

  @Test
  void csvQuotesAsRfc4180Says() {
    assertThat(Format.csvField("zeebe")).isEqualTo("zeebe");
    assertThat(Format.csvField("a,b")).isEqualTo("\"a,b\"");
    assertThat(Format.csvField("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(Format.csvField("two\nlines")).isEqualTo("\"two\nlines\"");
  }

  static Stream<Arguments> sortOrders() {
    return Stream.of(
        Arguments.of(
            "pulls",
            List.of(
                "camunda/operate",
                "library/httpd",
                "camunda/camunda-bpm-platform",
                "camunda/zeebe")),
        Arguments.of(
            "stars",
            List.of(
                "library/httpd",
                "camunda/camunda-bpm-platform",
                "camunda/zeebe",
                "camunda/operate")),
        Arguments.of(
            "name",
            List.of(
                "camunda/camunda-bpm-platform",
                "camunda/operate",
                "camunda/zeebe",
                "library/httpd")),
        Arguments.of(
            "updated",
            List.of(
                "camunda/zeebe",
                "camunda/camunda-bpm-platform",
                "library/httpd",
                "camunda/operate")));
  }

  @ParameterizedTest
  @MethodSource("sortOrders")
  void sortPutsTheMostOrNewestFirst(String order, List<String> expected) {
    CliRun run =
        export("--org", "camunda", "--repo", "library/httpd", "--format", "csv", "--sort", order);
    assertThat(run.exitCode).as(run.toString()).isZero();
    List<String> names =
        run.out
            .lines()
            .skip(1)
            .map(l -> l.substring(0, l.indexOf(',', l.indexOf(',') + 1)).replace(',', '/'))
            .toList();
    assertThat(names).isEqualTo(expected);
  }

  @Test
  void outputReplacesTheFileInOneStepAndKeepsItsPermissions(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("dockerhub.prom");
    Files.writeString(file, "old\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    CliRun run =
        export("--org", "camunda", "--repo", "library/httpd", "-f", "prometheus", "-o", "" + file);
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).isEmpty();
    assertThat(Files.readString(file)).isEqualTo(Snapshots.golden("export.prom"));
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(file);
    }

    Path fresh = dir.resolve("new.csv");
    assertThat(export("--org", "camunda", "-f", "csv", "--output", "" + fresh).exitCode).isZero();
    assertThat(Files.getPosixFilePermissions(fresh))
        .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
  }

  @Test
  void whenTheOutputCannotBeWrittenTheExportGoesToStdoutAndTheExitCodeIsOne(@TempDir Path dir)
      throws IOException {
    Path sub = Files.createDirectory(dir.resolve("textfiles"));
    Path file = sub.resolve("dockerhub.prom");
    // The directory disappears while the Hub is being read: checked at start, gone at the end.
    fake.hook(
        r -> {
          try {
            Files.deleteIfExists(sub);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
          return null;
        });
    CliRun run = export("--org", "camunda", "-f", "csv", "-o", file.toString());
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(run.out).startsWith("namespace,name,pull_count");
    assertThat(run.err.lines())
        .singleElement()
        .asString()
        .startsWith("dockerpulls: cannot write " + file)
        .endsWith("the export was written to stdout instead");
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
            "--token-file: the file does not exist"),
        Arguments.of(
            List.of("export", "--org", "camunda", "--sort", "downloads"),
            "Invalid value for option '--sort'"),
        Arguments.of(
            List.of("export", "--org", "camunda", "--output", "/nonexistent/dir/out.prom"),
            "--output: the directory of /nonexistent/dir/out.prom does not exist"),
        Arguments.of(
            List.of("export", "--org", "camunda", "--output", "/tmp"),
            "--output: /tmp is a directory"),
        Arguments.of(
            List.of("export", "--org", "camunda", "--token-file", "/nonexistent/token"),
            "--token-file: the file does not exist"),
        Arguments.of(List.of("export", "--org", "camunda", "--bogus"), "unknown option '--bogus'"),
        Arguments.of(
            List.of("exprot"),
            "unknown command 'exprot'; the commands are export, serve, report, import, history,"
                + " ratelimit, tags, help"),
        Arguments.of(
            List.of("import", "influx"),
            "unknown command 'influx'; the commands are prometheus, elasticsearch"),
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
    assertThat(run.out.replaceAll("\\s+", " "))
        .contains(
            "--org=NAME",
            "--repo=NS/NAME",
            "--hub-url=URL",
            "--token-file=FILE",
            "table, json, ndjson, csv, prometheus",
            "pulls, stars, name, updated",
            "--output=FILE",
            "3 some targets failed");
  }
}
