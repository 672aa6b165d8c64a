package io.github.dockerpulls.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MessagesTest {
  @Test
  void joinsLinesAndCollapsesWhiteSpace() {
    assertEquals(
        "cannot reach es: connection refused",
        Messages.oneLine("  cannot reach es:\n\tconnection   refused\r\n", 100));
  }

  @Test
  void replacesControlCharactersSoNoEscapeSequenceReachesATerminal() {
    assertEquals("?[31mred?[0m bell?", Messages.oneLine("\u001b[31mred\u001b[0m bell\u0007", 100));
  }

  @Test
  void hidesWhatReordersOrHidesTextOnATerminal() {
    // "admin\u202E\u2066txt.exe" would read reversed; zero-width characters hide a difference.
    assertEquals(
        "user ??txt.exe a?b c?d ?e",
        Messages.oneLine("user \u202E\u2066txt.exe a\u200Bb c\u200Dd \uFEFFe", 100));
  }

  @Test
  void cutsLongTextAtWholeCodePoints() {
    assertEquals("abc…", Messages.oneLine("abcdef", 3));
    assertEquals("😀😀…", Messages.oneLine("😀😀😀", 2));
    assertEquals("abc", Messages.oneLine("abc", 3));
  }

  @Test
  void nullIsEmpty() {
    assertEquals("", Messages.oneLine(null, 10));
  }
}
