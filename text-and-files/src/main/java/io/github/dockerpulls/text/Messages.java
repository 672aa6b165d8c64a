package io.github.dockerpulls.text;

/**
 * Text from elsewhere (an exception, a server's answer, a log record) made fit for a one-line
 * message: every run of white space, line breaks included, becomes one space, control characters
 * become {@code ?} so that no escape sequence reaches a terminal, and long text is cut. The
 * exporter, the Elasticsearch sink and the command line all print through this; the Hub library,
 * which depends on nothing of ours, has its own.
 */
public final class Messages {
  private Messages() {}

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
              out.appendCodePoint(Character.isISOControl(c) ? '?' : c);
              count[0]++;
            });
    boolean cut = collapsed.codePointCount(0, collapsed.length()) > count[0];
    return cut ? out.append('…').toString() : out.toString();
  }
}
