package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class SizeConverterTest {
  private final SizeConverter sizes = new SizeConverter();

  @ParameterizedTest
  @CsvSource({
    "512MiB, 536870912",
    "512M, 536870912",
    "512mb, 536870912",
    "2GiB, 2147483648",
    "64KiB, 65536",
    "900, 900",
    "900B, 900",
    "1 TiB, 1099511627776"
  })
  void sizesReadAsPeopleWriteThem(String text, long bytes) {
    assertThat(sizes.convert(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "lots", "0", "-1M", "1.5G", "9999999999999999T", "5 PB"})
  void anythingElseIsRefusedInOneLine(String text) {
    assertThatThrownBy(() -> sizes.convert(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageNotContaining("\n");
  }
}
