package io.github.dockerpulls.cli;

import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * What the libraries log while a one-shot command runs (export, report, import, ratelimit), on
 * stderr in the commands' own style: {@code dockerpulls: warning: ...} on one line, control, bidi
 * and zero-width characters escaped, never the JDK's two-line default format. Records below WARNING
 * are dropped: a one-shot command says only what needs saying. {@code serve} replaces this with its
 * own log ({@link LogBridge}) while it runs.
 */
final class CommandLog extends RootLogHandler {
  private final PrintWriter err;

  private CommandLog(PrintWriter err) {
    super(Level.WARNING);
    this.err = err;
  }

  /** Routes the root logger's warnings and errors to {@code err} until closed. */
  static CommandLog install(PrintWriter err) {
    CommandLog log = new CommandLog(err);
    log.takeOver(null);
    return log;
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null || !isLoggable(record)) {
      return;
    }
    String message = text(record);
    String kind = record.getLevel().intValue() >= Level.SEVERE.intValue() ? "error" : "warning";
    synchronized (err) {
      err.println("dockerpulls: " + kind + ": " + ErrorText.oneLine(message));
      err.flush();
    }
  }

  @Override
  public void flush() {
    err.flush();
  }
}
