package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.hub.testing.FakeHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that options name are read with bounds, and a bad one is one line and exit 2. */
class BoundedInputTest {
  private final FakeHub fake = new FakeHub();
  @TempDir Path dir;

  @AfterEach
  void close() {
    fake.close();
  }

  private List<String> export(String... more) {
    List<String> args =
        new java.util.ArrayList<>(List.of("export", "--hub-url", fake.url(), "--org", "camunda"));
    args.addAll(List.of(more));
    return args;
  }

  @Test
  void aConfigOfManyThousandCommentLinesIsReadInOnePass() throws Exception {
    fake.organization("camunda", 2);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      text.append("# comment line ").append(i).append('\n');
    }
    text.append("--format json\n");
    Path config = Files.writeString(dir.resolve("big.conf"), text);
    CliRun run =
        CliRun.run(
            Clock.systemUTC(),
            Map.of(),
            "export",
            "--config",
            config.toString(),
            "--hub-url",
            fake.url(),
            "--org",
            "camunda",
            "--no-history");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).startsWith("{");
  }

  @Test
  void aBinaryConfigIsOneLine() throws Exception {
    byte[] noise = new byte[3000];
    new java.util.Random(7).nextBytes(noise);
    Path config = Files.write(dir.resolve("bin.conf"), noise);
    CliRun.assertBadInput(
        fake,
        Clock.systemUTC(),
        export("--config", config.toString()),
        "--config: " + config + ": it is not a text file");
  }

  @Test
  void anEndlessConfigIsRefusedAtItsBound() {
    CliRun.assertBadInput(
        fake,
        Clock.systemUTC(),
        export("--config", "/dev/zero"),
        "--config: /dev/zero: it is larger than 1 MiB");
  }

  @Test
  void anUnclosedQuoteInAConfigNamesItsLine() throws Exception {
    Path config = Files.writeString(dir.resolve("q.conf"), "--org camunda\n--username \"ops\n");
    CliRun.assertBadInput(
        fake,
        Clock.systemUTC(),
        export("--config", config.toString()),
        "--config: " + config + ": line 2: a \" quote is not closed");
  }

  @Test
  void aTokenFileThatNeverEndsIsRefusedAtItsBound() {
    CliRun.assertBadInput(
        fake,
        Clock.systemUTC(),
        export("--username", "ops", "--token-file", "/dev/zero"),
        "--token-file: it is larger than 64 KiB");
  }

  @Test
  void aTokenGivenWhereItsFileWasMeantIsNeverEchoed() {
    String token = "dckr_pat_2Ytq8ZP0XbExampleOnlyNotReal";
    CliRun run =
        CliRun.run(
            Clock.systemUTC(),
            Map.of(),
            export("--username", "ops", "--token-file", token).toArray(String[]::new));
    assertThat(run.exitCode).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(run.err)
        .contains(
            "--token-file: the file does not exist (give the path of a file that holds the"
                + " secret, not the secret itself)")
        .doesNotContain("dckr_pat")
        .doesNotContain("2Ytq8ZP0X");
  }

  @Test
  void aPasswordFileThatNeverEndsIsRefusedAtItsBound() {
    CliRun.assertBadInput(
        fake,
        Clock.systemUTC(),
        List.of(
            "serve",
            "--hub-url",
            fake.url(),
            "--org",
            "camunda",
            "--port",
            "2113",
            "--web-auth-user",
            "prometheus",
            "--web-auth-password-file",
            "/dev/zero"),
        "--web-auth-password-file: it is larger than 64 KiB");
  }

  @Test
  void wordsSplitAsTheDocsSay() throws Exception {
    assertThat(
            ConfigFile.split(
                "# settings\n--org camunda   --org bitnami # two\n"
                    + "--username \"ops team\" --x 'a \"b\" c'\r\n--y \"q\\\\\\\"e\" --z a#b\n"))
        .containsExactly(
            "--org",
            "camunda",
            "--org",
            "bitnami",
            "--username",
            "ops team",
            "--x",
            "a \"b\" c",
            "--y",
            "q\\\"e",
            "--z",
            "a#b");
    assertThat(ConfigFile.split("")).isEmpty();
    assertThatThrownBy(() -> ConfigFile.split("--a 'b\n\n"))
        .hasMessage("line 1: a ' quote is not closed");
  }
}
