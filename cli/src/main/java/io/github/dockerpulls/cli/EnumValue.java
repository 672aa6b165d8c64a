package io.github.dockerpulls.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an option's enum value in any case and, when the value is none of them, lists the values in
 * the lower case that help, the docs and the examples use ({@code table, json, csv}), where
 * picocli's own converter would list the Java constants ({@code [TABLE, JSON, CSV]}).
 */
final class EnumValue<E extends Enum<E>> implements ITypeConverter<E> {
  private final Class<E> type;

  private EnumValue(Class<E> type) {
    this.type = type;
  }

  /** The name a user types for {@code value}. */
  static String spelling(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @Override
  public E convert(String value) {
    String typed = value.strip();
    for (E constant : type.getEnumConstants()) {
      if (spelling(constant).equalsIgnoreCase(typed) || constant.name().equalsIgnoreCase(typed)) {
        return constant;
      }
    }
    throw new TypeConversionException(
        "'"
            + value
            + "' is not one of "
            + Arrays.stream(type.getEnumConstants())
                .map(EnumValue::spelling)
                .collect(Collectors.joining(", ")));
  }

  /** Registers the converter for every enum type an option of {@code cl} or its commands has. */
  static void registerAll(CommandLine cl) {
    cl.getCommandSpec().options().stream()
        .map(o -> o.auxiliaryTypes().length > 0 ? o.auxiliaryTypes()[0] : o.type())
        .filter(Class::isEnum)
        .distinct()
        .forEach(t -> register(cl, t));
    for (CommandLine sub : cl.getSubcommands().values()) {
      registerAll(sub);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void register(CommandLine cl, Class<?> type) {
    cl.registerConverter((Class) type, new EnumValue(type));
  }
}
