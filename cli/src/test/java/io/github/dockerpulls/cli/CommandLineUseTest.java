package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.FakeClock;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a new user meets first: help at any depth, suggestions, whole summaries, hints that fit. */
class CommandLineUseTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-12-04T12:00:00Z"));

  private CliRun run(String... args) {
    return CliRun.run(clock, Map.of(), args);
  }

  @Test
  void helpShowsTheCommandTheWordsNameAtAnyDepth() {
    CliRun run = run("help", "import", "prometheus");
    assertThat(run.exitCode).isZero();
    assertThat(run.out).startsWith("Usage: dockerpulls import prometheus ");
    assertThat(run("help", "import").out).startsWith("Usage: dockerpulls import [");
    CliRun wrong = run("help", "import", "graphite");
    assertThat(wrong.exitCode).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(wrong.err)
        .startsWith(
            "dockerpulls: unknown command 'graphite'; the commands are prometheus, elasticsearch,"
                + " insights\n");
  }

  @Test
  void aMistypedOptionGetsTheOptionItMayHaveMeant() {
    CliRun run = run("export", "--fromat", "json");
    assertThat(run.exitCode).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(run.err.lines().toList())
        .containsExactly(
            "dockerpulls: unknown option '--fromat'; did you mean --format?",
            "Try 'dockerpulls export --help' for more information.");
    assertThat(run("report", "--sicne", "7d").err).contains("did you mean --since?");
    assertThat(run("export", "--zzzzzz").err.lines().findFirst().orElseThrow())
        .isEqualTo("dockerpulls: unknown option '--zzzzzz'");
  }

  @Test
  void aStrayWordGetsTheOptionItMayBelongTo() {
    assertThat(run("export", "camunda").err.lines().findFirst().orElseThrow())
        .isEqualTo(
            "dockerpulls: unexpected argument 'camunda': this command takes options only; did you"
                + " mean --org camunda?");
    assertThat(run("tags", "camunda/zeebe").err).contains("did you mean --repo camunda/zeebe?");
  }

  @Test
  void eachSubcommandsSummaryInTheListIsAWholeSentence() {
    for (List<String> command : List.<List<String>>of(List.of("import"), List.of())) {
      String[] args =
          command.isEmpty() ? new String[] {"--help"} : new String[] {command.get(0), "--help"};
      String help = run(args).out;
      String list = help.substring(help.indexOf("Commands:") + "Commands:".length());
      int end = list.indexOf("\n\n");
      list = end < 0 ? list : list.substring(0, end);
      // One entry: a name at two spaces, then its summary over one or more lines.
      String[] entries = list.strip().split("\n(?=  ?\\S)|\n(?=[a-z])");
      for (String entry : entries) {
        String summary = entry.strip().replaceAll("\\s+", " ");
        assertThat(summary).as(String.join(" ", command) + ": " + summary).endsWith(".");
      }
    }
  }

  @Test
  void anOptionsDescriptionContinuesUnderItselfEvenWhenItsNameFillsTheColumn() {
    for (String[] command :
        List.of(
            new String[] {"export", "--help"},
            new String[] {"serve", "--help"},
            new String[] {"report", "--help"},
            new String[] {"import", "prometheus", "--help"},
            new String[] {"import", "elasticsearch", "--help"},
            new String[] {"import", "insights", "--help"},
            new String[] {"tags", "--help"},
            new String[] {"ratelimit", "--help"})) {
      List<String> lines = run(command).out.lines().toList();
      assertThat(lines).as(String.join(" ", command)).noneMatch(l -> l.matches(" {8}\\S.*"));
    }
    List<String> export = run("export", "--help").out.lines().toList();
    int at =
        export.indexOf(
            export.stream()
                .filter(l -> l.contains("--keep-hourly=DURATION Keep"))
                .findFirst()
                .orElseThrow());
    String next = export.get(at + 1);
    String description = export.get(at).substring(export.get(at).indexOf("Keep"));
    int column = export.get(at).indexOf(description);
    assertThat(next.length() - next.stripLeading().length()).isEqualTo(column + 2);
  }

  @Test
  void optionsAreListedOnlyWhereTheyApply() {
    // Reading from Elasticsearch has no spool and writes no index.
    for (String[] reader :
        List.of(
            new String[] {"import", "elasticsearch", "--help"},
            new String[] {"import", "insights", "--help"})) {
      assertThat(run(reader).out)
          .as(String.join(" ", reader))
          .contains("--es-url")
          .doesNotContain("--spool-dir")
          .doesNotContain("--spool-max-size")
          .doesNotContain("--es-index-prefix");
    }
    for (String writer : List.of("export", "serve")) {
      assertThat(run(writer, "--help").out)
          .as(writer)
          .contains("--spool-dir")
          .contains("--spool-max-age")
          .contains("--es-index-prefix");
    }
  }

  @Test
  void ratelimitNamesItsOwnOptionsForAMirror() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    CliRun run =
        run(
            "ratelimit",
            "--registry-url",
            "http://127.0.0.1:" + closed,
            "--registry-auth-url",
            "http://127.0.0.1:" + closed);
    assertThat(run.exitCode).isEqualTo(ExitCode.FAILED);
    assertThat(run.err)
        .contains("--registry-url and --registry-auth-url name a mirror")
        .doesNotContain("--hub-url");
  }
}
