package io.github.dockerpulls.cli;

import io.github.dockerpulls.files.TextFiles;
import java.nio.file.Path;
import java.util.Map;

/** Reads a secret (a token, a password, an API key) from the file an option names. */
final class SecretFile {
  private SecretFile() {}

  /**
   * The file's content without surrounding white space.
   *
   * @param option the option that named the file, for the message
   * @throws IllegalArgumentException with a one-line message when the file cannot be read, is too
   *     large, is not text or is empty; the message names neither the file nor its content, since a
   *     secret given where its file was meant would otherwise be echoed
   */
  static String read(Path file, String option) {
    String secret;
    try {
      secret = TextFiles.read(file, TextFiles.SECRET_LIMIT).strip();
    } catch (TextFiles.Unusable e) {
      throw new IllegalArgumentException(option + ": " + reason(e));
    }
    if (secret.isEmpty()) {
      throw new IllegalArgumentException(option + ": the file is empty");
    }
    return secret;
  }

  /** Why a secret's file was refused, for a message that does not repeat its path. */
  static String reason(Exception e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (why.equals("the file does not exist")) {
      return why + " (give the path of a file that holds the secret, not the secret itself)";
    }
    return why;
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
