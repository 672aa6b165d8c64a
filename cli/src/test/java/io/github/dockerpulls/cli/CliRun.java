package io.github.dockerpulls.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.HashMap;
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

  /** The command line, with the given clock and environment in every command. */
  static CommandLine commandLine(Clock clock, Map<String, String> env) {
    CommandLine cl = DockerPulls.commandLine();
    ExportCommand export = cl.getSubcommands().get("export").getCommand();
    export.clock = clock;
    export.hub.environment = new HashMap<>(env);
    export.targets.environment = new HashMap<>(env);
    export.elasticsearch.environment = new HashMap<>(env);
    ServeCommand serve = cl.getSubcommands().get("serve").getCommand();
    serve.hub.environment = new HashMap<>(env);
    serve.targets.environment = new HashMap<>(env);
    serve.elasticsearch.environment = new HashMap<>(env);
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

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
  }
}
