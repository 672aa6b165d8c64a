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

  /**
   * A listener that redraws one progress line on stderr, and counts down a wait for the Hub's rate
   * limit there; piped, a wait is one line and there is no progress; quiet, nothing.
   */
  HubListener progressListener() {
    if (quiet) {
      return HubListener.NONE;
    }
    PrintWriter err = spec.commandLine().getErr();
    if (!showProgress()) {
      return new HubListener() {
        @Override
        public synchronized void onRateLimitWait(java.time.Instant until, String reason) {
          if (isWorthSaying(reason)) {
            err.println(
                "dockerpulls: waiting for "
                    + reason
                    + " until "
                    + until.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            err.flush();
          }
        }
      };
    }
    return new HubListener() {
      @Override
      public void onRateLimitWait(java.time.Instant until, String reason) {
        if (!isWorthSaying(reason)) {
          return;
        }
        Thread countdown =
            new Thread(
                () -> {
                  try {
                    while (true) {
                      long left =
                          java.time.Duration.between(java.time.Instant.now(), until).toSeconds();
                      if (left <= 0) {
                        return;
                      }
                      synchronized (this) {
                        progressShown = true;
                        err.print(
                            "\r\033[Kwaiting for "
                                + reason
                                + " until "
                                + until.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                                + " ("
                                + left
                                + " s)");
                        err.flush();
                      }
                      Thread.sleep(1000);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "dockerpulls-countdown");
        countdown.setDaemon(true);
        countdown.start();
      }

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

  /** Waits worth a line: a 429 and a used-up budget, not the short spacing of a low one. */
  static boolean isWorthSaying(String reason) {
    return !reason.contains("spaced out");
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
