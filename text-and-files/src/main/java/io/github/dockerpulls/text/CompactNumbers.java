package io.github.dockerpulls.text;

/**
 * Counts in a few characters: 999, 1.2k, 12k, 4.8M, 1.2B. Badges, the report's table and the
 * dashboard (its {@code app.js} carries the same rule, tested against the same table) all write
 * counts this way.
 */
public final class CompactNumbers {
  private static final String[] UNITS = {"", "k", "M", "B", "T"};

  private CompactNumbers() {}

  /**
   * {@code n} with a unit: below 10 of a unit one decimal (dropped when it is 0), from 10 whole
   * numbers; a value that rounds to 1,000 of a unit moves to the next one. Halves round up, on the
   * exact count (integer arithmetic, so that the dashboard's JavaScript gives the same text).
   */
  public static String format(long n) {
    if (n < 0) {
      return "-" + format(n == Long.MIN_VALUE ? Long.MAX_VALUE : -n);
    }
    int unit = 0;
    long scale = 1;
    while (unit < UNITS.length - 1 && roundedDivision(n, scale) >= 1000) {
      unit++;
      scale *= 1000;
    }
    if (unit == 0) {
      return Long.toString(n);
    }
    long tenths = roundedDivision(n, scale / 10);
    if (tenths < 100) {
      long decimal = tenths % 10;
      return (tenths / 10) + (decimal == 0 ? "" : "." + decimal) + UNITS[unit];
    }
    return roundedDivision(n, scale) + UNITS[unit];
  }

  /** {@code n / d} rounded half up, for {@code n >= 0} and {@code d > 0}, without overflow. */
  private static long roundedDivision(long n, long d) {
    long q = n / d;
    long r = n % d;
    return r >= d - r ? q + 1 : q;
  }
}
