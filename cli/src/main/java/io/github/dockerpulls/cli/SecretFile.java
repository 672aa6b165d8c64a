package io.github.dockerpulls.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads a secret (a token, a password, an API key) from the file an option names. */
final class SecretFile {
  private SecretFile() {}

  /**
   * The file's content without surrounding white space.
   *
   * @param option the option that named the file, for the message
   * @throws IllegalArgumentException with a one-line message when the file cannot be read or is
   *     empty; the message names the file, never its content
   */
  static String read(Path file, String option) {
    String secret;
    try {
      secret = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException | SecurityException e) {
      throw new IllegalArgumentException(
          option + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    if (secret.isEmpty()) {
      throw new IllegalArgumentException(option + ": " + file + " is empty");
    }
    return secret;
  }

  /**
   * The secret from the file an option names, else from an environment variable that holds the
   * secret itself, else null.
   */
  static String fromFileOrEnvironment(
      Path file, String option, Map<String, String> environment, String variable) {
    if (file != null) {
      return read(file, option);
    }
    String value = environment.get(variable);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /**
   * Checks that a user and its secret come together, or neither.
   *
   * @param what the secret's name in messages: {@code token}, {@code password}
   * @return whether there is a user (and so a secret)
   * @throws IllegalArgumentException naming the options and variables that complete the pair
   */
  static boolean pair(
      String user,
      String secret,
      String userOption,
      String userVariable,
      String what,
      String secretOption,
      String secretVariable) {
    boolean hasUser = user != null && !user.isBlank();
    if (hasUser && secret == null) {
      throw new IllegalArgumentException(
          userOption
              + " "
              + user
              + " needs a "
              + what
              + ": "
              + secretOption
              + " FILE or env "
              + secretVariable);
    }
    if (!hasUser && secret != null) {
      throw new IllegalArgumentException(
          "a "
              + what
              + " was given without a user: add "
              + userOption
              + " NAME or env "
              + userVariable);
    }
    return hasUser;
  }
}
