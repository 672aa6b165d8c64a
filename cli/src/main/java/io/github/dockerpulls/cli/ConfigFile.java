package io.github.dockerpulls.cli;

import io.github.dockerpulls.files.TextFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code --config} file: options written as on the command line, one or more per line. {@code #}
 * at the start of a word starts a comment to the end of the line; values with spaces are quoted
 * with {@code "..."} (where {@code \"} and {@code \\} are escapes) or {@code '...'}. The file is
 * read whole, at most 1 MiB of UTF-8 text, and split in one pass (no recursion, whatever its
 * length).
 */
final class ConfigFile {
  private ConfigFile() {}

  /** Why the file cannot be used: one line, without its content. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  static List<String> read(Path file) throws Invalid {
    String text;
    try {
      text = TextFiles.read(file, TextFiles.DOCUMENT_LIMIT);
    } catch (TextFiles.Unusable e) {
      throw new Invalid(e.getMessage());
    }
    return split(text);
  }

  /** The words of {@code text}, comments dropped and quotes removed. */
  static List<String> split(String text) throws Invalid {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int line = 1;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
      }
      if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '#' && !inWord) {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '"' || c == '\'') {
        int start = line;
        inWord = true;
        i++;
        while (true) {
          if (i >= text.length()) {
            throw new Invalid("line " + start + ": a " + c + " quote is not closed");
          }
          char q = text.charAt(i);
          if (q == c) {
            i++;
            break;
          }
          if (q == '\n') {
            line++;
          }
          if (c == '"' && q == '\\' && i + 1 < text.length()) {
            char next = text.charAt(i + 1);
            if (next == '"' || next == '\\') {
              word.append(next);
              i += 2;
              continue;
            }
          }
          word.append(q);
          i++;
        }
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
