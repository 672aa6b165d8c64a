package io.github.dockerpulls.cli;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A handler that takes the place of the root logger's handlers while a command runs and puts them
 * back when closed: the common part of {@link CommandLog} and {@link LogBridge}.
 */
abstract class RootLogHandler extends Handler implements AutoCloseable {
  private final Logger root = LogManager.getLogManager().getLogger("");
  private final Handler[] replaced = root.getHandlers();
  private final Level rootLevel = root.getLevel();
  private boolean levelChanged;

  RootLogHandler(Level level) {
    setLevel(level);
  }

  /**
   * Replaces the root logger's handlers with this one; with a {@code rootLevel}, also sets the root
   * logger's level until closed (null leaves it).
   */
  final void takeOver(Level rootLevel) {
    for (Handler h : replaced) {
      root.removeHandler(h);
    }
    root.addHandler(this);
    if (rootLevel != null) {
      root.setLevel(rootLevel);
      levelChanged = true;
    }
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

  /** Puts the handlers back that were there before, and the root logger's level. */
  @Override
  public void close() {
    root.removeHandler(this);
    for (Handler h : replaced) {
      root.addHandler(h);
    }
    if (levelChanged) {
      root.setLevel(rootLevel);
    }
  }
}
