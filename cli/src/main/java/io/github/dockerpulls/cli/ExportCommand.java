package io.github.dockerpulls.cli;

import io.github.dockerpulls.hub.DockerHub;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.Poller;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.TargetResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dockerpulls export}: one snapshot of the targets, printed, then exit. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = "Read the targets' pull counts once and print them.",
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  every target was read",
      "  1  Docker Hub could not be read",
      "  2  bad input (nothing was sent)",
      "  3  some targets failed; the others were printed"
    })
public final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TargetOptions targets;

  @Mixin HubOptions hub;

  @Mixin LoggingOptions logging;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Format format;

  /** The clock snapshots are stamped with; tests fix it. */
  java.time.Clock clock = java.time.Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    var list = targets.targets();
    Snapshot snapshot;
    try (DockerHub client = hub.buildHub(logging.progressListener());
        Poller poller = Poller.builder().hub(client).targets(list).clock(clock).build()) {
      snapshot = poller.refresh();
    } finally {
      logging.endProgress();
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean anyOk = snapshot.targets().stream().anyMatch(TargetResult::ok);
    if (anyOk) {
      format.write(snapshot, out);
      out.flush();
    }
    for (TargetResult result : snapshot.targets()) {
      if (result.okButEmpty()
          && result.target() instanceof io.github.dockerpulls.hub.Target.Organization) {
        err.println(
            "dockerpulls: warning: "
                + result.target().id()
                + ": Docker Hub lists no public repositories (is the name right?)");
      }
      result
          .error()
          .ifPresent(e -> err.println("dockerpulls: " + result.target().id() + ": " + describe(e)));
    }
    err.flush();
    if (snapshot.complete()) {
      return ExitCode.OK;
    }
    return anyOk ? ExitCode.PARTIAL : ExitCode.FAILED;
  }

  /** The error's message, with the command-line way to authenticate where that would help. */
  static String describe(HubException e) {
    if (e instanceof HubException.Unauthorized u && !u.credentialsSent()) {
      return e.getMessage()
          + " (--username NAME --token-file FILE, or env DOCKERHUB_USERNAME and DOCKERHUB_TOKEN)";
    }
    return e.getMessage();
  }
}
