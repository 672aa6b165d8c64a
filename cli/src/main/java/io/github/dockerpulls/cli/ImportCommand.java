package io.github.dockerpulls.cli;

import io.github.dockerpulls.elasticsearch.EsConnection;
import io.github.dockerpulls.elasticsearch.EsSettings;
import io.github.dockerpulls.elasticsearch.SinkException;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Since;
import io.github.dockerpulls.importers.ElasticsearchImport;
import io.github.dockerpulls.importers.ImportException;
import io.github.dockerpulls.importers.ImportSummary;
import io.github.dockerpulls.importers.PrometheusImport;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dockerpulls import}: brings the history users already have into dockerpulls'. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Bring into the history what Prometheus, Elasticsearch or Docker Hub Insights hold.",
      "report and the exporter's API then show the months before dockerpulls ran. Importing twice"
          + " adds nothing twice."
    },
    subcommands = {
      ImportCommand.FromPrometheus.class,
      ImportCommand.FromElasticsearch.class,
      InsightsImportCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  imported",
      "  1  the source could not be read, or the history is not usable",
      "  2  bad input",
      "  3  some of the sources were imported, others not"
    })
public final class ImportCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "missing source: say 'import prometheus' or 'import elasticsearch'");
  }

  /** What both sources share: where the history is, how far back, and how it is kept. */
  abstract static class Source implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin HistoryOptions history;

    @Mixin HistoryOptions.Keep keep;

    @Mixin LoggingOptions logging;

    /** The clock that says what "now" is; tests fix it. */
    Clock clock = Clock.systemUTC();

    abstract String since();

    /** Imports into {@code store} from {@code from} to {@code until}; the summary line. */
    abstract String run(HistoryStore store, Instant from, Instant until, PrintWriter err)
        throws Exception;

    @Override
    public Integer call() throws Exception {
      Instant until = clock.instant();
      Instant from;
      try {
        from = Since.parse(since(), until, ZoneOffset.UTC);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--since: " + e.getMessage());
      }
      check();
      PrintWriter err = spec.commandLine().getErr();
      HistoryStore store = history.openForImport(keep.retention(spec), clock);
      String summary;
      try (store) {
        summary = run(store, from, until, err);
      } catch (HistoryException e) {
        throw new CommandFailure(HistoryOptions.message(e));
      } finally {
        if (logging.showProgress()) {
          err.print("\r\033[K");
          err.flush();
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(summary);
      out.flush();
      return exitCode();
    }

    /** The exit code once the summary is printed: some sources may have failed. */
    int exitCode() {
      return ExitCode.OK;
    }

    /** Checks the source's options before anything is opened. */
    abstract void check();

    /** Redraws the progress line on stderr, when it is a terminal. */
    void progress(PrintWriter err, String text) {
      if (logging.showProgress()) {
        err.print("\r\033[K" + text);
        err.flush();
      }
    }

    /** The one summary line: what was imported and, by example, what was skipped. */
    static String summary(String source, ImportSummary s) {
      String line =
          String.format(
              Locale.ROOT,
              "imported %,d series, %,d points (%,d new) from %s, %s",
              s.series(),
              s.points(),
              s.added(),
              source,
              s.first() == null ? "no data in the range" : s.first() + " to " + s.last());
      return s.skippedByKind().isEmpty()
          ? line
          : line + "; skipped " + String.join(", ", s.skippedByKind());
    }
  }

  /** {@code import prometheus}. */
  @Command(
      name = "prometheus",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      description = {
        "Read the Flask exporter's gauge and dockerpulls' counter from Prometheus into the history.",
        "The series are docker_image_pulls{image,organization} and dockerhub_repository_pulls_total,"
            + " read through Prometheus' HTTP API."
      })
  static final class FromPrometheus extends Source {
    @Option(
        names = "--prometheus-url",
        paramLabel = "URL",
        defaultValue = "${env:DOCKERPULLS_PROMETHEUS_URL}",
        description =
            "The Prometheus server, such as http://prometheus:9090 (env"
                + " DOCKERPULLS_PROMETHEUS_URL).")
    String url;

    @Option(
        names = "--since",
        paramLabel = "WHEN",
        defaultValue = "90d",
        description =
            "How far back: 30d, 90d, 1y or a date such as 2026-01-01 (default ${DEFAULT-VALUE}).")
    String since;

    @Option(
        names = "--step",
        paramLabel = "DURATION",
        defaultValue = "5m",
        converter = DurationConverter.class,
        description =
            "One count per repository every DURATION (default ${DEFAULT-VALUE}); at most 5m keeps"
                + " gaps as gaps.")
    Duration step;

    private URI uri;

    @Override
    String since() {
      return since;
    }

    @Override
    void check() {
      if (url == null || url.isBlank()) {
        throw new ParameterException(
            spec.commandLine(), "--prometheus-url URL is required (or DOCKERPULLS_PROMETHEUS_URL)");
      }
      try {
        uri = URI.create(url.strip());
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null
          || uri.getHost() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new ParameterException(
            spec.commandLine(), "--prometheus-url: '" + url + "' is not an http(s) URL");
      }
      if (step.toSeconds() < 1) {
        throw new ParameterException(spec.commandLine(), "--step: at least 1s");
      }
    }

    @Override
    String run(HistoryStore store, Instant from, Instant until, PrintWriter err)
        throws HistoryException {
      try {
        ImportSummary s =
            new PrometheusImport(uri, step)
                .into(
                    store,
                    from,
                    until,
                    (done, total) -> progress(err, "prometheus: query " + done + " of " + total));
        return summary("Prometheus", s);
      } catch (ImportException e) {
        throw new CommandFailure(e.getMessage());
      }
    }
  }

  /** {@code import elasticsearch}. */
  @Command(
      name = "elasticsearch",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      description = {
        "Read the Metricbeat setup's documents and dockerpulls' own from Elasticsearch into the"
            + " history.",
        "Each document's http.docker_hub.namespace, name and pull_count at @timestamp are taken."
      })
  static final class FromElasticsearch extends Source {
    @Option(
        names = "--index",
        paramLabel = "PATTERN",
        defaultValue = "${env:DOCKERPULLS_IMPORT_INDEX:-docker-pulls-*}",
        description =
            "The indices to read (env DOCKERPULLS_IMPORT_INDEX, default ${DEFAULT-VALUE}).")
    String index;

    @Option(
        names = "--since",
        paramLabel = "WHEN",
        defaultValue = "10y",
        description =
            "How far back: 90d, 1y, a date such as 2026-01-01 (default ${DEFAULT-VALUE}: all).")
    String since;

    @Mixin ElasticsearchOptions elasticsearch;

    private EsSettings settings;

    @Override
    String since() {
      return since;
    }

    @Override
    void check() {
      if (!elasticsearch.configured()) {
        throw new ParameterException(
            spec.commandLine(), "import elasticsearch needs --es-url URL (or env ES_URL)");
      }
      if (index == null || index.isBlank()) {
        throw new ParameterException(spec.commandLine(), "--index: give an index pattern");
      }
      settings = elasticsearch.settings(clock);
    }

    @Override
    String run(HistoryStore store, Instant from, Instant until, PrintWriter err)
        throws HistoryException {
      try (EsConnection connection = new EsConnection(settings)) {
        ImportSummary s =
            new ElasticsearchImport(connection, index.strip())
                .into(
                    store,
                    from,
                    until,
                    (read, total) ->
                        progress(
                            err,
                            String.format(
                                Locale.ROOT, "elasticsearch: %,d of %,d documents", read, total)));
        return summary("Elasticsearch " + index.strip(), s);
      } catch (SinkException e) {
        throw new CommandFailure(ElasticsearchOptions.message(e));
      }
    }
  }
}
