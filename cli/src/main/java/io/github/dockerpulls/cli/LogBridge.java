package io.github.dockerpulls.cli;

import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Sends what the libraries log (the poller and the HTTP server through {@code System.Logger},
 * OkHttp and the Elasticsearch client through {@code java.util.logging}) to the command's own log,
 * so that every stderr line of {@code serve} has one format: text lines, or one JSON object each
 * with {@code --log-format json}. Records below INFO are dropped; a record's exception adds its
 * one-line description, never a stack trace.
 */
final class LogBridge extends RootLogHandler {
  private final RefreshLog log;

  private LogBridge(RefreshLog log) {
    super(Level.INFO);
    this.log = log;
  }

  /** Routes the root logger's records to {@code log} until closed. */
  static LogBridge install(RefreshLog log) {
    LogBridge bridge = new LogBridge(log);
    bridge.takeOver(Level.INFO);
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

  @Override
  public void flush() {}
}
