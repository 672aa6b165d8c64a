package io.github.dockerpulls.cli;

import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.Target;
import java.util.ArrayList;
import java.util.List;
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
      description = "An organization or user whose repositories to read; repeat for more.")
  List<String> organizations = new ArrayList<>();

  @Option(
      names = "--repo",
      paramLabel = "NS/NAME",
      description = "One repository, such as library/httpd; repeat for more.")
  List<String> repositories = new ArrayList<>();

  /**
   * The validated targets, organizations first.
   *
   * @throws ParameterException when there are none or a name is invalid
   */
  List<Target> targets() {
    List<Target> targets = new ArrayList<>();
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
    if (targets.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "nothing to read: name at least one --org NAME or --repo NS/NAME");
    }
    return targets;
  }
}
