package io.github.dockerpulls.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as people write them: {@code 30s}, {@code 5m}, {@code 1h30m}, or {@code PT5M}.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  @Override
  public Duration convert(String value) {
    Duration d = parse(value);
    if (d.isZero() || d.isNegative()) {
      throw new TypeConversionException("'" + value + "' is not a positive duration");
    }
    return d;
  }

  static Duration parse(String value) {
    String s = value.strip().toLowerCase(Locale.ROOT);
    if (s.startsWith("p")) {
      try {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw invalid(value);
      }
    }
    Matcher m = PART.matcher(s);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw invalid(value);
      }
      try {
        long n = Long.parseLong(m.group(1));
        total =
            total.plus(
                switch (m.group(2)) {
                  case "ms" -> Duration.ofMillis(n);
                  case "s" -> Duration.ofSeconds(n);
                  case "m" -> Duration.ofMinutes(n);
                  case "h" -> Duration.ofHours(n);
                  default -> Duration.ofDays(n);
                });
      } catch (NumberFormatException | ArithmeticException e) {
        throw new TypeConversionException("'" + value + "' is too long a duration");
      }
      end = m.end();
    }
    if (end == 0 || end != s.length()) {
      throw invalid(value);
    }
    return total;
  }

  private static TypeConversionException invalid(String value) {
    return new TypeConversionException(
        "'" + value + "' is not a duration (write it like 30s, 5m, 1h or 1h30m)");
  }

  /** {@code 5m}, {@code 30s}, {@code 1h30m}: the form {@link #parse} reads. */
  static String format(Duration d) {
    StringBuilder out = new StringBuilder();
    long h = d.toHours();
    int m = d.toMinutesPart();
    int s = d.toSecondsPart();
    int ms = d.toMillisPart();
    if (h > 0) {
      out.append(h).append('h');
    }
    if (m > 0) {
      out.append(m).append('m');
    }
    if (s > 0) {
      out.append(s).append('s');
    }
    if (ms > 0 || out.length() == 0) {
      out.append(ms).append("ms");
    }
    return out.toString();
  }
}
