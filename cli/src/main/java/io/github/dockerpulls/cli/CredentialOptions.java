package io.github.dockerpulls.cli;

import io.github.dockerpulls.hub.Credentials;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Who to be on Docker Hub and at the registry: shared by every command that sends requests. */
public final class CredentialOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--username",
      paramLabel = "NAME",
      defaultValue = "${env:DOCKERHUB_USERNAME}",
      description =
          "Docker Hub user, or organization for an organization access token (env"
              + " DOCKERHUB_USERNAME). Needs a token.")
  String username;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      defaultValue = "${env:DOCKERHUB_TOKEN_FILE}",
      description =
          "File holding the password, personal or organization access token (env"
              + " DOCKERHUB_TOKEN_FILE; else the token itself in env DOCKERHUB_TOKEN).")
  Path tokenFile;

  /** The environment; tests replace it. */
  Map<String, String> environment = System.getenv();

  /**
   * The credentials, or null for an anonymous caller.
   *
   * @throws ParameterException for an unreadable or empty token file, or half a credential
   */
  Credentials credentials() {
    try {
      String token =
          SecretFile.fromFileOrEnvironment(
              tokenFile, "--token-file", environment, "DOCKERHUB_TOKEN");
      boolean hasUser =
          SecretFile.pair(
              username,
              token,
              "--username",
              "DOCKERHUB_USERNAME",
              "token",
              "--token-file",
              "DOCKERHUB_TOKEN");
      return hasUser ? Credentials.of(username, token) : null;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
