package io.github.dockerpulls.cli;

import io.github.dockerpulls.hub.HubListener;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How much a command says on stderr: {@code --verbose} adds stack traces to errors; progress (pages
 * fetched of pages known) is shown only when stderr is a terminal and not {@code --quiet}.
 */
public final class LoggingOptions {
  /** Set by the launcher when stderr is a terminal ({@code [ -t 2 ]}). */
  static final String STDERR_TTY_PROPERTY = "dockerpulls.stderr.tty";

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print stack traces with errors.")
  boolean verbose;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress on stderr.")
  boolean quiet;

  private volatile boolean progressShown;

  boolean showProgress() {
    return !quiet && Boolean.getBoolean(STDERR_TTY_PROPERTY);
  }

  /** A listener that redraws one progress line on stderr, or does nothing. */
  HubListener progressListener() {
    if (!showProgress()) {
      return HubListener.NONE;
    }
    PrintWriter err = spec.commandLine().getErr();
    return new HubListener() {
      @Override
      public synchronized void onListingProgress(String namespace, int fetched, int known) {
        progressShown = true;
        err.print("\r\033[K" + namespace + ": page " + fetched + " of " + known);
        err.flush();
      }
    };
  }

  /** Clears the progress line, if one was drawn. */
  void endProgress() {
    if (progressShown) {
      PrintWriter err = spec.commandLine().getErr();
      err.print("\r\033[K");
      err.flush();
    }
  }
}
