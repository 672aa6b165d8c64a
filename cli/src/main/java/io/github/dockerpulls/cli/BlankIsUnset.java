package io.github.dockerpulls.cli;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Option;

/**
 * Makes an environment variable that is set but empty count as unset, as Docker and Kubernetes
 * users expect ({@code -e DOCKERPULLS_PORT=} means "no value"): for an option whose default is
 * {@code ${env:VAR:-fallback}} or {@code ${env:VAR}}, a blank {@code VAR} gives the fallback, or no
 * value at all. Picocli itself would take the empty string as the value.
 */
final class BlankIsUnset implements IDefaultValueProvider {
  private static final Pattern ENV =
      Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(:-(.*))?}");

  private final Map<String, String> environment;

  BlankIsUnset(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg.userObject() instanceof Field field)) {
      return null;
    }
    Option option = field.getAnnotation(Option.class);
    if (option == null) {
      return null;
    }
    Matcher m = ENV.matcher(option.defaultValue());
    if (!m.matches()) {
      return null;
    }
    String value = environment.get(m.group(1));
    if (value == null || !value.isBlank()) {
      return null; // unset, or a value: picocli's own reading stands
    }
    return m.group(3) != null ? m.group(3) : Option.NULL_VALUE;
  }
}
