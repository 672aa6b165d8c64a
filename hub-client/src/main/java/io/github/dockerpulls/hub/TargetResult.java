package io.github.dockerpulls.hub;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one target fared in a refresh: its repositories, or the error that stopped it.
 *
 * @param target the organization or repository
 * @param repositories what the target yielded (empty when it failed)
 * @param error why it failed; empty on success
 */
public record TargetResult(
    Target target, List<RepositoryStats> repositories, Optional<HubException> error) {

  public TargetResult {
    Objects.requireNonNull(target, "target");
    repositories = List.copyOf(repositories);
    Objects.requireNonNull(error, "error");
  }

  public static TargetResult success(Target target, List<RepositoryStats> repositories) {
    return new TargetResult(target, repositories, Optional.empty());
  }

  public static TargetResult failure(Target target, HubException error) {
    return new TargetResult(target, List.of(), Optional.of(error));
  }

  public boolean ok() {
    return error.isEmpty();
  }

  /**
   * True for an organization that succeeded without a single repository: Docker Hub answers an
   * unknown namespace that way, so this usually means a typo.
   */
  public boolean okButEmpty() {
    return ok() && repositories.isEmpty();
  }
}
