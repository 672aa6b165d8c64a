package io.github.dockerpulls.cli;

import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryLocation;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Retention;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the pull count history lives (an SQLite file in a directory, or a shared PostgreSQL
 * database), and for the recording commands whether and how long.
 */
public final class HistoryOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Directory of the history file dockerpulls.db (env DOCKERPULLS_DATA_DIR; default"
              + " $XDG_DATA_HOME/dockerpulls, else $HOME/.local/share/dockerpulls).")
  Path dataDir;

  @Option(
      names = "--history-url",
      paramLabel = "URL",
      description =
          "Keep the history in a PostgreSQL database that several processes share instead of"
              + " dockerpulls.db: postgresql://HOST[:PORT]/DATABASE?user=NAME[&sslmode=MODE] (env"
              + " DOCKERPULLS_HISTORY_URL).")
  String historyUrl;

  @Option(
      names = "--history-password-file",
      paramLabel = "FILE",
      description =
          "File holding the password of --history-url's user (env"
              + " DOCKERPULLS_HISTORY_PASSWORD_FILE; else env PGPASSWORD).")
  Path historyPasswordFile;

  /** The environment; tests replace it. */
  Map<String, String> environment = System.getenv();

  /** The data directory from the option, the environment, or the XDG default; empty if none. */
  Optional<Path> directory() {
    if (dataDir != null) {
      return Optional.of(dataDir);
    }
    String env = environment.get("DOCKERPULLS_DATA_DIR");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env));
    }
    return HistoryStore.defaultDirectory(environment);
  }

  /** The PostgreSQL URL from the option or the environment; null for the SQLite file. */
  private String url() {
    if (historyUrl != null && !historyUrl.isBlank()) {
      return historyUrl;
    }
    String env = environment.get("DOCKERPULLS_HISTORY_URL");
    return env == null || env.isBlank() ? null : env;
  }

  /**
   * The PostgreSQL database the options name; empty when they name none (the SQLite file).
   *
   * @throws ParameterException for a URL or a password file that cannot be used
   */
  Optional<HistoryLocation> shared() {
    String url = url();
    if (url == null) {
      if (historyPasswordFile != null) {
        throw new ParameterException(
            spec.commandLine(),
            "--history-password-file is the password of --history-url's user: give the URL too");
      }
      return Optional.empty();
    }
    Path file = historyPasswordFile;
    if (file == null) {
      String env = environment.get("DOCKERPULLS_HISTORY_PASSWORD_FILE");
      file = env == null || env.isBlank() ? null : Path.of(env);
    }
    try {
      return Optional.of(
          postgresql(url, "--history-url", file, "--history-password-file", environment));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /**
   * The PostgreSQL history at {@code url}, its user's password read from {@code passwordFile}, else
   * from {@code PGPASSWORD}.
   *
   * @throws IllegalArgumentException one line that begins with the option at fault
   */
  static HistoryLocation postgresql(
      String url,
      String urlOption,
      Path passwordFile,
      String passwordOption,
      Map<String, String> environment) {
    String password =
        SecretFile.fromFileOrEnvironment(passwordFile, passwordOption, environment, "PGPASSWORD");
    try {
      return HistoryLocation.postgresql(url, password);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(urlOption + ": " + e.getMessage(), e);
    }
  }

  /** Where the history is, from the options; empty when neither a URL nor a directory is known. */
  Optional<HistoryLocation> location() {
    Optional<HistoryLocation> shared = shared();
    if (shared.isPresent()) {
      return shared;
    }
    return directory().map(HistoryLocation::sqlite);
  }

  /**
   * The store for reading, which must exist.
   *
   * @throws CommandFailure when there is no history there or it is unusable
   */
  HistoryStore openForReading(Clock clock) {
    Optional<HistoryLocation> shared = shared();
    if (shared.isPresent()) {
      try {
        return HistoryStore.open(shared.get(), Retention.DEFAULT, clock);
      } catch (HistoryException e) {
        throw new CommandFailure(message(e));
      }
    }
    Path dir =
        directory()
            .orElseThrow(
                () ->
                    new ParameterException(
                        spec.commandLine(),
                        "no history directory: give --data-dir DIR (or set DOCKERPULLS_DATA_DIR)"));
    if (!java.nio.file.Files.isRegularFile(dir.resolve(HistoryStore.FILE_NAME))) {
      throw new CommandFailure(
          "no history in "
              + dir
              + " yet: export or serve record one (or give --data-dir where they did)");
    }
    SqliteNativeCache.use(environment);
    try {
      return HistoryStore.open(dir, Retention.DEFAULT, clock);
    } catch (HistoryException e) {
      throw new CommandFailure(message(e));
    }
  }

  /**
   * The history's one-line failure, and for a history that is not usable the option that chooses
   * another: the history module names no flags.
   */
  static String message(HistoryException e) {
    if (e.kind() != HistoryException.Kind.UNUSABLE) {
      return e.getMessage();
    }
    return e.getMessage().startsWith("postgresql://")
        ? e.getMessage() + "; or choose another --history-url"
        : e.getMessage() + "; or choose another --data-dir";
  }

  /**
   * The store for a command that records. Null, after one {@code warning}, when it cannot be
   * written: the command goes on without it.
   *
   * @throws CommandFailure when the file is not a usable history (it is never overwritten)
   */
  HistoryStore openForRecording(Retention retention, Clock clock, Consumer<String> warning) {
    Optional<HistoryLocation> where = location();
    if (where.isPresent() && !where.get().shared()) {
      SqliteNativeCache.use(environment);
    }
    if (where.isEmpty()) {
      warning.accept(
          "no history recorded: neither --data-dir, DOCKERPULLS_DATA_DIR, XDG_DATA_HOME nor HOME"
              + " is set (--no-history says this is intended)");
      return null;
    }
    try {
      return HistoryStore.open(where.get(), retention, clock);
    } catch (HistoryException e) {
      if (e.kind() == HistoryException.Kind.UNUSABLE) {
        throw new CommandFailure(message(e) + " (--no-history runs without it)");
      }
      warning.accept("no history recorded: " + message(e));
      return null;
    }
  }

  /**
   * The store for {@code serve}: {@link #openForRecording}, except that a PostgreSQL history that
   * cannot be reached yet costs one {@code warning} and is connected to at a later refresh, so that
   * a replica that starts before its database records once the database is there.
   *
   * @throws CommandFailure when the history is not a usable one (it is never overwritten)
   */
  HistoryStore openForServing(Retention retention, Clock clock, Consumer<String> warning) {
    Optional<HistoryLocation> where = shared();
    if (where.isEmpty()) {
      return openForRecording(retention, clock, warning);
    }
    try {
      return HistoryStore.openWaiting(
          where.get(),
          retention,
          clock,
          e -> warning.accept(message(e) + "; recording starts when it can be reached"));
    } catch (HistoryException e) {
      throw new CommandFailure(message(e) + " (--no-history runs without it)");
    }
  }

  /**
   * The store for an import, which needs it: created when missing, and any failure to open it stops
   * the command.
   *
   * @throws CommandFailure when it cannot be opened or is not a usable history
   */
  HistoryStore openForImport(Retention retention, Clock clock) {
    HistoryLocation where =
        location()
            .orElseThrow(
                () ->
                    new CommandFailure(
                        "no history directory: neither --data-dir, DOCKERPULLS_DATA_DIR,"
                            + " XDG_DATA_HOME nor HOME is set"));
    if (!where.shared()) {
      SqliteNativeCache.use(environment);
    }
    try {
      return HistoryStore.open(where, retention, clock);
    } catch (HistoryException e) {
      throw new CommandFailure(message(e));
    }
  }

  /**
   * {@link #openForRecording}, begun on a background thread so that loading the SQLite driver and
   * opening the file overlap with reading Docker Hub. The file's header is checked here first: a
   * file that is plainly not a usable history stops the command before anything is sent. Warnings
   * are added to {@code warnings} before the future completes (not printed while a progress line
   * may be drawn), so a caller reads them after {@code join()}; a file that only the full open
   * finds unusable completes the future with a {@link CommandFailure}.
   */
  CompletableFuture<HistoryStore> openForRecordingInBackground(
      Retention retention, Clock clock, List<String> warnings) {
    Optional<HistoryLocation> where = location();
    if (where.isPresent() && !where.get().shared()) {
      try {
        HistoryStore.checkHeader(where.get().file().orElseThrow().getParent());
      } catch (HistoryException e) {
        throw new CommandFailure(message(e) + " (--no-history runs without it)");
      }
    }
    CompletableFuture<HistoryStore> opened = new CompletableFuture<>();
    Thread opener =
        new Thread(
            () -> {
              try {
                HistoryStore store = openForRecording(retention, clock, warnings::add);
                if (store != null) {
                  try {
                    store.prepareRecording();
                  } catch (HistoryException e) {
                    // Reading ahead only saves time: the record meets the same failure and says it.
                  }
                }
                opened.complete(store);
              } catch (RuntimeException | Error e) {
                opened.completeExceptionally(e);
              }
            },
            "dockerpulls-history-open");
    opener.setDaemon(true);
    opener.start();
    return opened;
  }

  /** Whether {@code export} and {@code serve} record. */
  public static final class Recording {
    @Option(
        names = "--history",
        negatable = true,
        defaultValue = "${env:DOCKERPULLS_HISTORY:-true}",
        fallbackValue = "true",
        description =
            "Record every observation in the history (env DOCKERPULLS_HISTORY, default: on)."
                + " --no-history records nothing.")
    boolean enabled;
  }

  /** How long the commands that write the history keep each resolution. */
  public static final class Keep {
    @Option(
        names = "--keep-raw",
        paramLabel = "DURATION",
        defaultValue = "${env:DOCKERPULLS_KEEP_RAW:-1d}",
        converter = DurationConverter.class,
        description =
            "Keep every observation this long, then the first of each hour (env"
                + " DOCKERPULLS_KEEP_RAW, default ${DEFAULT-VALUE}).")
    Duration raw;

    @Option(
        names = "--keep-hourly",
        paramLabel = "DURATION",
        defaultValue = "${env:DOCKERPULLS_KEEP_HOURLY:-7d}",
        converter = DurationConverter.class,
        description =
            "Keep one observation per hour until this age, then the first of each UTC day (env"
                + " DOCKERPULLS_KEEP_HOURLY, default ${DEFAULT-VALUE}).")
    Duration hourly;

    @Option(
        names = "--keep-daily",
        paramLabel = "DURATION",
        defaultValue = "${env:DOCKERPULLS_KEEP_DAILY:-forever}",
        description =
            "Keep one observation per day until this age: a duration such as 730d, or forever"
                + " (env DOCKERPULLS_KEEP_DAILY, default ${DEFAULT-VALUE}).")
    String daily;

    Retention retention(CommandSpec spec) {
      Optional<Duration> days = Optional.empty();
      if (!daily.strip().equalsIgnoreCase("forever")) {
        try {
          days = Optional.of(new DurationConverter().convert(daily));
        } catch (picocli.CommandLine.TypeConversionException e) {
          throw new ParameterException(spec.commandLine(), "--keep-daily: " + e.getMessage());
        }
      }
      try {
        return new Retention(raw, hourly, days);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--keep-*: " + e.getMessage());
      }
    }
  }
}
