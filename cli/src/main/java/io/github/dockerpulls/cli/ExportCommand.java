package io.github.dockerpulls.cli;

import io.github.dockerpulls.elasticsearch.DeliveryReport;
import io.github.dockerpulls.elasticsearch.ElasticsearchSink;
import io.github.dockerpulls.elasticsearch.EsConnection;
import io.github.dockerpulls.elasticsearch.EsSettings;
import io.github.dockerpulls.exporter.metrics.HubRequestMetrics;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryRecorder;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.RecentPulls;
import io.github.dockerpulls.hub.DockerHub;
import io.github.dockerpulls.hub.HubListener;
import io.github.dockerpulls.hub.Poller;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.TargetResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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
      "  1  Docker Hub or Elasticsearch could not be reached",
      "  2  bad input (nothing was sent)",
      "  3  some targets failed, or Elasticsearch rejected documents; the rest was written"
    })
public final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TargetOptions targets;

  @Mixin HubOptions hub;

  @Mixin CredentialOptions credentials;

  /** Where the snapshot goes. */
  enum Destination {
    stdout,
    elasticsearch
  }

  @Option(
      names = "--to",
      paramLabel = "DESTINATION",
      defaultValue = "stdout",
      description =
          "Where to write: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}). elasticsearch"
              + " needs --es-url; snapshots that cannot be delivered wait in --spool-dir for the"
              + " next run.")
  Destination to;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "${env:DOCKERPULLS_FORMAT:-table}",
      description =
          "Output format: ${COMPLETION-CANDIDATES} (env DOCKERPULLS_FORMAT, default"
              + " ${DEFAULT-VALUE}). prometheus writes exactly what serve exposes, for"
              + " node_exporter's textfile collector.")
  Format format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description =
          "Write to FILE instead of stdout. The file is replaced in one step: readers see the"
              + " old content or the new, never half.")
  Path output;

  @Option(
      names = {"-s", "--sort"},
      paramLabel = "ORDER",
      defaultValue = "name",
      description =
          "Order of the repositories: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}). pulls,"
              + " stars and updated put the most or newest first.")
  SortOrder sort;

  @Mixin MetricOptions metrics;

  @Mixin HistoryOptions history;

  @Mixin HistoryOptions.Recording recording;

  @Mixin HistoryOptions.Keep keep;

  @Mixin LoggingOptions logging;

  @Mixin ConfigOption config;

  @Mixin ElasticsearchOptions elasticsearch;

  @Mixin ElasticsearchOptions.Sink esSink;

  /** The clock snapshots are stamped with; tests fix it. */
  java.time.Clock clock = java.time.Clock.systemUTC();

  /** Set when recording found the history's content damaged (its header had passed). */
  private HistoryException damaged;

  @Override
  public Integer call() throws Exception {
    var list = targets.targets();
    EsSettings es = null;
    if (to == Destination.elasticsearch) {
      if (!elasticsearch.configured()) {
        throw new ParameterException(
            spec.commandLine(), "--to elasticsearch needs --es-url URL (or env ES_URL)");
      }
      if (output != null) {
        throw new ParameterException(
            spec.commandLine(), "--output writes a file; --to elasticsearch writes no file");
      }
      es = elasticsearch.settings(clock, esSink);
    } else {
      // Elasticsearch options without --to elasticsearch would be silently ignored.
      for (picocli.CommandLine.Model.OptionSpec o :
          spec.commandLine().getParseResult().matchedOptions()) {
        String name = o.longestName();
        if (name.startsWith("--es-") || name.startsWith("--spool-")) {
          throw new ParameterException(
              spec.commandLine(), name + " is for Elasticsearch: add --to elasticsearch");
        }
      }
    }
    if (output != null) {
      String problem = OutputFile.problem(output);
      if (problem != null) {
        throw new ParameterException(spec.commandLine(), "--output: " + problem);
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    // A file that is plainly not a history stops here, with nothing sent; the store itself opens
    // while Docker Hub answers, and one that cannot be written only costs the recording.
    List<String> warnings = new ArrayList<>();
    CompletableFuture<HistoryStore> opening =
        recording.enabled
            ? history.openForRecordingInBackground(keep.retention(spec), clock, warnings)
            : CompletableFuture.completedFuture(null);
    try {
      return export(list, es, opening, warnings, err);
    } finally {
      HistoryStore store = opening.handle((opened, failed) -> opened).join();
      if (store != null) {
        store.close();
      }
    }
  }

  private int export(
      List<Target> list,
      EsSettings es,
      CompletableFuture<HistoryStore> opening,
      List<String> warnings,
      PrintWriter err)
      throws IOException {
    HubRequestMetrics requests = new HubRequestMetrics();
    Snapshot snapshot;
    try (DockerHub client =
            hub.buildHub(credentials, null, HubListener.all(requests, logging.progressListener()));
        Poller poller = Poller.builder().hub(client).targets(list).clock(clock).build()) {
      snapshot = poller.refresh();
    } finally {
      logging.endProgress();
    }
    HistoryStore store = null;
    String unusable = null;
    try {
      store = opening.join();
    } catch (CompletionException e) {
      if (!(e.getCause() instanceof CommandFailure failure)) {
        throw e;
      }
      unusable = failure.getMessage();
    }
    // join() saw the opener finish: every warning it added is visible here.
    for (String warning : warnings) {
      err.println("dockerpulls: warning: " + warning);
    }
    boolean anyOk = snapshot.targets().stream().anyMatch(TargetResult::ok);
    Map<String, RecentPulls> recent = anyOk ? record(store, snapshot, err) : null;
    if (damaged != null && unusable == null) {
      // A file whose header passed but whose content is damaged: what was read is still printed,
      // and the command fails as for any history that is not usable.
      unusable = HistoryOptions.message(damaged) + " (--no-history runs without it)";
    }
    int delivered = ExitCode.OK;
    if (es != null) {
      delivered = deliver(es, snapshot, err);
    } else if (anyOk) {
      delivered = print(snapshot, requests, recent, err);
    }
    for (TargetResult result : snapshot.targets()) {
      if (result.okButEmpty() && result.target() instanceof Target.Organization) {
        err.println(
            "dockerpulls: warning: "
                + result.target().id()
                + ": Docker Hub lists no public repositories (is the name right?)");
      }
      result
          .error()
          .ifPresent(
              e -> {
                err.println("dockerpulls: " + result.target().id() + ": " + ErrorText.hub(e));
                if (logging.verbose) {
                  e.printStackTrace(err);
                }
              });
    }
    if (unusable != null) {
      // Found only by the full open, after Docker Hub was read: what was read is still printed.
      err.println("dockerpulls: " + ErrorText.oneLine(unusable));
    }
    err.flush();
    if (unusable != null
        || delivered == ExitCode.FAILED
        || (!anyOk && !snapshot.targets().isEmpty())) {
      return ExitCode.FAILED;
    }
    if (!snapshot.complete() || delivered == ExitCode.PARTIAL) {
      return ExitCode.PARTIAL;
    }
    return ExitCode.OK;
  }

  /**
   * Records the snapshot in the history, and returns its repositories' recent pulls and since when
   * the history covers them (null without a history). A history that cannot be written costs one
   * line, nothing more.
   */
  private Map<String, RecentPulls> record(HistoryStore store, Snapshot snapshot, PrintWriter err) {
    if (store == null) {
      return null;
    }
    HistoryRecorder recorder =
        new HistoryRecorder(
            store,
            e -> {
              if (e.kind() == HistoryException.Kind.UNUSABLE) {
                damaged = e;
              } else {
                err.println(
                    "dockerpulls: warning: not recorded in the history: "
                        + HistoryOptions.message(e));
              }
            },
            file -> {});
    if (!recorder.record(snapshot)) {
      return null;
    }
    try {
      List<String> names = snapshot.repositories().stream().map(RepositoryStats::fullName).toList();
      return store.growth(names, snapshot.observedAt(), Format.RECENT_WINDOWS);
    } catch (HistoryException e) {
      err.println(
          "dockerpulls: warning: the history could not be read: " + HistoryOptions.message(e));
      return null;
    }
  }

  /** Writes the snapshot in the chosen format to stdout or {@code --output}; an exit code. */
  private int print(
      Snapshot snapshot,
      HubRequestMetrics requests,
      Map<String, RecentPulls> recent,
      PrintWriter err)
      throws IOException {
    String text =
        format.render(
            new Format.Input(
                snapshot,
                sort.sort(snapshot.repositories()),
                metrics.legacyMetric,
                requests,
                recent));
    PrintWriter out = spec.commandLine().getOut();
    if (output == null) {
      out.print(text);
      out.flush();
      return ExitCode.OK;
    }
    try {
      OutputFile.write(output, text);
      return ExitCode.OK;
    } catch (IOException e) {
      // What was read is not thrown away: it goes to stdout, and the exit code says it failed.
      out.print(text);
      out.flush();
      err.println(
          "dockerpulls: cannot write "
              + output
              + " ("
              + ErrorText.oneLine(String.valueOf(e.getMessage()))
              + "); the export was written to stdout instead");
      return ExitCode.FAILED;
    }
  }

  /** Writes the snapshot (and whatever waits in the spool) to Elasticsearch; an exit code. */
  private int deliver(EsSettings settings, Snapshot snapshot, PrintWriter err) {
    if (settings.insecure()) {
      err.println("dockerpulls: WARNING: " + ElasticsearchOptions.INSECURE);
    }
    DeliveryReport report;
    try (EsConnection connection = new EsConnection(settings);
        ElasticsearchSink sink = ElasticsearchSink.create(connection)) {
      report = sink.write(snapshot);
    }
    for (String rejected : report.rejected()) {
      err.println("dockerpulls: elasticsearch rejected " + rejected);
    }
    for (String warning : report.warnings()) {
      err.println("dockerpulls: warning: elasticsearch: " + ElasticsearchOptions.warning(warning));
    }
    if (report.failure().isPresent()) {
      if (report.snapshots() > 0) {
        err.println("dockerpulls: " + ElasticsearchOptions.summary(report));
      }
      err.println(
          "dockerpulls: "
              + ElasticsearchOptions.message(report.failure().get())
              + (report.pending() > 0
                  ? "; "
                      + ElasticsearchOptions.waiting(report)
                      + " and will be delivered by the next run"
                  : report.pending() < 0 ? "; " + ElasticsearchOptions.waiting(report) : ""));
      return ExitCode.FAILED;
    }
    if (!logging.quiet) {
      err.println("dockerpulls: " + ElasticsearchOptions.summary(report));
    }
    return report.rejected().isEmpty() ? ExitCode.OK : ExitCode.PARTIAL;
  }
}
