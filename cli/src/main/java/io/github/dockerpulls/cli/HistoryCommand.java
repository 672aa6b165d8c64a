package io.github.dockerpulls.cli;

import io.github.dockerpulls.history.HistoryCopy;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryLocation;
import io.github.dockerpulls.history.HistoryStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
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
      "Work on the history as a whole: move it between an SQLite file and PostgreSQL.",
    },
    subcommands = {HistoryCommand.Copy.class})
public final class HistoryCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: say 'history copy'");
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
      try {
        if (HistoryLocation.isPostgresql(t)) {
          String password =
              SecretFile.fromFileOrEnvironment(
                  passwordFile, option + "-password-file", environment, "PGPASSWORD");
          return HistoryLocation.postgresql(t, password);
        }
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
}
