package io.github.dockerpulls.cli;

import java.io.PrintWriter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the libraries log while a one-shot command runs (export, report, import, ratelimit), on
 * stderr in the commands' own style: {@code dockerpulls: warning: ...} on one line, control, bidi
 * and zero-width characters escaped, never the JDK's two-line default format. Records below WARNING
 * are dropped: a one-shot command says only what needs saying. {@code serve} replaces this with its
 * own log ({@link LogBridge}) while it runs.
 */
final class CommandLog extends Handler implements AutoCloseable {
  private final PrintWriter err;
  private final Logger root = LogManager.getLogManager().getLogger("");
  private final Handler[] replaced;

  private CommandLog(PrintWriter err) {
    this.err = err;
    this.replaced = root.getHandlers();
    setLevel(Level.WARNING);
  }

  /** Routes the root logger's warnings and errors to {@code err} until closed. */
  static CommandLog install(PrintWriter err) {
    CommandLog log = new CommandLog(err);
    for (Handler h : log.replaced) {
      log.root.removeHandler(h);
    }
    log.root.addHandler(log);
    return log;
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null || !isLoggable(record)) {
      return;
    }
    String message = LogBridge.text(record);
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

  /** Puts the handlers back that were there before. */
  @Override
  public void close() {
    root.removeHandler(this);
    for (Handler h : replaced) {
      root.addHandler(h);
    }
  }
}
