package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @ParameterizedTest
  @CsvSource({
    "30s, PT30S",
    "5m, PT5M",
    "1h30m, PT1H30M",
    "1d, PT24H",
    "250ms, PT0.25S",
    "2h5m10s, PT2H5M10S",
    "PT5M, PT5M",
    "pt90s, PT1M30S",
    "' 5m ', PT5M",
    "5M, PT5M",
  })
  void durationsParseAsPeopleWriteThem(String written, String expected) {
    assertThat(converter.convert(written)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "m", "5 m", "5mm", "1.5m", "-5m", "5m30", "soon", "P", "PTx"})
  void anythingElseIsNamedWithTheFormToUse(String written) {
    assertThatThrownBy(() -> converter.convert(written))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'" + written + "' is not a duration (write it like 30s, 5m, 1h or 1h30m)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "0m0s", "PT0S", "PT-5M"})
  void zeroAndNegativeDurationsAreRefused(String written) {
    assertThatThrownBy(() -> converter.convert(written))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'" + written + "' is not a positive duration");
  }

  @ParameterizedTest
  @ValueSource(strings = {"99999999999999999999s", "9223372036854775807d"})
  void durationsTooLongForJavaAreRefusedWithoutAnInternalError(String written) {
    assertThatThrownBy(() -> converter.convert(written))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'" + written + "' is too long a duration");
  }

  @ParameterizedTest
  @CsvSource({"PT5M, 5m", "PT30S, 30s", "PT1H30M, 1h30m", "PT0.25S, 250ms", "PT24H, 24h"})
  void formatWritesTheFormParseReads(String duration, String written) {
    Duration d = Duration.parse(duration);
    assertThat(DurationConverter.format(d)).isEqualTo(written);
    assertThat(DurationConverter.parse(written)).isEqualTo(d);
  }
}
