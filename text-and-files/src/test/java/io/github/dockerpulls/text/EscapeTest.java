package io.github.dockerpulls.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EscapeTest {
  @Test
  void htmlEscapesMarkupAndBothQuotes() {
    assertThat(Escape.html("<b>\"x\" & 'y'</b>"))
        .isEqualTo("&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;");
  }

  @Test
  void htmlLeavesPlainTextAsItIs() {
    String plain = "camunda/zeebe 8.7 ünïcode";
    assertThat(Escape.html(plain)).isSameAs(plain);
  }

  @Test
  void jsonQuotesAndEscapesWhatJsonRequires() {
    assertThat(Escape.json("a\"b\\c\nd\re\tf\u0001"))
        .isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001\"");
  }

  @Test
  void jsonIsSafeInsideAScriptElement() {
    assertThat(Escape.json("</script><!-- & \u2028\u2029"))
        .isEqualTo("\"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029\"");
  }
}
