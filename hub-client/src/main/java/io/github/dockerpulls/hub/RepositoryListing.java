package io.github.dockerpulls.hub;

import java.util.List;
import java.util.Objects;

/**
 * Every repository of one namespace, read completely.
 *
 * <p>Docker Hub answers an unknown namespace exactly like a namespace without public repositories:
 * with an empty first page. {@link #isEmpty()} lets the caller treat that case on its own (warn, or
 * fail) instead of mistaking it for data.
 *
 * @param namespace the namespace that was listed
 * @param repositories each repository once, ordered by name
 * @param pages how many pages the last, complete walk read
 */
public record RepositoryListing(String namespace, List<RepositoryStats> repositories, int pages) {
  public RepositoryListing {
    Objects.requireNonNull(namespace, "namespace");
    repositories = List.copyOf(repositories);
  }

  /** True when the Hub knows no repository here: an unknown namespace, or no public ones. */
  public boolean isEmpty() {
    return repositories.isEmpty();
  }
}
