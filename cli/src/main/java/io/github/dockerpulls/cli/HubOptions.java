package io.github.dockerpulls.cli;

import io.github.dockerpulls.hub.Credentials;
import io.github.dockerpulls.hub.DockerHub;
import io.github.dockerpulls.hub.HubListener;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where Docker Hub's API is: shared by every command that reads repositories. */
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
      names = "--max-repositories",
      paramLabel = "N",
      defaultValue =
          "${env:DOCKERPULLS_MAX_REPOSITORIES:-"
              + DockerHub.DEFAULT_MAX_REPOSITORIES_PER_TARGET
              + "}",
      description =
          "The most repositories read of one organization (env DOCKERPULLS_MAX_REPOSITORIES,"
              + " default ${DEFAULT-VALUE}): one that Docker Hub says has more fails after its"
              + " first page.")
  int maxRepositories;

  /** The environment, for HTTPS_PROXY and the like; tests replace it. */
  java.util.Map<String, String> environment = System.getenv();

  /**
   * A client for this Hub, with the caller's credentials.
   *
   * @param registry where to read the pull rate limit, or null for the defaults
   * @throws ParameterException for a bad URL, an unreadable token file or half a credential
   */
  DockerHub buildHub(
      CredentialOptions credentials, RegistryOptions registry, HubListener listener) {
    DockerHub.Builder builder = DockerHub.builder().listener(listener);
    try {
      builder.baseUrl(RegistryOptions.orDefault(hubUrl, DockerHub.DEFAULT_BASE_URL));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--hub-url: " + e.getMessage());
    }
    try {
      builder.maxRepositoriesPerTarget(maxRepositories);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--max-repositories: " + e.getMessage());
    }
    if (registry != null) {
      registry.apply(builder);
    }
    EnvironmentProxy.apply(builder, environment, spec.commandLine());
    Credentials c = credentials.credentials();
    if (c != null) {
      builder.credentials(c);
    }
    return builder.build();
  }
}
