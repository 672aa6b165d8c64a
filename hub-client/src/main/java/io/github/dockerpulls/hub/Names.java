package io.github.dockerpulls.hub;

import java.util.regex.Pattern;

/**
 * Docker Hub's rules for namespace and repository names, checked before a name reaches a URL.
 *
 * <p>Namespaces (users and organizations) are 2 to 30 lowercase letters and digits, with single
 * {@code -} or {@code _} between them. Repository names are 1 to 255 lowercase letters and digits,
 * with {@code .}, {@code _} or {@code -} between them. Anything else (a slash, {@code ..}, a
 * percent sign, a space, upper case) is refused with a message that says why.
 */
public final class Names {
  /** The longest namespace Docker Hub accepts. */
  public static final int NAMESPACE_MAX_LENGTH = 30;

  /** The longest repository name Docker Hub accepts. */
  public static final int REPOSITORY_MAX_LENGTH = 255;

  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]+(?:[-_][a-z0-9]+)*");
  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

  private Names() {}

  /**
   * Returns the namespace unchanged when it is valid.
   *
   * @throws HubException.InvalidName with the reason otherwise
   */
  public static String requireNamespace(String namespace) {
    String problem = namespaceProblem(namespace);
    if (problem != null) {
      throw new HubException.InvalidName("invalid namespace " + quote(namespace) + ": " + problem);
    }
    return namespace;
  }

  /**
   * Returns the repository name unchanged when it is valid.
   *
   * @throws HubException.InvalidName with the reason otherwise
   */
  public static String requireRepository(String name) {
    String problem = repositoryProblem(name);
    if (problem != null) {
      throw new HubException.InvalidName("invalid repository name " + quote(name) + ": " + problem);
    }
    return name;
  }

  private static String namespaceProblem(String s) {
    if (plain(s, 2, NAMESPACE_MAX_LENGTH, false)) {
      return null;
    }
    String common = commonProblem(s, NAMESPACE_MAX_LENGTH);
    if (common != null) {
      return common;
    }
    if (s.length() < 2) {
      return "it must be at least 2 characters long";
    }
    if (!NAMESPACE.matcher(s).matches()) {
      return "use lowercase letters and digits, with single '-' or '_' between them";
    }
    return null;
  }

  private static String repositoryProblem(String s) {
    if (plain(s, 1, REPOSITORY_MAX_LENGTH, true)) {
      return null;
    }
    String common = commonProblem(s, REPOSITORY_MAX_LENGTH);
    if (common != null) {
      return common;
    }
    if (s.contains("..")) {
      return "'..' is not allowed";
    }
    if (!REPOSITORY.matcher(s).matches()) {
      return "use lowercase letters and digits, with '.', '_' or '-' between them";
    }
    return null;
  }

  /**
   * Whether {@code s} follows the rules, read in one pass: what every name of a listing does, so
   * that thousands of them cost no regular expressions. A name that does not is then examined by
   * the rules one by one, for the message. Namespaces take single {@code -} or {@code _} between
   * letters and digits; repository names also {@code .}, {@code __} and runs of {@code -}.
   */
  static boolean plain(String s, int minLength, int maxLength, boolean repository) {
    if (s == null || s.length() < minLength || s.length() > maxLength) {
      return false;
    }
    char separator = 0;
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        run = 0;
      } else if (i == 0) {
        return false;
      } else if (run == 0) {
        if (c != '-' && c != '_' && !(repository && c == '.')) {
          return false;
        }
        separator = c;
        run = 1;
      } else if (repository && c == separator && (c == '-' || (c == '_' && run == 1))) {
        run++;
      } else {
        return false;
      }
    }
    return run == 0;
  }

  private static String commonProblem(String s, int maxLength) {
    if (s == null || s.isEmpty()) {
      return "it is empty";
    }
    if (s.length() > maxLength) {
      return "it is " + s.length() + " characters long, Docker Hub allows at most " + maxLength;
    }
    if (s.chars().anyMatch(Character::isWhitespace)) {
      return "it contains white space";
    }
    if (s.indexOf('/') >= 0) {
      return "it contains '/'";
    }
    if (s.indexOf('%') >= 0 || s.indexOf('?') >= 0 || s.indexOf('#') >= 0) {
      return "it contains a URL character ('%', '?' or '#')";
    }
    if (!s.equals(s.toLowerCase(java.util.Locale.ROOT))) {
      return "it contains upper case letters (Docker Hub names are lowercase)";
    }
    if (s.startsWith("-") || s.endsWith("-")) {
      return "it must not start or end with '-'";
    }
    return null;
  }

  private static String quote(String s) {
    if (s == null) {
      return "(none)";
    }
    StringBuilder out = new StringBuilder("'");
    s.codePoints()
        .limit(80)
        .forEach(c -> out.append(Character.isISOControl(c) ? "?" : Character.toString(c)));
    return out.append(s.length() > 80 ? "...'" : "'").toString();
  }
}
