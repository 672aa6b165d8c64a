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
}
