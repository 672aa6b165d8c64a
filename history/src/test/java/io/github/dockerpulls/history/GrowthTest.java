package io.github.dockerpulls.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GrowthTest {
  private static final long H = 3600;

  @Test
  void aPeriodBetweenObservationsGetsItsLinearShare() {
    Growth g = ofCounts(new long[] {0, 10 * H}, new long[] {1000, 2000});
    assertThat(g.pulls(0, 5 * H)).isEqualTo(500);
    assertThat(g.pulls(5 * H, 10 * H)).isEqualTo(500);
    assertThat(g.pulls(2 * H, 3 * H)).isEqualTo(100);
  }

  @Test
  void adjacentPeriodsAddUpToTheTotalGrowthDespiteRounding() {
    Growth g = ofCounts(new long[] {0, 7 * H, 9 * H}, new long[] {0, 1000, 1001});
    long sum = 0;
    for (long t = 0; t < 9 * H; t += H / 3) {
      sum += g.pulls(t, t + H / 3);
    }
    assertThat(sum).isEqualTo(1001);
  }

  @Test
  void aDecreaseCountsAsNoPullsAndTheLowerFigureIsTheNewBase() {
    // 100 -> 150 (+50), down to 120 (0), then 120 -> 170 (+50): 100, never a negative step and
    // never the whole new total.
    Growth g = ofCounts(new long[] {0, H, 2 * H, 3 * H}, new long[] {100, 150, 120, 170});
    assertThat(g.pulls(0, 3 * H)).isEqualTo(100);
    assertThat(g.pulls(H, 2 * H)).isZero();
    assertThat(g.pulls(2 * H, 3 * H)).isEqualTo(50);
  }

  @Test
  void aGapIsBridgedByInterpolation() {
    // Observed at hour 0 and hour 72 only: each of the three days in between gets a third.
    Growth g = ofCounts(new long[] {0, 72 * H}, new long[] {0, 3000});
    assertThat(g.pulls(24 * H, 48 * H)).isEqualTo(1000);
  }

  @Test
  void nothingIsKnownBeforeTheFirstOrAfterTheLastObservation() {
    Growth g = ofCounts(new long[] {10 * H, 20 * H}, new long[] {0, 100});
    assertThat(g.pulls(0, 5 * H)).isNull();
    assertThat(g.pulls(25 * H, 30 * H)).isNull();
    assertThat(g.pulls(20 * H, 30 * H)).isNull();
    // A period the observations cover in part counts that part.
    assertThat(g.pulls(0, 15 * H)).isEqualTo(50);
  }

  @Test
  void oneObservationKnowsNoGrowth() {
    Growth g = ofCounts(new long[] {10 * H}, new long[] {500});
    assertThat(g.pulls(0, 20 * H)).isNull();
  }

  /** The line through observed counts. */
  private static Growth ofCounts(long[] times, long[] counts) {
    return Growth.ofCumulative(times, cumulativeOf(counts));
  }

  /**
   * Each count's growth since the first, a decrease adding nothing: the rule the history's writer
   * applies observation by observation.
   */
  static long[] cumulativeOf(long[] counts) {
    long[] growth = new long[counts.length];
    for (int i = 1; i < counts.length; i++) {
      growth[i] = growth[i - 1] + Math.max(0, counts[i] - counts[i - 1]);
    }
    return growth;
  }
}
