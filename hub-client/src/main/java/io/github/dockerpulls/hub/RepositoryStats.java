package io.github.dockerpulls.hub;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The figures Docker Hub gives for one repository at one moment.
 *
 * <p>Only the namespace, the name and the pull count are always known. The other figures are empty
 * when the Hub did not send them: {@code collaboratorCount} in particular only comes with a
 * single-repository request, never with a namespace listing. Empty never means zero.
 *
 * @param namespace the user or organization, {@code library} for official images
 * @param name the repository name within the namespace
 * @param pullCount the total pulls since the repository was created
 * @param starCount the stars, when known
 * @param lastUpdated when an image was last pushed, when known
 * @param collaboratorCount the collaborators, when known
 */
public record RepositoryStats(
    String namespace,
    String name,
    long pullCount,
    OptionalLong starCount,
    Optional<Instant> lastUpdated,
    OptionalLong collaboratorCount) {

  public RepositoryStats {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(starCount, "starCount");
    Objects.requireNonNull(lastUpdated, "lastUpdated");
    Objects.requireNonNull(collaboratorCount, "collaboratorCount");
  }

  /** {@code namespace/name}, the form people type and the Hub shows. */
  public String fullName() {
    return namespace + "/" + name;
  }
}
