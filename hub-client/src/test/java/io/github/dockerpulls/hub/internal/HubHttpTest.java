package io.github.dockerpulls.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HubHttpTest {
  private static final String WHALE = "\uD83D\uDC33"; // one code point, two UTF-16 units

  @Test
  void oneLineCutsAndMarksByCodePoints() {
    String hundred = WHALE.repeat(100);
    assertThat(HubHttp.oneLine(hundred, 120)).isEqualTo(hundred);
    assertThat(HubHttp.oneLine(WHALE.repeat(121), 120)).isEqualTo(WHALE.repeat(120) + "...");
    assertThat(HubHttp.oneLine(WHALE.repeat(120), 120)).isEqualTo(WHALE.repeat(120));
  }

  @Test
  void oneLineJoinsLinesAndHidesControlCharacters() {
    assertThat(HubHttp.oneLine(" a\n\tb \u001b[31mc ", 120)).isEqualTo("a b ?[31mc");
    assertThat(HubHttp.oneLine(null, 10)).isEmpty();
  }

  @Test
  void textLeftAsItIsIsExactlyWhatTheLongWayGives() {
    // Every string of up to 5 of these characters, cut at 4: the short cut changes nothing.
    char[] alphabet = {'a', ' ', '\t', '\n', '\u0085', '\u00a0', '\u2003', '\u001b'};
    java.util.List<String> level = java.util.List.of("");
    int checked = 0;
    for (int length = 0; length <= 5; length++) {
      java.util.List<String> next = new java.util.ArrayList<>();
      for (String s : level) {
        assertThat(HubHttp.oneLine(s, 4)).as("'%s'", s).isEqualTo(HubHttp.collapse(s, 4));
        checked++;
        for (char c : alphabet) {
          next.add(s + c);
        }
      }
      level = next;
    }
    assertThat(checked).isEqualTo(37_449);
    String plain = "Camunda Platform 8: the process automation engine";
    assertThat(HubHttp.oneLine(plain, 120)).isSameAs(plain);
  }
}
