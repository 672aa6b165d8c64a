package io.github.dockerpulls.history;

/**
 * The history could not be opened, read or written. The message is one line for people and never
 * holds anything but the file's path and the reason.
 */
public final class HistoryException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What the caller should do. */
  public enum Kind {
    /**
     * The file is not a dockerpulls history (corrupt, another program's, a newer schema): it is
     * left untouched, and a command that needs it stops.
     */
    UNUSABLE,
    /**
     * It cannot be written now (read-only, disk full, the directory cannot be made): recording is
     * skipped and everything else goes on.
     */
    UNWRITABLE,
    /**
     * It cannot be read now (an I/O error, another process holding it too long): the read that
     * needed it fails, and the file is left as it is.
     */
    UNREADABLE
  }

  private final Kind kind;

  HistoryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
