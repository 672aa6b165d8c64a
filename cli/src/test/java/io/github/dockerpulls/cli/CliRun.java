package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.FakeHub;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs the command line in-process and keeps what it printed. */
final class CliRun {
  final int exitCode;
  final String out;
  final String err;

  private CliRun(int exitCode, String out, String err) {
    this.exitCode = exitCode;
    this.out = out;
    this.err = err;
  }

  /**
   * The command line, with the given clock and environment in every command. Without a data
   * directory in {@code env}, the history goes to a fresh temporary directory: never the
   * developer's own, and no test sees another's.
   */
  static CommandLine commandLine(Clock clock, Map<String, String> givenEnv) {
    Map<String, String> env = new HashMap<>(givenEnv);
    if (!env.containsKey("DOCKERPULLS_DATA_DIR")) {
      try {
        Path histories = Files.createDirectories(Path.of("target", "test-histories"));
        env.put(
            "DOCKERPULLS_DATA_DIR",
            Files.createTempDirectory(histories.toAbsolutePath(), "history-").toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    CommandLine cl = DockerPulls.commandLine();
    ExportCommand export = cl.getSubcommands().get("export").getCommand();
    export.clock = clock;
    export.credentials.environment = new HashMap<>(env);
    export.hub.environment = new HashMap<>(env);
    export.targets.environment = new HashMap<>(env);
    export.elasticsearch.environment = new HashMap<>(env);
    export.history.environment = new HashMap<>(env);
    ServeCommand serve = cl.getSubcommands().get("serve").getCommand();
    serve.credentials.environment = new HashMap<>(env);
    serve.hub.environment = new HashMap<>(env);
    serve.targets.environment = new HashMap<>(env);
    serve.elasticsearch.environment = new HashMap<>(env);
    serve.history.environment = new HashMap<>(env);
    ReportCommand report = cl.getSubcommands().get("report").getCommand();
    report.clock = clock;
    report.targets.environment = new HashMap<>(env);
    report.history.environment = new HashMap<>(env);
    CommandLine imports = cl.getSubcommands().get("import");
    for (CommandLine source : imports.getSubcommands().values()) {
      ImportCommand.Source command = source.getCommand();
      command.clock = clock;
      command.history.environment = new HashMap<>(env);
      if (command instanceof ImportCommand.FromElasticsearch es) {
        es.elasticsearch.environment = new HashMap<>(env);
      }
      if (command instanceof InsightsImportCommand insights) {
        insights.credentials.environment = new HashMap<>(env);
        insights.hub.environment = new HashMap<>(env);
        insights.elasticsearch.environment = new HashMap<>(env);
      }
    }
    CommandLine history = cl.getSubcommands().get("history");
    HistoryCommand.Copy copy = history.getSubcommands().get("copy").getCommand();
    copy.environment = new HashMap<>(env);
    HistoryCommand.Backfill backfill = history.getSubcommands().get("backfill").getCommand();
    backfill.clock = clock;
    backfill.targets.environment = new HashMap<>(env);
    backfill.history.environment = new HashMap<>(env);
    backfill.elasticsearch.environment = new HashMap<>(env);
    RatelimitCommand ratelimit = cl.getSubcommands().get("ratelimit").getCommand();
    ratelimit.clock = clock;
    ratelimit.credentials.environment = new HashMap<>(env);
    return cl;
  }

  static CliRun run(Clock clock, Map<String, String> env, String... args) {
    CommandLine cl = commandLine(clock, env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = DockerPulls.execute(cl, args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /**
   * Runs {@code args} against {@code fake} and checks the bad-input contract: exit 2, nothing on
   * stdout, one line naming the problem plus picocli's "Try" line on stderr, and no request to the
   * Hub.
   */
  static void assertBadInput(FakeHub fake, Clock clock, List<String> args, String message) {
    fake.hook(
        r -> {
          throw new AssertionError("no request may reach the Hub on bad input: " + r);
        });
    CliRun run = run(clock, Map.of(), args.toArray(String[]::new));
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(run.out).isEmpty();
    List<String> lines = run.err.lines().toList();
    assertThat(lines).as(run.toString()).hasSize(2);
    assertThat(lines.get(0)).startsWith("dockerpulls: ").contains(message);
    assertThat(lines.get(1)).startsWith("Try 'dockerpulls");
    assertThat(fake.requests()).isEmpty();
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
  }
}
