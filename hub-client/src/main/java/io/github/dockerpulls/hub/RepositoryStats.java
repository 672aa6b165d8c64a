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
 * @param pullCount the total pulls since the repository was created, from 0 to {@link #MAX_COUNT}
 * @param starCount the stars, when known
 * @param lastUpdated when an image was last pushed, when known
 * @param collaboratorCount the collaborators, when known
 * @param description the repository's short description as the Hub gives it, on one line and at
 *     most {@value #MAX_DESCRIPTION} characters, when it has one; text, never markup
 */
public record RepositoryStats(
    String namespace,
    String name,
    long pullCount,
    OptionalLong starCount,
    Optional<Instant> lastUpdated,
    OptionalLong collaboratorCount,
    Optional<String> description) {

  /** The longest description kept, in characters; a longer one is cut and ends in "...". */
  public static final int MAX_DESCRIPTION = 300;

  /** Figures without a description. */
  public RepositoryStats(
      String namespace,
      String name,
      long pullCount,
      OptionalLong starCount,
      Optional<Instant> lastUpdated,
      OptionalLong collaboratorCount) {
    this(namespace, name, pullCount, starCount, lastUpdated, collaboratorCount, Optional.empty());
  }

  /**
   * The largest count taken as one: 10^15, a thousand times the most pulled image's. A figure
   * beyond it (or below zero) is not a count, and the Hub's answer holding it is refused for that
   * repository.
   */
  public static final long MAX_COUNT = 1_000_000_000_000_000L;

  /**
   * @throws IllegalArgumentException when a count is negative or beyond {@link #MAX_COUNT}
   */
  public RepositoryStats {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(starCount, "starCount");
    Objects.requireNonNull(lastUpdated, "lastUpdated");
    Objects.requireNonNull(collaboratorCount, "collaboratorCount");
    Objects.requireNonNull(description, "description");
    requireCount(pullCount, "pull_count");
    if (starCount.isPresent()) {
      requireCount(starCount.getAsLong(), "star_count");
    }
    if (collaboratorCount.isPresent()) {
      requireCount(collaboratorCount.getAsLong(), "collaborator_count");
    }
  }

  /** Whether {@code n} can be a count: from 0 to {@link #MAX_COUNT}. */
  public static boolean isCount(long n) {
    return n >= 0 && n <= MAX_COUNT;
  }

  private static void requireCount(long n, String field) {
    if (!isCount(n)) {
      throw new IllegalArgumentException(
          field + " " + n + " is not a count (0 to " + MAX_COUNT + ")");
    }
  }

  /** {@code namespace/name}, the form people type and the Hub shows. */
  public String fullName() {
    return namespace + "/" + name;
  }
}
