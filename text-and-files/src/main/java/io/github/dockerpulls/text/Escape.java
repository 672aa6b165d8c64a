package io.github.dockerpulls.text;

/**
 * Text from elsewhere (a repository's name, a description, a target) made safe where it is put:
 * inside HTML or SVG, and inside a JSON string that may itself sit in an HTML page. Every page,
 * badge and JSON answer of dockerpulls escapes through these two.
 */
public final class Escape {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Escape() {}

  /**
   * {@code s} for HTML or XML text and attribute values (quoted with either quote): {@code < > & "
   * '} become entities, everything else stays.
   */
  public static String html(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String entity =
          switch (c) {
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '&' -> "&amp;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
          };
      if (entity != null && out == null) {
        out = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (out != null) {
        if (entity != null) {
          out.append(entity);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? s : out.toString();
  }

  /**
   * {@code s} as a JSON string, quotes included. Besides what JSON requires, {@code < > &} and the
   * line and paragraph separators are written as {@code \}{@code uXXXX}, so that the string is also
   * safe inside an HTML {@code <script>} element.
   */
  public static String json(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
            b.append("\\u")
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
