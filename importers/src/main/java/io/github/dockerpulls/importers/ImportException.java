package io.github.dockerpulls.importers;

/** A source could not be read; the message is one line for people and holds no secret. */
public final class ImportException extends Exception {
  private static final long serialVersionUID = 1L;

  public ImportException(String message, Throwable cause) {
    super(message, cause);
  }
}
