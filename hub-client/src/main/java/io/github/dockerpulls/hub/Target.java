package io.github.dockerpulls.hub;

/**
 * Something to track: every repository of an organization (or user), or one repository.
 *
 * <p>{@link #parse(String)} reads the forms people type: {@code camunda} and {@code library/httpd}.
 */
public sealed interface Target {

  /** How the target is written: {@code camunda} or {@code library/httpd}. */
  String id();

  /** Every repository of a namespace. */
  record Organization(String namespace) implements Target {
    public Organization {
      Names.requireNamespace(namespace);
    }

    @Override
    public String id() {
      return namespace;
    }
  }

  /** One repository, read with its own request (which also gives the collaborator count). */
  record Repository(String namespace, String name) implements Target {
    public Repository {
      Names.requireNamespace(namespace);
      Names.requireRepository(name);
    }

    @Override
    public String id() {
      return namespace + "/" + name;
    }
  }

  /** An organization target, validated. */
  static Organization organization(String namespace) {
    return new Organization(namespace);
  }

  /**
   * A repository target from {@code namespace/name}.
   *
   * @throws HubException.InvalidName when there is not exactly one '/' or a part is invalid
   */
  static Repository repository(String fullName) {
    if (fullName == null) {
      throw new HubException.InvalidName("invalid repository: it is empty");
    }
    int slash = fullName.indexOf('/');
    if (slash < 0 || slash != fullName.lastIndexOf('/')) {
      throw new HubException.InvalidName(
          "invalid repository '"
              + fullName
              + "': write it as NAMESPACE/NAME with exactly one '/' (library/NAME for official"
              + " images)");
    }
    return new Repository(fullName.substring(0, slash), fullName.substring(slash + 1));
  }

  /** {@code ns/name} is a repository, anything else an organization. */
  static Target parse(String text) {
    return text != null && text.indexOf('/') >= 0 ? repository(text) : organization(text);
  }
}
