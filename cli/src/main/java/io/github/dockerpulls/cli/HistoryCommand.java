package io.github.dockerpulls.cli;

import io.github.dockerpulls.elasticsearch.DeliveryReport;
import io.github.dockerpulls.elasticsearch.ElasticsearchSink;
import io.github.dockerpulls.elasticsearch.EsConnection;
import io.github.dockerpulls.elasticsearch.EsSettings;
import io.github.dockerpulls.history.HistoryCopy;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryLocation;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Observation;
import io.github.dockerpulls.history.Since;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.Target;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dockerpulls history}: work on the history as a whole. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Work on the history as a whole: move it between SQLite and PostgreSQL, backfill Elasticsearch.",
    },
    subcommands = {HistoryCommand.Copy.class, HistoryCommand.Backfill.class})
public final class HistoryCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "missing subcommand: say 'history copy' or 'history backfill'");
  }

  /** {@code history copy --from A --to B}. */
  @Command(
      name = "copy",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      description = {
        "Copy a whole history into an empty one: an SQLite file to PostgreSQL, or back.",
        "Everything is copied as stored, in one transaction, and the rows of each table are"
            + " counted on both sides at the end. Stop the processes that write the source first.",
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  dockerpulls history copy --from sqlite:/var/lib/dockerpulls \\",
        "      --to 'postgresql://db:5432/dockerpulls?user=dockerpulls' \\",
        "      --to-password-file /run/secrets/pg",
        "",
        "Exit codes:",
        "  0  copied, and the counts agree",
        "  1  either history could not be used, the target is not empty, or the counts differ",
        "  2  bad input"
      })
  static final class Copy implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--from",
        required = true,
        paramLabel = "WHERE",
        description =
            "The history to copy: sqlite:DIR (the directory of dockerpulls.db) or"
                + " postgresql://HOST[:PORT]/DATABASE?user=NAME.")
    String from;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "WHERE",
        description = "Where to copy it, as --from; created when missing, and it must be empty.")
    String to;

    @Option(
        names = "--from-password-file",
        paramLabel = "FILE",
        description = "Password of --from's PostgreSQL user (else env PGPASSWORD).")
    Path fromPasswordFile;

    @Option(
        names = "--to-password-file",
        paramLabel = "FILE",
        description = "Password of --to's PostgreSQL user (else env PGPASSWORD).")
    Path toPasswordFile;

    @Mixin LoggingOptions logging;

    /** The environment; tests replace it. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() {
      HistoryLocation source = location("--from", from, fromPasswordFile, true);
      HistoryLocation target = location("--to", to, toPasswordFile, false);
      if (!source.shared() || !target.shared()) {
        SqliteNativeCache.use(environment);
      }
      PrintWriter err = spec.commandLine().getErr();
      Map<String, Long> counts;
      try {
        counts =
            HistoryCopy.copy(
                source,
                target,
                (table, rows) -> {
                  if (logging.showProgress()) {
                    err.print(
                        String.format(Locale.ROOT, "\r\033[Kcopying %s: %,d rows", table, rows));
                    err.flush();
                  }
                });
      } catch (HistoryException e) {
        throw new CommandFailure(e.getMessage());
      } finally {
        if (logging.showProgress()) {
          err.print("\r\033[K");
          err.flush();
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "copied "
              + count(counts.get("repository"), "repository", "repositories")
              + ", "
              + count(
                  counts.get("observation") + counts.get("recent"), "observation", "observations")
              + " and "
              + count(counts.get("insight"), "Insights figure", "Insights figures")
              + " from "
              + source
              + " to "
              + target
              + "; the counts of every table agree");
      out.flush();
      return ExitCode.OK;
    }

    private static String count(long n, String one, String many) {
      return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? one : many);
    }

    /** A location as the options give it; the source must exist. */
    private HistoryLocation location(
        String option, String text, Path passwordFile, boolean source) {
      String t = text.strip();
      if (HistoryLocation.isPostgresql(t)) {
        try {
          return HistoryOptions.postgresql(
              t, option, passwordFile, option + "-password-file", environment);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), e.getMessage());
        }
      }
      try {
        if (passwordFile != null) {
          throw new IllegalArgumentException(
              "a password file is for a postgresql:// history, not for an SQLite file");
        }
        if (!t.startsWith("sqlite:") || t.length() == "sqlite:".length()) {
          throw new IllegalArgumentException(
              "say sqlite:DIR (the directory of dockerpulls.db) or postgresql://HOST/DATABASE");
        }
        Path path = Path.of(t.substring("sqlite:".length()));
        if (path.getFileName() != null
            && path.getFileName().toString().equals(HistoryStore.FILE_NAME)) {
          path = path.toAbsolutePath().getParent();
        }
        if (source && !Files.isRegularFile(path.resolve(HistoryStore.FILE_NAME))) {
          throw new IllegalArgumentException("no history in " + path);
        }
        return HistoryLocation.sqlite(path);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
      }
    }
  }

  /** {@code history backfill --to elasticsearch}. */
  @Command(
      name = "backfill",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      description = {
        "Write the history into Elasticsearch as the documents export and serve write.",
        "One document per repository and observation in PREFIX-YYYY, with the ids export and serve"
            + " give them: a run again writes nothing twice, and what serve already wrote stays."
            + " For Prometheus, see report -f openmetrics.",
      },
      footerHeading = "%nExit codes:%n",
      footer = {
        "  0  everything in the range was written (or was there already)",
        "  1  the history could not be read, or Elasticsearch stopped taking documents",
        "  2  bad input",
        "  3  Elasticsearch refused some documents for good"
      })
  static final class Backfill implements Callable<Integer> {
    @Spec CommandSpec spec;

    /** Where a backfill writes. */
    enum Destination {
      elasticsearch
    }

    @Option(
        names = "--to",
        required = true,
        paramLabel = "elasticsearch",
        description = "Where to write: elasticsearch.")
    Destination to;

    @Option(
        names = "--since",
        paramLabel = "WHEN",
        defaultValue = "1y",
        description =
            "How far back: 30d, 1y or a date such as 2026-01-01 (default ${DEFAULT-VALUE}).")
    String since;

    @Mixin TargetOptions targets;

    @Mixin HistoryOptions history;

    @Mixin ElasticsearchOptions elasticsearch;

    @Mixin ElasticsearchOptions.Sink esSink;

    @Mixin LoggingOptions logging;

    /** The clock that says what "now" is; tests fix it. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
      Instant until = clock.instant();
      Instant from;
      try {
        from = Since.parse(since, until, ZoneOffset.UTC);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--since: " + e.getMessage());
      }
      if (!elasticsearch.configured()) {
        throw new ParameterException(
            spec.commandLine(), "--to elasticsearch needs --es-url URL (or env ES_URL)");
      }
      EsSettings settings = elasticsearch.settings(clock, esSink);
      PrintWriter err = spec.commandLine().getErr();
      if (settings.insecure()) {
        err.println("dockerpulls: WARNING: " + ElasticsearchOptions.INSECURE);
      }
      long[] totals = new long[3]; // instants, documents, already there
      List<String> rejected = new ArrayList<>();
      DeliveryReport[] failed = {null};
      try (HistoryStore store = history.openForReading(clock);
          EsConnection connection = new EsConnection(settings);
          ElasticsearchSink sink = ElasticsearchSink.create(connection)) {
        List<Target> list = targets.targetsOrNone();
        if (list.isEmpty()) {
          list = store.namespaces(); // every repository the history holds
        }
        try {
          store.replay(
              list,
              from,
              until,
              observations -> {
                DeliveryReport r = sink.write(snapshot(observations));
                totals[0]++;
                totals[1] += r.documents();
                totals[2] += r.existing();
                if (rejected.size() < 10) {
                  rejected.addAll(r.rejected());
                }
                if (r.failure().isPresent()) {
                  failed[0] = r;
                  throw new Stop();
                }
                progress(err, totals);
              });
        } catch (Stop stopped) {
          // Elasticsearch stopped taking documents: said below.
        }
      } catch (HistoryException e) {
        throw new CommandFailure(HistoryOptions.message(e));
      } finally {
        if (logging.showProgress()) {
          err.print("\r\033[K");
          err.flush();
        }
      }
      for (String r : rejected) {
        err.println("dockerpulls: elasticsearch rejected " + r);
      }
      String summary =
          String.format(
              Locale.ROOT,
              "wrote %,d documents (%,d already there) for %,d instants of the history to %s",
              totals[1],
              totals[2],
              totals[0],
              settings.where());
      if (failed[0] != null) {
        err.println("dockerpulls: " + summary);
        err.println(
            "dockerpulls: "
                + ElasticsearchOptions.message(failed[0].failure().get())
                + "; the same command again goes on where this one stopped");
        return ExitCode.FAILED;
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(summary);
      out.flush();
      return rejected.isEmpty() ? ExitCode.OK : ExitCode.PARTIAL;
    }

    private void progress(PrintWriter err, long[] totals) {
      if (logging.showProgress()) {
        err.print(
            String.format(
                Locale.ROOT,
                "\r\033[Kbackfilling: %,d instants, %,d documents",
                totals[0],
                totals[1] + totals[2]));
        err.flush();
      }
    }

    /** The observations of one instant as the snapshot a refresh would have delivered. */
    private static Snapshot snapshot(List<Observation> observations) {
      List<RepositoryStats> repositories = new ArrayList<>(observations.size());
      for (Observation o : observations) {
        repositories.add(
            new RepositoryStats(
                o.namespace(),
                o.name(),
                o.pullCount(),
                o.starCount(),
                o.lastUpdated(),
                OptionalLong.empty(),
                Optional.empty()));
      }
      return new Snapshot(
          observations.get(0).observedAt(),
          Duration.ZERO,
          repositories,
          List.of(),
          Optional.empty(),
          Optional.empty());
    }

    /** Stops the replay when Elasticsearch stops taking documents. */
    private static final class Stop extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Stop() {
        super(null, null, false, false);
      }
    }
  }
}
