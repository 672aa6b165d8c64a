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
      /**
       * The most pages drawn per namespace: pages finish out of order, the count never goes back.
       */
      private final java.util.Map<String, Integer> shown = new java.util.HashMap<>();

      @Override
      public synchronized void onListingProgress(String namespace, int fetched, int known) {
        int done = Math.max(fetched, fetched == 1 ? 1 : shown.getOrDefault(namespace, 0));
        if (fetched == 1) {
          shown.put(namespace, 1); // a new walk of the listing starts again at page 1
        } else if (done == shown.getOrDefault(namespace, 0)) {
          return;
        }
        shown.put(namespace, done);
        progressShown = true;
        err.print("\r\033[K" + namespace + ": page " + done + " of " + known);
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
