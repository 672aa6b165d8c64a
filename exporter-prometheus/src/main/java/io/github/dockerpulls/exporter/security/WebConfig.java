package io.github.dockerpulls.exporter.security;

import io.github.dockerpulls.files.TextFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The web configuration file of the Prometheus exporter toolkit ({@code --web.config.file}), which
 * the official exporters read, so that a file written for node_exporter works here unchanged:
 *
 * <pre>
 * tls_server_config:
 *   cert_file: server.crt        # relative paths are relative to this file's directory
 *   key_file: server.key
 * http_server_config:
 *   headers:
 *     Strict-Transport-Security: max-age=31536000
 * basic_auth_users:
 *   prometheus: $2y$10$...       # bcrypt hashes only, as the toolkit requires
 * </pre>
 *
 * <p>The toolkit's other settings (client certificates, TLS versions and cipher suites) are refused
 * with a message that names them rather than silently ignored; {@code http2} is accepted and has no
 * effect (the exporter speaks HTTP/1.1). The file is the toolkit's YAML: block mappings, plain and
 * quoted scalars and comments; anything else is refused in one line.
 */
public record WebConfig(
    Path certFile, Path keyFile, Map<String, String> basicAuthUsers, Map<String, String> headers) {

  /** The headers the toolkit lets a file set, with the values it allows (empty: any). */
  private static final Map<String, Set<String>> HEADERS =
      Map.of(
          "strict-transport-security", Set.of(),
          "x-content-type-options", Set.of("nosniff"),
          "x-frame-options", Set.of("deny", "sameorigin"),
          "x-xss-protection", Set.of(),
          "content-security-policy", Set.of());

  private static final Set<String> UNSUPPORTED_TLS =
      Set.of(
          "cert",
          "key",
          "client_auth_type",
          "client_ca_file",
          "client_ca",
          "client_allowed_sans",
          "cipher_suites",
          "curve_preferences",
          "min_version",
          "max_version",
          "prefer_server_cipher_suites");

  public WebConfig {
    basicAuthUsers = Map.copyOf(basicAuthUsers);
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** Names the users but never their hashes. */
  @Override
  public String toString() {
    return "WebConfig[certFile="
        + certFile
        + ", keyFile="
        + keyFile
        + ", basicAuthUsers="
        + new java.util.TreeSet<>(basicAuthUsers.keySet())
        + " (hashes hidden), headers="
        + headers
        + "]";
  }

  /** Whether the file turns TLS on. */
  public boolean tls() {
    return certFile != null;
  }

  /** The basic auth the file asks for, or null when it names no user. */
  public BasicAuth basicAuth() {
    return basicAuthUsers.isEmpty() ? null : BasicAuth.ofBcryptHashes(basicAuthUsers);
  }

  /**
   * Reads {@code file}.
   *
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException with a one-line reason (and line number) if it is not a web
   *     configuration this exporter can honour
   */
  public static WebConfig read(Path file) throws IOException {
    return parse(TextFiles.read(file, TextFiles.SECRET_LIMIT), file.toAbsolutePath().getParent());
  }

  static WebConfig parse(String text, Path directory) {
    Map<String, Object> root = Yaml.parse(text);
    Path cert = null;
    Path key = null;
    Map<String, String> users = new LinkedHashMap<>();
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : root.entrySet()) {
      switch (e.getKey()) {
        case "tls_server_config" -> {
          Map<String, Object> tls = mapping(e.getKey(), e.getValue());
          for (Map.Entry<String, Object> t : tls.entrySet()) {
            String name = "tls_server_config." + t.getKey();
            switch (t.getKey()) {
              case "cert_file" -> cert = path(directory, scalar(name, t.getValue()));
              case "key_file" -> key = path(directory, scalar(name, t.getValue()));
              default -> {
                if (t.getKey().equals("client_auth_type")
                    && t.getValue() instanceof String s
                    && s.equals("NoClientCert")) {
                  continue; // the toolkit's default
                }
                throw new IllegalArgumentException(
                    UNSUPPORTED_TLS.contains(t.getKey())
                        ? name
                            + " is not supported by dockerpulls (only cert_file and key_file are)"
                        : "unknown setting " + name);
              }
            }
          }
          if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException(
                "tls_server_config needs both cert_file and key_file");
          }
        }
        case "http_server_config" -> {
          Map<String, Object> http = mapping(e.getKey(), e.getValue());
          for (Map.Entry<String, Object> h : http.entrySet()) {
            switch (h.getKey()) {
              case "http2" -> scalar("http_server_config.http2", h.getValue()); // HTTP/1.1 only
              case "headers" -> {
                for (Map.Entry<String, Object> v :
                    mapping("http_server_config.headers", h.getValue()).entrySet()) {
                  headers.put(v.getKey(), header(v.getKey(), scalar(v.getKey(), v.getValue())));
                }
              }
              default ->
                  throw new IllegalArgumentException(
                      "unknown setting http_server_config." + h.getKey());
            }
          }
        }
        case "basic_auth_users" -> {
          for (Map.Entry<String, Object> u : mapping(e.getKey(), e.getValue()).entrySet()) {
            String hash = scalar("basic_auth_users." + u.getKey(), u.getValue());
            if (!BasicAuth.isBcrypt(hash)) {
              // The value is not repeated: a plain password written here would be echoed.
              throw new IllegalArgumentException(
                  "basic_auth_users: the password of "
                      + u.getKey()
                      + " is not a bcrypt hash (write one with htpasswd -nBC 10 \"\" | tr -d ':')");
            }
            users.put(u.getKey(), hash);
          }
        }
        default -> throw new IllegalArgumentException("unknown setting " + e.getKey());
      }
    }
    if (!users.isEmpty()) {
      BasicAuth.ofBcryptHashes(users); // refuses a user name with ':'
    }
    return new WebConfig(cert, key, users, headers);
  }

  private static String header(String name, String value) {
    Set<String> allowed = HEADERS.get(name.toLowerCase(Locale.ROOT));
    if (allowed == null) {
      throw new IllegalArgumentException(
          "http_server_config.headers: "
              + name
              + " cannot be set (the toolkit allows Content-Security-Policy, Strict-Transport-Security,"
              + " X-Content-Type-Options, X-Frame-Options and X-XSS-Protection)");
    }
    if (!allowed.isEmpty() && !allowed.contains(value.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "http_server_config.headers: " + name + " must be one of " + String.join(", ", allowed));
    }
    if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException(
          "http_server_config.headers: " + name + " holds a control character");
    }
    return value;
  }

  private static Path path(Path directory, String value) {
    Path p = Path.of(value);
    return p.isAbsolute() || directory == null ? p : directory.resolve(p);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapping(String name, Object value) {
    if (value == null) {
      return Map.of(); // "basic_auth_users:" with nothing under it
    }
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException(name + " must be a mapping of names to values");
    }
    return (Map<String, Object>) value;
  }

  private static String scalar(String name, Object value) {
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException(name + " must be a single value");
    }
    return s;
  }

  /**
   * The block-style YAML the toolkit's files use: mappings nested by indentation, plain, 'single'
   * and "double" quoted scalars, comments. Sequences, flow collections, anchors, tags and
   * multi-line scalars are refused with the line they are on.
   */
  static final class Yaml {
    private Yaml() {}

    private record Line(int number, int indent, String key, String value) {}

    static Map<String, Object> parse(String text) {
      List<Line> lines = new ArrayList<>();
      String[] raw = text.split("\n", -1);
      for (int i = 0; i < raw.length; i++) {
        String line = raw[i].endsWith("\r") ? raw[i].substring(0, raw[i].length() - 1) : raw[i];
        String content = stripComment(line, i + 1);
        if (content.isBlank() || content.strip().equals("---")) {
          continue;
        }
        int indent = 0;
        while (indent < content.length() && content.charAt(indent) == ' ') {
          indent++;
        }
        if (content.charAt(indent) == '\t') {
          throw problem(i + 1, "tabs are not allowed for indentation in YAML");
        }
        String body = content.substring(indent).stripTrailing();
        if (body.startsWith("- ") || body.equals("-")) {
          throw problem(i + 1, "lists are not used by any setting dockerpulls supports");
        }
        int colon = keyEnd(body, i + 1);
        String key = unquote(body.substring(0, colon).strip(), i + 1);
        String value = body.substring(colon + 1).strip();
        lines.add(new Line(i + 1, indent, key, value.isEmpty() ? null : value));
      }
      int[] at = {0};
      Map<String, Object> root = block(lines, at, 0);
      if (at[0] < lines.size()) {
        throw problem(lines.get(at[0]).number(), "the indentation does not match the lines above");
      }
      return root;
    }

    private static Map<String, Object> block(List<Line> lines, int[] at, int indent) {
      Map<String, Object> map = new LinkedHashMap<>();
      while (at[0] < lines.size()) {
        Line line = lines.get(at[0]);
        if (line.indent() < indent) {
          break;
        }
        if (line.indent() > indent) {
          throw problem(line.number(), "the indentation does not match the lines above");
        }
        at[0]++;
        Object value;
        if (line.value() != null) {
          value = scalar(line.value(), line.number());
        } else if (at[0] < lines.size() && lines.get(at[0]).indent() > indent) {
          value = block(lines, at, lines.get(at[0]).indent());
        } else {
          value = null;
        }
        if (map.containsKey(line.key())) {
          throw problem(line.number(), "'" + line.key() + "' is given twice");
        }
        map.put(line.key(), value);
      }
      return map;
    }

    private static Object scalar(String value, int number) {
      char first = value.charAt(0);
      if ("[{&*!|>%@`".indexOf(first) >= 0) {
        if (value.equals("{}")) {
          return Map.of();
        }
        throw problem(number, "this YAML form is not supported: write a plain or quoted value");
      }
      return unquote(value, number);
    }

    private static String unquote(String s, int number) {
      if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'")) {
        return s.substring(1, s.length() - 1).replace("''", "'");
      }
      if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < s.length() - 1; i++) {
          char c = s.charAt(i);
          if (c == '\\' && i + 1 < s.length() - 1) {
            char n = s.charAt(++i);
            out.append(
                switch (n) {
                  case 'n' -> '\n';
                  case 't' -> '\t';
                  case '"', '\\', '/' -> n;
                  default -> throw problem(number, "unknown escape \\" + n);
                });
          } else {
            out.append(c);
          }
        }
        return out.toString();
      }
      if (s.startsWith("'") || s.startsWith("\"")) {
        throw problem(number, "a quote is not closed");
      }
      return s;
    }

    /** Where the key ends: the first ':' outside quotes followed by a space or the line's end. */
    private static int keyEnd(String body, int number) {
      char quote = 0;
      for (int i = 0; i < body.length(); i++) {
        char c = body.charAt(i);
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          }
        } else if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == ':' && (i + 1 == body.length() || body.charAt(i + 1) == ' ')) {
          return i;
        }
      }
      throw problem(number, "expected 'name: value'");
    }

    /** The line without a comment: '#' at its start or after a space, outside quotes. */
    private static String stripComment(String line, int number) {
      char quote = 0;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          }
        } else if ((c == '\'' || c == '"') && (i == 0 || " :".indexOf(line.charAt(i - 1)) >= 0)) {
          quote = c;
        } else if (c == '#' && (i == 0 || line.charAt(i - 1) == ' ')) {
          return line.substring(0, i);
        }
      }
      return line;
    }

    private static IllegalArgumentException problem(int line, String what) {
      return new IllegalArgumentException("line " + line + ": " + what);
    }
  }
}
