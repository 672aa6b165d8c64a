package io.github.dockerpulls.history;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The history's failures as one line for people: the file and what is wrong, never a flag name (the
 * command line adds which option chooses another file) and never SQL.
 */
final class HistoryFailures {
  private HistoryFailures() {}

  /** What was being done when the database failed. */
  enum Operation {
    OPEN("open", HistoryException.Kind.UNWRITABLE),
    WRITE("write", HistoryException.Kind.UNWRITABLE),
    COMPACT("compact", HistoryException.Kind.UNWRITABLE),
    READ("read", HistoryException.Kind.UNREADABLE);

    final String verb;
    final HistoryException.Kind kind;

    Operation(String verb, HistoryException.Kind kind) {
      this.verb = verb;
      this.kind = kind;
    }
  }

  /** A failure of the database while doing {@code operation} on {@code where}. */
  static HistoryException translate(HistoryLocation where, Operation operation, SQLException e) {
    if (where.shared()) {
      return new HistoryException(
          operation.kind,
          "cannot " + operation.verb + " the history " + where + ": " + postgresql(e),
          e);
    }
    Path file = where.file().orElseThrow();
    SQLiteErrorCode code =
        e instanceof SQLiteException s ? s.getResultCode() : SQLiteErrorCode.UNKNOWN_ERROR;
    int primary = code.code & 0xff;
    if (primary == SQLiteErrorCode.SQLITE_NOTADB.code
        || primary == SQLiteErrorCode.SQLITE_CORRUPT.code) {
      return damaged(file, e);
    }
    String why;
    if (primary == SQLiteErrorCode.SQLITE_FULL.code) {
      why = "the disk is full";
    } else if (primary == SQLiteErrorCode.SQLITE_READONLY.code
        || primary == SQLiteErrorCode.SQLITE_PERM.code) {
      why = "it is read-only";
    } else if (primary == SQLiteErrorCode.SQLITE_CANTOPEN.code) {
      why = "it cannot be opened";
    } else if (primary == SQLiteErrorCode.SQLITE_BUSY.code) {
      why =
          "another process held it for more than " + HistoryDatabase.BUSY_TIMEOUT_MS / 1000 + " s";
    } else if (primary == SQLiteErrorCode.SQLITE_IOERR.code) {
      why = "an I/O error";
    } else {
      why = code.message;
    }
    return new HistoryException(
        operation.kind, "cannot " + operation.verb + " " + file + ": " + why, e);
  }

  /** PostgreSQL's failure as a few words, by its SQLSTATE class; never SQL or a password. */
  private static String postgresql(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.startsWith("08")) {
      return "PostgreSQL cannot be reached (" + firstLine(e) + ")";
    }
    if (state.startsWith("28")) {
      return "PostgreSQL refused the user or the password";
    }
    if (state.equals("3D000")) {
      return "the database does not exist (create it first, for example with createdb)";
    }
    if (state.equals("42501")) {
      return "permission denied (" + firstLine(e) + ")";
    }
    if (state.equals("53100")) {
      return "the server's disk is full";
    }
    if (state.equals("25006")) {
      return "it is read-only (a standby server?)";
    }
    if (state.startsWith("57P")) {
      return "the server is shutting down or restarting";
    }
    return firstLine(e);
  }

  private static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    String line = (nl < 0 ? m : m.substring(0, nl)).strip();
    return line.startsWith("ERROR: ") ? line.substring(7) : line;
  }

  static HistoryException cannotCreateDirectory(Path directory, IOException e) {
    return new HistoryException(
        HistoryException.Kind.UNWRITABLE,
        "cannot create the history directory " + directory + " (" + reason(e) + ")",
        e);
  }

  static HistoryException notAFile(Path file) {
    return new HistoryException(
        HistoryException.Kind.UNUSABLE, file + " is not a file; move it", null);
  }

  static HistoryException damaged(Path file, SQLException cause) {
    return new HistoryException(
        HistoryException.Kind.UNUSABLE,
        file + " is damaged or not a database; move it aside (dockerpulls starts a new one)",
        cause);
  }

  static HistoryException foreign(Object where) {
    if (where instanceof HistoryLocation l && l.shared()) {
      return new HistoryException(
          HistoryException.Kind.UNUSABLE,
          where
              + " holds another program's tables of the names dockerpulls uses, not a dockerpulls"
              + " history; choose another database",
          null);
    }
    return new HistoryException(
        HistoryException.Kind.UNUSABLE,
        where + " is another program's SQLite database, not a dockerpulls history; move it",
        null);
  }

  static HistoryException newer(Object file, int version, int known) {
    return new HistoryException(
        HistoryException.Kind.UNUSABLE,
        file
            + " was written by a newer dockerpulls (schema "
            + version
            + ", this one knows "
            + known
            + "); upgrade dockerpulls",
        null);
  }

  private static String reason(IOException e) {
    if (e instanceof FileAlreadyExistsException) {
      return "a file is in the way";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
