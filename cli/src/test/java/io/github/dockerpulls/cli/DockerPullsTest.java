package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The top-level command: version, help, and what every command shares. */
class DockerPullsTest {
  private final FakeHub fake = new FakeHub();
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-22T10:00:00Z"));

  @AfterEach
  void close() {
    fake.close();
  }

  @Test
  void versionNamesTheProjectVersionAndTheBuildsCommit() {
    CliRun run = CliRun.run(clock, Map.of(), "--version");
    assertThat(run.exitCode).isZero();
    String first = run.out.lines().findFirst().orElseThrow();
    // The build runs in a git clone, so the commit is known: 12 hex digits.
    assertThat(first)
        .matches("dockerpulls \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit [0-9a-f]{12}\\)");
    assertThat(CliRun.run(clock, Map.of(), "export", "--version").out).isEqualTo(run.out);
  }

  @Test
  void versionAloneIsAnsweredWithoutLoadingPicocliAndSaysTheSame() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = Files.createTempFile(Files.createDirectories(Path.of("target")), "classes", ".log");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Xlog:class+load=info:file=" + log,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--version")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    String loaded = Files.readString(log);
    assertThat(out).isEqualTo(CliRun.run(clock, Map.of(), "--version").out);
    assertThat(loaded).contains("io.github.dockerpulls.cli.Main ");
    assertThat(loaded)
        .doesNotContain("picocli.CommandLine ", "io.github.dockerpulls.cli.DockerPulls ");
  }

  @Test
  void helpListsEveryCommandAndHelpOnEachWorks() {
    CliRun run = CliRun.run(clock, Map.of(), "--help");
    assertThat(run.exitCode).isZero();
    assertThat(run.out).contains("export", "serve", "ratelimit", "help");
    for (String command : new String[] {"export", "serve", "ratelimit"}) {
      CliRun help = CliRun.run(clock, Map.of(), "help", command);
      assertThat(help.exitCode).isZero();
      assertThat(help.out).startsWith("Usage: dockerpulls " + command);
      assertThat(CliRun.run(clock, Map.of(), command, "--help").out).isEqualTo(help.out);
    }
  }

  @Test
  void theSharedOptionsAreTheSameOnEveryCommand() {
    for (String option : new String[] {"--username=NAME", "--token-file=FILE", "--verbose"}) {
      for (String command : new String[] {"export", "serve", "ratelimit"}) {
        assertThat(CliRun.run(clock, Map.of(), command, "--help").out)
            .as(command + " " + option)
            .contains(option);
      }
    }
    for (String command : new String[] {"export", "serve"}) {
      assertThat(CliRun.run(clock, Map.of(), command, "--help").out)
          .contains("--org=NAME", "--repo=NS/NAME", "--hub-url=URL", "--[no-]legacy-metric");
    }
  }

  @Test
  void helpIsWrappedAtSpacesSoThatUrlsPathsAndOptionNamesStayWhole() {
    List<String[]> commands =
        List.of(
            new String[] {"--help"},
            new String[] {"export", "--help"},
            new String[] {"serve", "--help"},
            new String[] {"report", "--help"},
            new String[] {"import", "--help"},
            new String[] {"import", "prometheus", "--help"},
            new String[] {"import", "elasticsearch", "--help"},
            new String[] {"history", "copy", "--help"},
            new String[] {"ratelimit", "--help"},
            new String[] {"tags", "--help"});
    StringBuilder all = new StringBuilder();
    for (String[] args : commands) {
      CliRun run = CliRun.run(clock, Map.of(), args);
      assertThat(run.exitCode).as(String.join(" ", args)).isZero();
      for (String line : run.out.lines().toList()) {
        assertThat(line.length()).as(line).isLessThanOrEqualTo(100);
        assertThat(line).as(line).doesNotEndWith(" ");
      }
      all.append(run.out);
    }
    // Each of these was cut in two by picocli's own wrapping at 100 columns.
    String help = all.toString();
    assertThat(help)
        .contains(
            "https://hub.docker.com",
            "https://registry-1.docker.io",
            "https://auth.docker.io",
            "$HOME/.local/share/dockerpulls",
            "~/.local/state/dockerpulls/spool",
            "[--[no-]legacy-metric]",
            "[--es-url=URL[,URL...]]...");
    // The same words as on lines picocli never wraps: no word was cut in two.
    StringBuilder unwrapped = new StringBuilder();
    for (String[] args : commands) {
      CommandLine wide =
          DockerPulls.commandLine(
              List.of(
                  "export", "serve", "report", "import", "history", "ratelimit", "tags", "help"),
              10_000);
      java.io.StringWriter out = new java.io.StringWriter();
      wide.setOut(new java.io.PrintWriter(out, true));
      assertThat(DockerPulls.execute(wide, args)).isZero();
      unwrapped.append(out);
    }
    assertThat(List.of(help.split("\\s+"))).isEqualTo(List.of(unwrapped.toString().split("\\s+")));
  }

  @Test
  void theWrappingKeepsAWordLongerThanTheLineWholeAndIndentsWhatFollows() {
    String line =
        "      --x=Y                  " + "word ".repeat(30) + "https://" + "a".repeat(120);
    String wrapped = HelpLayout.wrap("optionList", line, 60, 0);
    List<String> lines = wrapped.lines().toList();
    assertThat(lines).allSatisfy(l -> assertThat(l.length() <= 60 || !l.strip().contains(" ")));
    assertThat(lines.subList(1, lines.size()))
        .allSatisfy(l -> assertThat(l).startsWith(" ".repeat(31)));
    assertThat(lines.get(lines.size() - 1).strip()).isEqualTo("https://" + "a".repeat(120));
    assertThat(String.join(" ", wrapped.split("\\s+")).strip())
        .isEqualTo(String.join(" ", line.split("\\s+")).strip());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "export --repo library/httpd -f xml   | --format': 'xml' is not one of table, json, ndjson,"
            + " csv, prometheus",
        "export --repo library/httpd -s size  | --sort': 'size' is not one of pulls, stars, name,"
            + " updated",
        "export --repo library/httpd --to s3  | --to': 's3' is not one of stdout, elasticsearch",
        "serve --org camunda --log-format xml | --log-format': 'xml' is not one of text, json",
        "report --by year                     | --by': 'year' is not one of day, week, month",
        "report -f pdf                        | --format': 'pdf' is not one of table, json, csv,"
            + " openmetrics, html",
        "ratelimit --format xml               | --format': 'xml' is not one of text, json",
      })
  void aWrongValueListsTheValuesInTheCaseTheDocsUse(String args, String message) {
    CliRun.assertBadInput(fake, clock, List.of(args.split(" ")), message);
  }

  @Test
  void valuesAreReadInAnyCase() {
    fake.repository(
        "library",
        "httpd",
        FakeHub.repositoryJson("library", "httpd", 10, 1, 0, "2021-01-12T13:42:29Z"));
    CliRun run =
        CliRun.run(
            clock,
            Map.of(),
            "export",
            "--hub-url",
            fake.url().toString(),
            "--repo",
            "library/httpd",
            "-f",
            "NDJSON",
            "--sort",
            "Pulls");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).startsWith("{").contains("\"pull_count\":10");
  }

  @Test
  void everyOptionThatReadsAnEnvironmentVariableNamesItInItsHelp() {
    Pattern read = Pattern.compile("\\$\\{env:([A-Z][A-Z0-9_]+)");
    List<String> checked = new ArrayList<>();
    List<CommandLine> commands =
        new ArrayList<>(DockerPulls.commandLine().getSubcommands().values());
    for (int i = 0; i < commands.size(); i++) {
      commands.addAll(commands.get(i).getSubcommands().values());
      for (OptionSpec option : commands.get(i).getCommandSpec().options()) {
        if (option.userObject() instanceof java.lang.reflect.Field field
            && field.getAnnotation(CommandLine.Option.class) != null) {
          Matcher m = read.matcher(field.getAnnotation(CommandLine.Option.class).defaultValue());
          if (m.find()) {
            String help = String.join(" ", option.description());
            assertThat(help).as(option.longestName()).contains("env " + m.group(1));
            checked.add(option.longestName());
          }
        }
      }
    }
    assertThat(checked).contains("--hub-url", "--format", "--port", "--log-format", "--spool-dir");
  }

  @Test
  void everyEnvironmentVariableAnOptionReadsIsListedInTheConfigurationDocs() throws Exception {
    String docs = Files.readString(Path.of("..", "docs", "configuration.md"));
    Pattern env = Pattern.compile("\\benv ([A-Z][A-Z0-9_]+)");
    Set<String> variables = new TreeSet<>();
    CommandLine cl = DockerPulls.commandLine();
    for (CommandLine sub : cl.getSubcommands().values()) {
      for (OptionSpec option : sub.getCommandSpec().options()) {
        Matcher m = env.matcher(String.join(" ", option.description()));
        while (m.find()) {
          variables.add(m.group(1));
        }
      }
    }
    assertThat(variables).contains("DOCKERHUB_ORGANIZATION", "DOCKERHUB_TOKEN", "ES_URL");
    for (String variable : variables) {
      assertThat(docs).as(variable).contains("`" + variable + "`");
    }
  }

  /** Runs {@code body} as if stderr were a terminal (the launcher's property), then restores it. */
  private static void onATerminal(Runnable body) {
    String before = System.getProperty(LoggingOptions.STDERR_TTY_PROPERTY);
    System.setProperty(LoggingOptions.STDERR_TTY_PROPERTY, "true");
    try {
      body.run();
    } finally {
      if (before == null) {
        System.clearProperty(LoggingOptions.STDERR_TTY_PROPERTY);
      } else {
        System.setProperty(LoggingOptions.STDERR_TTY_PROPERTY, before);
      }
    }
  }

  @Test
  void verboseMeansTheSameBeforeAndAfterTheCommandAndShowsTheStackTraceOfAHubFailure() {
    fake.hook(r -> FakeHub.jsonResponse(404, "{\"message\":\"object not found\",\"errinfo\":{}}"));
    for (List<String> args :
        List.of(
            List.of("-v", "export", "--hub-url", fake.url(), "--org", "gone", "--no-history"),
            List.of("export", "-v", "--hub-url", fake.url(), "--org", "gone", "--no-history"))) {
      CliRun run =
          CliRun.run(java.time.Clock.systemUTC(), java.util.Map.of(), args.toArray(String[]::new));
      assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.FAILED);
      assertThat(run.err)
          .as(args.toString())
          .startsWith("dockerpulls: gone: Docker Hub does not know the namespace 'gone'")
          .contains("io.github.dockerpulls.hub.HubException$NotFound")
          .contains("\tat io.github.dockerpulls.");
    }
    CliRun plain =
        CliRun.run(
            java.time.Clock.systemUTC(),
            java.util.Map.of(),
            "export",
            "--hub-url",
            fake.url(),
            "--org",
            "gone",
            "--no-history");
    assertThat(plain.err).doesNotContain("\tat ").hasLineCount(1);
  }

  @Test
  void everyCommandThatReadsAConfigFileListsItInItsHelp() {
    for (String command : List.of("export", "serve", "report", "ratelimit")) {
      CliRun help = CliRun.run(java.time.Clock.systemUTC(), java.util.Map.of(), command, "--help");
      assertThat(help.out).as(command).contains("--config=FILE");
      assertThat(help.out.lines()).as(command).allMatch(l -> l.length() <= 100);
    }
  }

  @Test
  void waitingOutA429IsNeverSilent() {
    fake.organization("camunda", 2)
        .enqueue(
            new mockwebserver3.MockResponse.Builder()
                .code(429)
                .addHeader("Content-Type", "application/json")
                .addHeader("Retry-After", "1")
                .body("{\"detail\":\"Rate limit exceeded\",\"error\":false}")
                .build());
    CliRun run =
        CliRun.run(
            java.time.Clock.systemUTC(),
            java.util.Map.of(),
            "export",
            "--hub-url",
            fake.url(),
            "--org",
            "camunda",
            "--no-history");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.err)
        .startsWith("dockerpulls: waiting for Docker Hub answered 429 Too Many Requests (")
        .contains(" until 20")
        .hasLineCount(1);
  }

  @Test
  @ResourceLock("system-properties")
  void progressCountsPagesDoneAndNeverGoesBackwards() {
    onATerminal(
        () -> {
          java.io.StringWriter out = new java.io.StringWriter();
          picocli.CommandLine cl = DockerPulls.commandLine();
          cl.setErr(new java.io.PrintWriter(out, true));
          ExportCommand export = cl.getSubcommands().get("export").getCommand();
          io.github.dockerpulls.hub.HubListener progress = export.logging.progressListener();
          // Pages finish out of order on the page threads: 8 may be reported before 5.
          for (int fetched : new int[] {1, 2, 3, 8, 5, 6, 9, 7, 10}) {
            progress.onListingProgress("camunda", fetched, 50);
          }
          List<Integer> drawn = new java.util.ArrayList<>();
          java.util.regex.Matcher m =
              java.util.regex.Pattern.compile("page (\\d+) of 50").matcher(out.toString());
          while (m.find()) {
            drawn.add(Integer.parseInt(m.group(1)));
          }
          assertThat(drawn).containsExactly(1, 2, 3, 8, 9, 10);
        });
  }

  @Test
  @ResourceLock("system-properties")
  void progressGoesToAStderrTerminalUnlessQuiet() {
    // More than the 100 anonymous callers may list, hence the credentials.
    fake.organization("camunda", 250).credentials("reader", "t0ken");
    onATerminal(
        () -> {
          CliRun shown = exportAsReader();
          assertThat(shown.exitCode).as(shown.toString()).isZero();
          assertThat(shown.err).contains("camunda: page 1 of 3").endsWith("\r\033[K");
          CliRun quiet = exportAsReader("-q");
          assertThat(quiet.err).isEmpty();
        });
    // Piped (the launcher says false, or nothing): no progress.
    CliRun piped = exportAsReader();
    assertThat(piped.err).isEmpty();
    assertThat(piped.out).contains("250 repositories");
  }

  /** export --org camunda as the user the fake knows, with the token from the environment. */
  private CliRun exportAsReader(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("export", "--hub-url", fake.url(), "--org", "camunda", "--username", "reader"));
    args.addAll(List.of(more));
    return CliRun.run(clock, Map.of("DOCKERHUB_TOKEN", "t0ken"), args.toArray(String[]::new));
  }
}
