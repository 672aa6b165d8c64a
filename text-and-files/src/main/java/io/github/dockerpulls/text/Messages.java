package io.github.dockerpulls.text;

/**
 * Text from elsewhere (an exception, a server's answer, a log record) made fit for a one-line
 * message: every run of white space, line breaks included, becomes one space; control characters,
 * and the invisible ones that reorder or hide text on a terminal (bidi controls such as U+202E and
 * U+2066, zero-width spaces and joiners, the byte order mark), become {@code ?}, so that no escape
 * sequence reaches a terminal and nothing reads other than it is; long text is cut. The exporter,
 * the Elasticsearch sink and the command line all print through this; the Hub library, which
 * depends on nothing of ours, has its own.
 */
public final class Messages {
  private Messages() {}

  /** Bidi controls, zero-width characters and the byte order mark. */
  static boolean isInvisible(int c) {
    return (c >= 0x200B && c <= 0x200F)
        || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x061C
        || c == 0x2060
        || c == 0xFEFF;
  }

  /**
   * {@code text} on one line, at most {@code max} characters (code points) followed by {@code …}
   * when cut; the empty string for null.
   */
  public static String oneLine(String text, int max) {
    if (text == null) {
      return "";
    }
    String collapsed = text.replaceAll("\\s+", " ").strip();
    StringBuilder out = new StringBuilder(Math.min(collapsed.length(), max) + 1);
    int[] count = {0};
    collapsed
        .codePoints()
        .limit(max)
        .forEach(
            c -> {
              out.appendCodePoint(Character.isISOControl(c) || isInvisible(c) ? '?' : c);
              count[0]++;
            });
    boolean cut = collapsed.codePointCount(0, collapsed.length()) > count[0];
    return cut ? out.append('…').toString() : out.toString();
  }
}
