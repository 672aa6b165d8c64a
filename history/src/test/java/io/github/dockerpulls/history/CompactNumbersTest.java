package io.github.dockerpulls.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompactNumbersTest {
  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "999, 999",
    "1000, 1k",
    "1234, 1.2k",
    "9949, 9.9k",
    "9950, 10k",
    "12345, 12k",
    "999499, 999k",
    "999999, 1M",
    "1234567, 1.2M",
    "4800000000, 4.8B",
    "2242267726, 2.2B",
    "-1500, -1.5k"
  })
  void abbreviatesAsBadgesDo(long n, String expected) {
    assertThat(CompactNumbers.format(n)).isEqualTo(expected);
  }
}
