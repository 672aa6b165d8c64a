package io.github.dockerpulls.cli;

import io.github.dockerpulls.hub.DockerHub;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the registry's pull rate limit is read: its token service and the registry itself. Shared
 * by {@code ratelimit} and {@code serve --pull-limit}; only proxies and tests change them.
 */
public final class RegistryOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--registry-url",
      paramLabel = "URL",
      defaultValue = "${env:DOCKERHUB_REGISTRY_URL:-" + DockerHub.DEFAULT_REGISTRY_URL + "}",
      description =
          "The registry asked for the pull rate limit (env DOCKERHUB_REGISTRY_URL, default"
              + " ${DEFAULT-VALUE}).")
  String registryUrl;

  @Option(
      names = "--registry-auth-url",
      paramLabel = "URL",
      defaultValue =
          "${env:DOCKERHUB_REGISTRY_AUTH_URL:-" + DockerHub.DEFAULT_REGISTRY_AUTH_URL + "}",
      description =
          "The registry's token service (env DOCKERHUB_REGISTRY_AUTH_URL, default"
              + " ${DEFAULT-VALUE}).")
  String registryAuthUrl;

  /**
   * Sets both addresses on {@code builder}.
   *
   * @throws ParameterException when one is not an http(s) URL
   */
  void apply(DockerHub.Builder builder) {
    try {
      builder.registryUrl(orDefault(registryUrl, DockerHub.DEFAULT_REGISTRY_URL));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--registry-url: " + e.getMessage());
    }
    try {
      builder.registryAuthUrl(orDefault(registryAuthUrl, DockerHub.DEFAULT_REGISTRY_AUTH_URL));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--registry-auth-url: " + e.getMessage());
    }
  }

  /** An environment variable that is set but empty means "the default", as in most tools. */
  static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
