package io.github.dockerpulls.exporter.security;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A {@code --web.config.file} that is re-read when it changes, as the exporter toolkit re-reads it:
 * at most once a second, a request looks at the file's modification time and size, and reads it
 * again when either moved. Users and headers take effect at once. A file that no longer reads keeps
 * the last good settings and is logged once per change; so is a change of {@code
 * tls_server_config}'s paths, or turning TLS on or off, which need a restart (the certificate and
 * key files themselves are re-read when renewed, as with {@code --tls-cert-file}).
 */
public final class WebConfigFile {
  private static final System.Logger LOG = System.getLogger(WebConfigFile.class.getName());
  private static final long CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private record Loaded(WebConfig config, BasicAuth auth, String stamp) {}

  private final Path file;
  private final WebConfig initial;
  private final LongSupplier nanoTime;
  private volatile Loaded current;
  private volatile long nextCheck;
  private String lastProblemStamp;

  private WebConfigFile(Path file, LongSupplier nanoTime) throws IOException {
    this.file = file;
    this.nanoTime = nanoTime;
    WebConfig config = WebConfig.read(file);
    String stamp = stamp();
    this.initial = config;
    this.current = new Loaded(config, config.basicAuth(), stamp);
    this.nextCheck = nanoTime.getAsLong() + CHECK_NANOS;
  }

  /**
   * Reads {@code file} for the first time.
   *
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException with a one-line reason if it is not a usable web configuration
   */
  public static WebConfigFile open(Path file) throws IOException {
    return new WebConfigFile(file, System::nanoTime);
  }

  static WebConfigFile open(Path file, LongSupplier nanoTime) throws IOException {
    return new WebConfigFile(file, nanoTime);
  }

  /** The settings read at start: TLS is set up from these. */
  public WebConfig initial() {
    return initial;
  }

  /** The basic auth the file asks for now, or null for none. */
  public BasicAuth basicAuth() {
    return refreshed().auth();
  }

  /** The extra headers the file asks for now. */
  public Map<String, String> headers() {
    return refreshed().config().headers();
  }

  private Loaded refreshed() {
    long now = nanoTime.getAsLong();
    if (now - nextCheck >= 0) {
      synchronized (this) {
        if (now - nextCheck >= 0) {
          nextCheck = now + CHECK_NANOS;
          reload();
        }
      }
    }
    return current;
  }

  private void reload() {
    String stamp;
    try {
      stamp = stamp();
    } catch (IOException e) {
      stamp = "unreadable";
    }
    Loaded before = current;
    if (stamp.equals(before.stamp())) {
      return;
    }
    try {
      WebConfig config = WebConfig.read(file);
      if (config.tls() != initial.tls()
          || !Objects.equals(config.certFile(), initial.certFile())
          || !Objects.equals(config.keyFile(), initial.keyFile())) {
        LOG.log(
            Level.WARNING,
            "web config "
                + file
                + ": tls_server_config changed; restart dockerpulls to use it (users and headers"
                + " are applied now)");
      }
      current = new Loaded(config, config.basicAuth(), stamp);
      LOG.log(Level.INFO, "web config " + file + " re-read");
    } catch (IOException | IllegalArgumentException e) {
      current = new Loaded(before.config(), before.auth(), stamp);
      if (!stamp.equals(lastProblemStamp)) {
        lastProblemStamp = stamp;
        LOG.log(
            Level.WARNING,
            "web config " + file + ": " + e.getMessage() + "; the previous settings stay");
      }
    }
  }

  private String stamp() throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + a.fileKey();
  }

  @Override
  public String toString() {
    return "WebConfigFile[" + file + "]";
  }
}
