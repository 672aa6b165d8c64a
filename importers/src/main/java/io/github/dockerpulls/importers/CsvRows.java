package io.github.dockerpulls.importers;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Rows of a CSV file read one at a time, whatever its size: RFC 4180 quoting, a comma, semicolon or
 * tab as the separator (the one the header line uses most), a byte order mark and CRLF line ends
 * accepted. A row longer than {@value #MAX_ROW_CHARS} characters or with more than {@value
 * #MAX_FIELDS} fields is passed over whole and reported, so that no file decides how much memory a
 * row takes.
 */
final class CsvRows implements AutoCloseable {
  static final int MAX_ROW_CHARS = 65_536;
  static final int MAX_FIELDS = 256;

  private final Reader in;
  private final char[] buffer = new char[16_384];
  private int position;
  private int limit;
  private char separator = 0;
  private long line;

  /** A row that could not be taken whole; the reader has moved past it. */
  static final class BadRow extends IOException {
    private static final long serialVersionUID = 1L;

    BadRow(String message) {
      super(message);
    }
  }

  CsvRows(Reader in) {
    this.in = in;
  }

  /**
   * {@code raw} as text: gunzipped first when it starts as a gzip stream does, so that a report
   * downloaded as {@code .csv.gz} or {@code .csv} reads alike.
   */
  static CsvRows of(InputStream raw) throws IOException {
    BufferedInputStream b = new BufferedInputStream(raw, 65_536);
    b.mark(2);
    int first = b.read();
    int second = b.read();
    b.reset();
    InputStream body = first == 0x1f && second == 0x8b ? new GZIPInputStream(b, 65_536) : b;
    return new CsvRows(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  /** The line the last row returned started on, from 1. */
  long line() {
    return line;
  }

  /**
   * The next row's fields, or null at the end.
   *
   * @throws BadRow for a row over the bounds, or with a quote left open at the end of the file
   */
  List<String> next() throws IOException {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean anything = false;
    int chars = 0;
    boolean tooLong = false;
    line++;
    long startLine = line;
    while (true) {
      int c = read();
      if (c < 0) {
        if (!anything) {
          return null;
        }
        if (quoted) {
          throw new BadRow("line " + startLine + ": a quote is left open at the end of the file");
        }
        break;
      }
      if (position == 1 && line == 1 && fields.isEmpty() && field.length() == 0 && c == 0xFEFF) {
        continue; // byte order mark
      }
      anything = true;
      if (++chars > MAX_ROW_CHARS || fields.size() > MAX_FIELDS) {
        tooLong = true;
      }
      if (quoted) {
        if (c == '"') {
          int n = peek();
          if (n == '"') {
            read();
            append(field, '"', tooLong);
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          append(field, (char) c, tooLong);
        }
        continue;
      }
      if (c == '"' && field.length() == 0) {
        quoted = true;
      } else if (c == '\n') {
        break;
      } else if (c == '\r') {
        if (peek() == '\n') {
          read();
        }
        break;
      } else if (separator == 0 ? isSeparator(c) : c == separator) {
        if (separator == 0) {
          separator = (char) c;
        }
        if (!tooLong) {
          fields.add(field.toString());
        }
        field.setLength(0);
      } else {
        append(field, (char) c, tooLong);
      }
    }
    if (tooLong) {
      throw new BadRow(
          "line "
              + startLine
              + ": longer than "
              + MAX_ROW_CHARS
              + " characters or "
              + MAX_FIELDS
              + " fields");
    }
    fields.add(field.toString());
    return fields;
  }

  /**
   * Chooses the separator from the header line: called before the first {@link #next()}, it looks
   * at what is buffered (the start of the file) and takes the one of comma, semicolon and tab the
   * first line holds most of, outside quotes.
   */
  void sniff() throws IOException {
    fill();
    int commas = 0;
    int semicolons = 0;
    int tabs = 0;
    boolean quoted = false;
    for (int i = position; i < limit; i++) {
      char c = buffer[i];
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == '\n' || c == '\r')) {
        break;
      } else if (!quoted) {
        commas += c == ',' ? 1 : 0;
        semicolons += c == ';' ? 1 : 0;
        tabs += c == '\t' ? 1 : 0;
      }
    }
    separator = tabs > commas && tabs > semicolons ? '\t' : semicolons > commas ? ';' : ',';
  }

  private static boolean isSeparator(int c) {
    return c == ',' || c == ';' || c == '\t';
  }

  private static void append(StringBuilder field, char c, boolean tooLong) {
    if (!tooLong) {
      field.append(c);
    }
  }

  private int read() throws IOException {
    if (position >= limit && !fill()) {
      return -1;
    }
    return buffer[position++];
  }

  private int peek() throws IOException {
    if (position >= limit && !fill()) {
      return -1;
    }
    return buffer[position];
  }

  private boolean fill() throws IOException {
    if (position < limit) {
      return true;
    }
    int n;
    do {
      n = in.read(buffer, 0, buffer.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
