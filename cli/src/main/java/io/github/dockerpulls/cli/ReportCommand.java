package io.github.dockerpulls.cli;

import io.github.dockerpulls.history.Granularity;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.ReportQuery;
import io.github.dockerpulls.history.RepositoryHistory;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dockerpulls report}: pulls per day, week or month, from the history alone. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Show the pulls per day, week or month that export and serve recorded.",
      "Reads the history only: Docker Hub is never asked. Without --org or --repo, every"
          + " repository the history holds."
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  the report was written",
      "  1  there is no usable history, or the output could not be written",
      "  2  bad input"
    })
public final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TargetOptions targets;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      defaultValue = "30d",
      description =
          "Start of the window: 24h, 7d, 30d, 1y (any number of h, d, w or y) or a date such as"
              + " 2026-01-01 (default ${DEFAULT-VALUE}). The first period starts at the"
              + " beginning of the day, week or month that holds it.")
  String since;

  @Option(
      names = "--by",
      paramLabel = "PERIOD",
      defaultValue = "day",
      description = "Length of the periods: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Granularity by;

  @Option(
      names = "--timezone",
      paramLabel = "ZONE",
      defaultValue = "${env:DOCKERPULLS_TIMEZONE:-UTC}",
      description =
          "Time zone whose calendar days the periods follow, such as Europe/Berlin (env"
              + " DOCKERPULLS_TIMEZONE, default ${DEFAULT-VALUE}).")
  String timezone;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  ReportFormat format;

  /** {@code report --sort}. */
  enum ReportSort {
    name,
    pulls,
    total,
    change
  }

  @Option(
      names = {"-s", "--sort"},
      paramLabel = "ORDER",
      defaultValue = "name",
      description =
          "Order of the repositories: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}). pulls"
              + " (in the window), total and change put the most first.")
  ReportSort sort;

  @Option(
      names = "--tags",
      description =
          "Add the Docker Hub Insights the history holds (import insights): each repository's"
              + " weekly or monthly downloads and version checks, and its top tags. With --by week"
              + " or month.")
  boolean tags;

  @Option(
      names = "--tag",
      paramLabel = "PATTERN",
      description =
          "Only the tags PATTERN matches, such as 8.* or latest (* any characters, ? one);"
              + " implies --tags.")
  String tagPattern;

  @Option(
      names = "--legacy-metric",
      description =
          "With -f openmetrics: also the Flask exporter's gauge docker_image_pulls{image,"
              + "organization}, the Hub's figure as observed.")
  boolean legacyMetric;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE, replaced in one step, instead of stdout.")
  Path output;

  @Mixin HistoryOptions history;

  @Mixin LoggingOptions logging;

  @Mixin ConfigOption config;

  /** The clock that says what "now" is; tests fix it. */
  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    ReportQuery query;
    try {
      query =
          ReportQuery.parse(
              targets.targetsOrNone(), since, by.toString(), timezone, clock.instant());
    } catch (ReportQuery.Invalid e) {
      throw new ParameterException(
          spec.commandLine(), "--" + e.parameter() + ": " + e.getMessage());
    }
    String tagFilter = tagPattern != null ? tagPattern.strip() : tags ? "*" : null;
    if (tagFilter != null && query.by() == Granularity.DAY) {
      throw new ParameterException(
          spec.commandLine(),
          "--tags: Insights are totals of weeks or months, not days: add --by week or --by month");
    }
    if (tagFilter != null && tagFilter.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "--tag: give a tag or a pattern such as 8.*");
    }
    if (legacyMetric && format != ReportFormat.openmetrics) {
      throw new ParameterException(spec.commandLine(), "--legacy-metric: only with -f openmetrics");
    }
    if (tagFilter != null && format == ReportFormat.openmetrics) {
      throw new ParameterException(
          spec.commandLine(), "--tags: OpenMetrics holds the pull counts only, not Insights");
    }
    if (tagFilter != null && format == ReportFormat.html) {
      throw new ParameterException(
          spec.commandLine(), "--tags: the HTML report has no tags; use table, json or csv");
    }
    if (output != null) {
      String problem = OutputFile.problem(output);
      if (problem != null) {
        throw new ParameterException(spec.commandLine(), "--output: " + problem);
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    long written;
    try (HistoryStore store = history.openForReading(clock)) {
      if (query.targets().isEmpty()) {
        // Without --org or --repo: every repository the history holds.
        query = query.withTargets(store.namespaces());
      }
      List<String> order = null;
      if (sort != ReportSort.name
          && format != ReportFormat.html
          && format != ReportFormat.openmetrics) {
        order = sorted(store.totals(query)).stream().map(RepositoryHistory::fullName).toList();
      }
      ReportFormat.Input input =
          new ReportFormat.Input(store, query, order, since, tagFilter, legacyMetric);
      if (output == null) {
        PrintWriter out = spec.commandLine().getOut();
        written = format.write(input, out);
        out.flush();
      } else {
        long[] count = {0};
        OutputFile.write(
            output,
            stream -> {
              Writer file =
                  new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
              try {
                count[0] = format.write(input, file);
              } catch (HistoryException e) {
                throw new HistoryFailure(e);
              }
              file.flush();
            });
        written = count[0];
      }
    } catch (HistoryFailure e) {
      throw new CommandFailure(HistoryOptions.message(e.history));
    } catch (HistoryException e) {
      throw new CommandFailure(HistoryOptions.message(e));
    } catch (ReportQuery.TooLarge e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (IOException e) {
      throw new CommandFailure(
          "cannot write "
              + (output == null ? "the report" : output)
              + " ("
              + ErrorText.oneLine(e.getMessage())
              + ")");
    }
    if (written == 0) {
      err.println(
          "dockerpulls: warning: the history holds nothing of "
              + String.join(", ", query.targets().stream().map(t -> t.id()).toList()));
    }
    return ExitCode.OK;
  }

  /** A history failure while the output file was being written, carried out of the writing. */
  private static final class HistoryFailure extends IOException {
    private static final long serialVersionUID = 1L;
    final transient HistoryException history;

    HistoryFailure(HistoryException history) {
      super(history.getMessage(), history);
      this.history = history;
    }
  }

  private List<RepositoryHistory> sorted(List<RepositoryHistory> repositories) {
    Comparator<RepositoryHistory> byName = Comparator.comparing(RepositoryHistory::fullName);
    Comparator<RepositoryHistory> first =
        switch (sort) {
          case name -> (a, b) -> 0;
          case pulls ->
              Comparator.comparing(
                  RepositoryHistory::pulls, Comparator.nullsLast(Comparator.reverseOrder()));
          case total -> Comparator.comparingLong(RepositoryHistory::pullCount).reversed();
          case change ->
              Comparator.comparing(
                  ReportCommand::changeRatio, Comparator.nullsLast(Comparator.reverseOrder()));
        };
    return repositories.stream().sorted(first.thenComparing(byName)).toList();
  }

  /** The window's pulls over the previous window's, or null when either is unknown or zero. */
  static Double changeRatio(RepositoryHistory r) {
    if (r.pulls() == null || r.previousPulls() == null || r.previousPulls() == 0) {
      return null;
    }
    return (double) r.pulls() / r.previousPulls() - 1;
  }
}
