package io.github.dockerpulls.history;

import java.util.Locale;

/** Counts in a few characters, as badges show them: 999, 1.2k, 12k, 4.8M, 1.2B. */
public final class CompactNumbers {
  private static final String[] UNITS = {"", "k", "M", "B", "T"};

  private CompactNumbers() {}

  /**
   * {@code n} with a unit: below 10 of a unit one decimal (dropped when it is 0), from 10 whole
   * numbers; a value that rounds to 1,000 of a unit moves to the next one.
   */
  public static String format(long n) {
    if (n < 0) {
      return "-" + format(-n);
    }
    if (n < 1000) {
      return Long.toString(n);
    }
    double value = n;
    int unit = 0;
    while (unit < UNITS.length - 1 && Math.round(value) >= 1000) {
      value /= 1000;
      unit++;
    }
    String text;
    if (value < 9.95) {
      text = String.format(Locale.ROOT, "%.1f", value);
      if (text.endsWith(".0")) {
        text = text.substring(0, text.length() - 2);
      }
    } else {
      long whole = Math.round(value);
      if (whole >= 1000 && unit < UNITS.length - 1) {
        return "1" + UNITS[unit + 1];
      }
      text = Long.toString(whole);
    }
    return text + UNITS[unit];
  }
}
