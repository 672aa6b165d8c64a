package io.github.dockerpulls.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HubJsonTest {
  /** What the short way must agree with: the exact reading of any number's text. */
  private static Long reference(String text) {
    try {
      return new BigDecimal(text.strip()).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  @Test
  void countsReadExactlyInEveryFormTheHubSends() {
    String[] texts = {
      "0",
      "159",
      "-3",
      "2244658322",
      "2.244658322e+09",
      "2.244658322E9",
      " 42 ",
      "1.0",
      "1.5",
      "-0",
      "+7",
      "999999999999999999",
      "9223372036854775807",
      "9223372036854775808",
      "-9223372036854775808",
      "",
      "-",
      "1e400",
      "2026-01-02T03:04:05.123456Z",
      "abc",
      "12a",
      "0x10",
      "1_000"
    };
    for (String t : texts) {
      assertThat(HubJson.exactOrNull(t)).as("'%s'", t).isEqualTo(reference(t));
    }
    // BigDecimal would read other scripts' digits; a count is ASCII digits only.
    assertThat(HubJson.exactOrNull("\u0663")).isNull();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 100_000; i++) {
      String t = Long.toString(random.nextLong() >> random.nextInt(64));
      assertThat(HubJson.exactOrNull(t)).isEqualTo(reference(t));
    }
  }

  @Test
  void timesReadAsTheFormatterReadsThem() {
    String[] texts = {
      "2026-01-02T03:04:05.123456Z",
      "2026-01-02T03:04:05Z",
      "2026-01-02T03:04:05.1Z",
      "2026-01-02T03:04:05.123456789Z",
      "2024-02-29T00:00:00Z",
      "2023-02-29T00:00:00Z",
      "2026-02-30T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-01-02T24:00:00Z",
      "2026-01-02T23:59:60Z",
      "2026-01-02T03:04:05.Z",
      "2026-01-02T03:04:05.1234567890Z",
      "2026-01-02 03:04:05Z",
      "2026-01-02T03:04:05+02:00",
      "2026-01-02T03:04:05.5-05:30",
      "0000-01-01T00:00:00Z",
      "2026-1-02T03:04:05Z",
      "2026-01-02T03:04:0xZ",
      "Z"
    };
    for (String t : texts) {
      Object expected;
      try {
        expected = java.time.OffsetDateTime.parse(t).toInstant();
      } catch (java.time.format.DateTimeParseException e) {
        expected = "refused";
      }
      Object actual;
      try {
        actual = HubJson.instant(t);
      } catch (java.time.format.DateTimeParseException e) {
        actual = "refused";
      }
      assertThat(actual).as(t).isEqualTo(expected);
    }
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 50_000; i++) {
      java.time.Instant t =
          java.time.Instant.ofEpochSecond(
              random.nextLong(0, 4_102_444_800L), random.nextInt(1_000_000_000));
      String text = t.toString();
      assertThat(HubJson.instant(text))
          .as(text)
          .isEqualTo(java.time.OffsetDateTime.parse(text).toInstant());
    }
  }
}
