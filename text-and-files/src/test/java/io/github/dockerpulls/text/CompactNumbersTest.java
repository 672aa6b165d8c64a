package io.github.dockerpulls.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.text.testing.CompactNumbersTable;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
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

  /** The table that the dashboard's JavaScript is held to as well (DashboardBrowserTest). */
  @Test
  void followsTheSharedTable() throws IOException {
    Map<Long, String> table = CompactNumbersTable.read();
    assertThat(table).hasSizeGreaterThan(20);
    table.forEach(
        (n, expected) -> assertThat(CompactNumbers.format(n)).as("%d", n).isEqualTo(expected));
  }

  @Test
  void theLargestCountsStayCounts() {
    assertThat(CompactNumbers.format(Long.MAX_VALUE)).isEqualTo("9223372T");
    assertThat(CompactNumbers.format(Long.MIN_VALUE)).isEqualTo("-9223372T");
  }
}
