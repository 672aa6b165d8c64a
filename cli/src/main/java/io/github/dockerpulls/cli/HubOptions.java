package io.github.dockerpulls.cli;

import io.github.dockerpulls.hub.Credentials;
import io.github.dockerpulls.hub.DockerHub;
import io.github.dockerpulls.hub.HubListener;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How to reach Docker Hub and who to be there: shared by every command that talks to the Hub. */
public final class HubOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--hub-url",
      paramLabel = "URL",
      defaultValue = "${env:DOCKERHUB_API_URL:-" + DockerHub.DEFAULT_BASE_URL + "}",
      description = "Docker Hub's API (env DOCKERHUB_API_URL, default ${DEFAULT-VALUE}).")
  String hubUrl;

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
      description =
          "File holding the password, personal or organization access token (else env"
              + " DOCKERHUB_TOKEN).")
  Path tokenFile;

  /** The environment; tests replace it. */
  Map<String, String> environment = System.getenv();

  /**
   * A client built from these options.
   *
   * @throws ParameterException for a bad URL, an unreadable token file or half a credential
   */
  DockerHub buildHub(HubListener listener) {
    DockerHub.Builder builder = DockerHub.builder().listener(listener);
    try {
      // An environment variable that is set but empty means "the default", as in most tools.
      builder.baseUrl(hubUrl == null || hubUrl.isBlank() ? DockerHub.DEFAULT_BASE_URL : hubUrl);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--hub-url: " + e.getMessage());
    }
    Credentials credentials = credentials();
    if (credentials != null) {
      builder.credentials(credentials);
    }
    return builder.build();
  }

  Credentials credentials() {
    String token = null;
    if (tokenFile != null) {
      try {
        token = SecretFile.read(tokenFile, "--token-file");
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    } else {
      String fromEnv = environment.get("DOCKERHUB_TOKEN");
      token = fromEnv == null || fromEnv.isBlank() ? null : fromEnv.strip();
    }
    boolean hasUser = username != null && !username.isBlank();
    if (hasUser && token == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--username " + username + " needs a token: --token-file FILE or env DOCKERHUB_TOKEN");
    }
    if (!hasUser && token != null) {
      throw new ParameterException(
          spec.commandLine(),
          "a token was given without a user: add --username NAME or env DOCKERHUB_USERNAME");
    }
    return hasUser ? Credentials.of(username, token) : null;
  }
}
