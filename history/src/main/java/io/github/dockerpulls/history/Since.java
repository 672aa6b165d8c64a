package io.github.dockerpulls.history;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** The start of a report's window as people write it: {@code 24h}, {@code 30d}, a date. */
public final class Since {
  private Since() {}

  /**
   * Reads {@code 24h}, {@code 7d}, {@code 2w}, {@code 1y} (365 days) back from {@code now}, a date
   * such as {@code 2026-01-01} (its start in {@code zone}) or an ISO-8601 instant.
   *
   * @throws IllegalArgumentException with a message for people, when it is none of those or not
   *     before {@code now}
   */
  public static Instant parse(String text, Instant now, ZoneId zone) {
    String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    Instant from = null;
    try {
      if (s.matches("\\d{1,6}[hdwy]")) {
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        Duration d =
            switch (s.charAt(s.length() - 1)) {
              case 'h' -> Duration.ofHours(n);
              case 'd' -> Duration.ofDays(n);
              case 'w' -> Duration.ofDays(7 * n);
              default -> Duration.ofDays(365 * n);
            };
        from = now.minus(d);
      } else if (s.matches("\\d{4}-\\d{2}-\\d{2}")) {
        from = LocalDate.parse(s).atStartOfDay(zone).toInstant();
      } else if (!s.isEmpty()) {
        from = Instant.parse(text.strip());
      }
    } catch (DateTimeParseException | ArithmeticException e) {
      from = null;
    }
    if (from == null || !from.isBefore(now)) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a time in the past (write 24h, 7d, 30d, 1y or a date like 2026-01-01)");
    }
    return from;
  }
}
