package io.github.dockerpulls.hub;

import java.util.Objects;

/**
 * What the client exchanges for a Hub access token: a username with its password or personal access
 * token, or an organization name with an organization access token.
 *
 * <p>The secret is kept out of {@link #toString()}, {@link #equals(Object)} and every message.
 */
public final class Credentials {
  private final String identifier;
  private final String secret;

  private Credentials(String identifier, String secret) {
    this.identifier = identifier;
    this.secret = secret;
  }

  /**
   * @param identifier a username, or an organization name for an organization access token
   * @param secret the password, personal access token or organization access token
   */
  public static Credentials of(String identifier, String secret) {
    Objects.requireNonNull(identifier, "identifier");
    Objects.requireNonNull(secret, "secret");
    if (identifier.isBlank()) {
      throw new IllegalArgumentException("the Docker Hub username is empty");
    }
    if (secret.isBlank()) {
      throw new IllegalArgumentException("the Docker Hub token for " + identifier + " is empty");
    }
    return new Credentials(identifier.strip(), secret.strip());
  }

  public String identifier() {
    return identifier;
  }

  /** The secret itself; callers must not log it. */
  public String secret() {
    return secret;
  }

  @Override
  public String toString() {
    return "Credentials[identifier=" + identifier + ", secret=<redacted>]";
  }
}
