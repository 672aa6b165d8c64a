package io.github.dockerpulls.cli;

import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What to track: organizations and single repositories. */
public final class TargetOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--org",
      paramLabel = "NAME",
      split = ",",
      description =
          "An organization or user whose repositories to read; repeat for more (env"
              + " DOCKERHUB_ORGANIZATION, comma-separated).")
  List<String> organizations = new ArrayList<>();

  @Option(
      names = "--repo",
      paramLabel = "NS/NAME",
      split = ",",
      description =
          "One repository, such as library/httpd; repeat for more (env DOCKERHUB_REPOSITORIES,"
              + " comma-separated).")
  List<String> repositories = new ArrayList<>();

  /** The environment; tests replace it. */
  Map<String, String> environment = System.getenv();

  /**
   * The validated targets, organizations first.
   *
   * @throws ParameterException when there are none or a name is invalid
   */
  List<Target> targets() {
    List<Target> targets = targetsOrNone();
    if (targets.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "nothing to read: name at least one --org NAME or --repo NS/NAME (or set"
              + " DOCKERHUB_ORGANIZATION)");
    }
    return targets;
  }

  /** The targets named, from the options or the environment; empty when none is. */
  List<Target> targetsOrNone() {
    List<Target> targets = new ArrayList<>();
    List<String> organizations = this.organizations;
    List<String> repositories = this.repositories;
    if (organizations.isEmpty() && repositories.isEmpty()) {
      // As the Flask exporter did: the targets may come from the environment alone.
      organizations = fromEnvironment("DOCKERHUB_ORGANIZATION");
      repositories = fromEnvironment("DOCKERHUB_REPOSITORIES");
    }
    try {
      for (String org : organizations) {
        if (org.indexOf('/') >= 0) {
          throw new HubException.InvalidName(
              "invalid organization '"
                  + org
                  + "': an organization has no '/' (use --repo NS/NAME)");
        }
        targets.add(Target.organization(org));
      }
      for (String repo : repositories) {
        targets.add(Target.repository(repo));
      }
    } catch (HubException.InvalidName e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return targets;
  }

  private List<String> fromEnvironment(String name) {
    String value = environment.get(name);
    if (value == null || value.isBlank()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (String part : value.split(",")) {
      names.add(part.strip());
    }
    return names;
  }
}
