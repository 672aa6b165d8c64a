package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FormatTest {
  @Test
  void thousandsWritesWhatPercentCommaDWrites() {
    long[] edges = {
      0, 1, -1, 999, 1000, -1000, 999_999, 1_000_000, 12_345_678, Long.MAX_VALUE, Long.MIN_VALUE
    };
    for (long n : edges) {
      assertThat(Format.thousands(n)).as("%d", n).isEqualTo(String.format(Locale.ROOT, "%,d", n));
    }
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 100_000; i++) {
      long n = random.nextLong() >> random.nextInt(64);
      assertThat(Format.thousands(n)).isEqualTo(String.format(Locale.ROOT, "%,d", n));
    }
  }

  @Test
  void humanTimeWritesWhatTheFormatterWrites() {
    SplittableRandom random = new SplittableRandom(7);
    long from = Instant.parse("1000-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 100_000; i++) {
      Instant t =
          Instant.ofEpochSecond(random.nextLong(from, to + 1), random.nextInt(1_000_000_000));
      assertThat(Format.humanTime(t)).isEqualTo(Format.HUMAN_TIME.format(t));
    }
    for (String edge :
        new String[] {
          "2026-01-02T03:04:05.123456Z", "0999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z"
        }) {
      Instant t = Instant.parse(edge);
      assertThat(Format.humanTime(t)).as(edge).isEqualTo(Format.HUMAN_TIME.format(t));
    }
  }
}
