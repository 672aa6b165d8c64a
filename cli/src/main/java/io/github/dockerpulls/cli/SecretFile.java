package io.github.dockerpulls.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
