package io.github.dockerpulls.cli;

import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends what the libraries log (the poller and the HTTP server through {@code System.Logger},
 * OkHttp and the Elasticsearch client through {@code java.util.logging}) to the command's own log,
 * so that every stderr line of {@code serve} has one format: text lines, or one JSON object each
 * with {@code --log-format json}. Records below INFO are dropped; a record's exception adds its
 * one-line description, never a stack trace.
 */
final class LogBridge extends Handler implements AutoCloseable {
  private final RefreshLog log;
  private final Logger root = LogManager.getLogManager().getLogger("");
  private final Handler[] replaced;
  private final Level rootLevel;

  private LogBridge(RefreshLog log) {
    this.log = log;
    this.replaced = root.getHandlers();
    this.rootLevel = root.getLevel();
    setLevel(Level.INFO);
  }

  /** Routes the root logger's records to {@code log} until closed. */
  static LogBridge install(RefreshLog log) {
    LogBridge bridge = new LogBridge(log);
    for (Handler h : bridge.replaced) {
      bridge.root.removeHandler(h);
    }
    bridge.root.addHandler(bridge);
    bridge.root.setLevel(Level.INFO);
    return bridge;
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null || !isLoggable(record)) {
      return;
    }
    String message = text(record);
    int level = record.getLevel().intValue();
    String name =
        level >= Level.SEVERE.intValue()
            ? "error"
            : level >= Level.WARNING.intValue() ? "warn" : "info";
    String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
    log.log(name, ErrorText.oneLine(message), Map.of("logger", logger.toLowerCase(Locale.ROOT)));
  }

  /** A record's text: its message with its parameters, and its exception's one-line description. */
  static String text(LogRecord record) {
    String message = record.getMessage();
    Object[] params = record.getParameters();
    if (params != null && params.length > 0 && message != null) {
      try {
        message = java.text.MessageFormat.format(message, params);
      } catch (IllegalArgumentException badPattern) {
        // Keep the pattern as it is.
      }
    }
    if (message == null) {
      message = "";
    }
    Throwable thrown = record.getThrown();
    if (thrown != null && !message.contains(String.valueOf(thrown.getMessage()))) {
      message = message + ": " + ErrorText.oneLine(String.valueOf(thrown));
    }
    return message;
  }

  @Override
  public void flush() {}

  /** Puts the handlers back that were there before. */
  @Override
  public void close() {
    root.removeHandler(this);
    for (Handler h : replaced) {
      root.addHandler(h);
    }
    root.setLevel(rootLevel);
  }
}
