package io.github.dockerpulls.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads sizes as people write them: {@code 512MiB}, {@code 512M}, {@code 2GiB}, {@code 64KiB} or a
 * number of bytes. K, M and G count in powers of 1024 with or without the {@code i} and {@code B}.
 */
public final class SizeConverter implements ITypeConverter<Long> {
  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,18})\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?");

  @Override
  public Long convert(String value) {
    Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new TypeConversionException(
          "'" + value + "' is not a size (write it like 512MiB, 2GiB or 64KiB)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    int shift =
        switch (unit.charAt(0)) {
          case 'k' -> 10;
          case 'm' -> 20;
          case 'g' -> 30;
          case 't' -> 40;
          default -> 0;
        };
    if (n == 0) {
      throw new TypeConversionException("'" + value + "' is not a positive size");
    }
    if (Long.numberOfLeadingZeros(n) <= shift) {
      throw new TypeConversionException("'" + value + "' is too large");
    }
    return n << shift;
  }
}
