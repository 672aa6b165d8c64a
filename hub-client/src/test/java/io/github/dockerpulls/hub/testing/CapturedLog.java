package io.github.dockerpulls.hub.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What one logger (java.util.logging, where System.Logger goes by default) logs while this is open:
 * kept for the test to check instead of printed, so that a passing run's output stays clean.
 */
public final class CapturedLog implements AutoCloseable {
  private final Logger logger;
  private final boolean parents;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private CapturedLog(String name) {
    this.logger = Logger.getLogger(name);
    this.parents = logger.getUseParentHandlers();
    logger.addHandler(handler);
    logger.setUseParentHandlers(false);
  }

  /** Captures what the logger named after {@code type} logs, until {@link #close()}. */
  public static CapturedLog of(Class<?> type) {
    return new CapturedLog(type.getName());
  }

  /** The records so far. */
  public List<LogRecord> records() {
    return List.copyOf(records);
  }

  /** The messages so far. */
  public List<String> messages() {
    return records.stream().map(LogRecord::getMessage).toList();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setUseParentHandlers(parents);
  }
}
