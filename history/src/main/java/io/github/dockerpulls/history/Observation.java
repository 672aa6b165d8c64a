package io.github.dockerpulls.history;

import io.github.dockerpulls.hub.RepositoryStats;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One repository's figures at one moment, as the history stores them (to the second).
 *
 * @param namespace the user or organization
 * @param name the repository
 * @param observedAt when the figures were read
 * @param pullCount the total pulls
 * @param starCount the stars, when known
 * @param lastUpdated the last push, when known
 */
public record Observation(
    String namespace,
    String name,
    Instant observedAt,
    long pullCount,
    OptionalLong starCount,
    Optional<Instant> lastUpdated) {
  public Observation {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(observedAt, "observedAt");
    Objects.requireNonNull(starCount, "starCount");
    Objects.requireNonNull(lastUpdated, "lastUpdated");
  }

  /** What a snapshot observed of one repository. */
  public static Observation of(Instant observedAt, RepositoryStats stats) {
    return new Observation(
        stats.namespace(),
        stats.name(),
        observedAt,
        stats.pullCount(),
        stats.starCount(),
        stats.lastUpdated());
  }

  /** Only the pull count, as the importers know it. */
  public static Observation ofPulls(
      String namespace, String name, Instant observedAt, long pullCount) {
    return new Observation(
        namespace, name, observedAt, pullCount, OptionalLong.empty(), Optional.empty());
  }

  /** {@code namespace/name}. */
  public String fullName() {
    return namespace + "/" + name;
  }
}
