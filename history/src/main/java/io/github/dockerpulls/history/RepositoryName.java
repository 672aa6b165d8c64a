package io.github.dockerpulls.history;

/** A repository's namespace and name, as the {@code repository} table keeps them. */
record RepositoryName(String namespace, String name) {
  /** {@code namespace/name}. */
  String fullName() {
    return namespace + "/" + name;
  }
}
