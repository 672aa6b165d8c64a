package io.github.dockerpulls.elasticsearch;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how to write: the nodes, the credentials, TLS trust, the index prefix and the spool
 * directory. Build with {@link #builder()}. {@link #toString()} never shows a secret.
 */
public final class EsSettings {
  /** Metricbeat's index prefix in the setup this sink replaces. */
  public static final String DEFAULT_INDEX_PREFIX = "docker-pulls";

  // Elasticsearch's rules for index names: lower case, no \ / * ? " < > | space , #, not
  // starting with - _ +. The prefix is followed by -YYYY.
  private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9._-]{0,200}");

  private final List<URI> hosts;
  private final String apiKey;
  private final String username;
  private final String password;
  private final Path caCertificate;
  private final String caFingerprint;
  private final boolean insecure;
  private final String indexPrefix;
  private final Path spoolDir;
  private final long spoolMaxBytes;
  private final Duration spoolMaxAge;
  private final java.time.Clock clock;
  private final int bulkOperations;
  private final int attempts;
  private final Duration firstBackoff;
  private final Duration timeout;

  private EsSettings(Builder b) {
    if (b.hosts.isEmpty()) {
      throw new IllegalArgumentException("no Elasticsearch URL given");
    }
    if (b.apiKey != null && b.username != null) {
      throw new IllegalArgumentException("give an API key or a user with a password, not both");
    }
    if (b.username != null && b.password == null) {
      throw new IllegalArgumentException(
          "the Elasticsearch user " + b.username + " needs a password");
    }
    if (b.caCertificate != null && b.caFingerprint != null) {
      throw new IllegalArgumentException("give a CA certificate or a CA fingerprint, not both");
    }
    this.hosts = List.copyOf(b.hosts);
    this.apiKey = b.apiKey;
    this.username = b.username;
    this.password = b.password;
    this.caCertificate = b.caCertificate;
    this.caFingerprint = b.caFingerprint;
    this.insecure = b.insecure;
    this.indexPrefix = b.indexPrefix;
    this.spoolDir = Objects.requireNonNull(b.spoolDir, "spoolDir");
    this.spoolMaxBytes = b.spoolMaxBytes;
    this.spoolMaxAge = b.spoolMaxAge;
    this.clock = b.clock;
    this.bulkOperations = b.bulkOperations;
    this.attempts = b.attempts;
    this.firstBackoff = b.firstBackoff;
    this.timeout = b.timeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The default spool directory: {@code $XDG_STATE_HOME/dockerpulls/spool}, else {@code
   * ~/.local/state/dockerpulls/spool}.
   */
  public static Path defaultSpoolDir() {
    String state = System.getenv("XDG_STATE_HOME");
    Path base =
        state != null && !state.isBlank()
            ? Path.of(state)
            : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("dockerpulls").resolve("spool");
  }

  public List<URI> hosts() {
    return hosts;
  }

  String apiKey() {
    return apiKey;
  }

  String username() {
    return username;
  }

  String password() {
    return password;
  }

  public Path caCertificate() {
    return caCertificate;
  }

  public String caFingerprint() {
    return caFingerprint;
  }

  /** Whether certificates are accepted without verification (never the default). */
  public boolean insecure() {
    return insecure;
  }

  public String indexPrefix() {
    return indexPrefix;
  }

  public Path spoolDir() {
    return spoolDir;
  }

  public long spoolMaxBytes() {
    return spoolMaxBytes;
  }

  public Duration spoolMaxAge() {
    return spoolMaxAge;
  }

  public java.time.Clock clock() {
    return clock;
  }

  public int bulkOperations() {
    return bulkOperations;
  }

  public int attempts() {
    return attempts;
  }

  public Duration firstBackoff() {
    return firstBackoff;
  }

  public Duration timeout() {
    return timeout;
  }

  /** The URLs, for messages. */
  public String where() {
    return hosts.size() == 1 ? hosts.get(0).toString() : hosts.toString();
  }

  @Override
  public String toString() {
    String auth =
        apiKey != null
            ? "api-key=***"
            : username != null ? "user=" + username + ", password=***" : "anonymous";
    return "EsSettings["
        + where()
        + ", "
        + auth
        + ", prefix="
        + indexPrefix
        + ", spool="
        + spoolDir
        + "]";
  }

  /** Configures {@link EsSettings}. */
  public static final class Builder {
    private final List<URI> hosts = new ArrayList<>();
    private String apiKey;
    private String username;
    private String password;
    private Path caCertificate;
    private String caFingerprint;
    private boolean insecure;
    private String indexPrefix = DEFAULT_INDEX_PREFIX;
    private Path spoolDir = defaultSpoolDir();
    private long spoolMaxBytes = Spool.DEFAULT_MAX_BYTES;
    private Duration spoolMaxAge = Spool.DEFAULT_MAX_AGE;
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private int bulkOperations = 5000;
    private int attempts = 4;
    private Duration firstBackoff = Duration.ofMillis(500);
    private Duration timeout = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * Adds a node: {@code http(s)://host[:port]}, no path.
     *
     * @throws IllegalArgumentException if the URL is not one
     */
    public Builder host(String url) {
      URI uri;
      try {
        uri = URI.create(url.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + url + "' is not an http(s) URL");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException("'" + url + "' is not an http(s) URL");
      }
      if (uri.getUserInfo() != null) {
        throw new IllegalArgumentException(
            "put no credentials in the Elasticsearch URL; use an API key or a password file");
      }
      if (uri.getRawPath() != null
          && !uri.getRawPath().isEmpty()
          && !uri.getRawPath().equals("/")) {
        throw new IllegalArgumentException("'" + url + "': a node URL has no path");
      }
      hosts.add(uri);
      return this;
    }

    /** An API key, encoded as Elasticsearch returns it ({@code encoded}). */
    public Builder apiKey(String apiKey) {
      this.apiKey = blankToNull(apiKey);
      return this;
    }

    public Builder basicAuth(String username, String password) {
      this.username = blankToNull(username);
      this.password = password;
      return this;
    }

    /** Trust the server's certificate when it chains to this PEM CA certificate. */
    public Builder caCertificate(Path caCertificate) {
      this.caCertificate = caCertificate;
      return this;
    }

    /** Trust the server whose certificate chain holds a certificate with this SHA-256. */
    public Builder caFingerprint(String fingerprint) {
      if (fingerprint == null) {
        this.caFingerprint = null;
        return this;
      }
      String hex = fingerprint.replace(":", "").strip().toLowerCase(Locale.ROOT);
      if (!hex.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException(
            "the CA fingerprint must be a SHA-256: 64 hex digits, colons allowed");
      }
      this.caFingerprint = hex;
      return this;
    }

    /** Accept any certificate and host name. Only for tests and emergencies. */
    public Builder insecure(boolean insecure) {
      this.insecure = insecure;
      return this;
    }

    public Builder indexPrefix(String prefix) {
      if (prefix == null || !PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException(
            "'"
                + prefix
                + "' is not a usable index prefix: lower-case letters, digits, '.', '_' and '-',"
                + " starting with a letter or digit");
      }
      this.indexPrefix = prefix;
      return this;
    }

    public Builder spoolDir(Path spoolDir) {
      this.spoolDir = spoolDir;
      return this;
    }

    /** The most the spool may hold (default 512 MiB); the oldest snapshots go first. */
    public Builder spoolMaxBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("the spool's size bound must be positive");
      }
      this.spoolMaxBytes = bytes;
      return this;
    }

    /** The clock the spool's age bound is measured with: the one the snapshots are taken with. */
    public Builder clock(java.time.Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How old a waiting snapshot may get before it is dropped (default 7 days). */
    public Builder spoolMaxAge(Duration age) {
      if (age == null || age.isNegative() || age.isZero()) {
        throw new IllegalArgumentException("the spool's age bound must be positive");
      }
      this.spoolMaxAge = age;
      return this;
    }

    /** Operations per bulk request (default 5000, about 2 MB of these documents). */
    public Builder bulkOperations(int n) {
      this.bulkOperations = Math.max(1, n);
      return this;
    }

    /** Tries per delivery before a snapshot stays in the spool (default 4). */
    public Builder attempts(int attempts) {
      this.attempts = Math.max(1, attempts);
      return this;
    }

    /** The first wait between tries, doubled each time (default 500 ms). */
    public Builder firstBackoff(Duration firstBackoff) {
      this.firstBackoff = firstBackoff;
      return this;
    }

    /** Connect and socket timeout (default 30 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public EsSettings build() {
      return new EsSettings(this);
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s.strip();
    }
  }
}
