package io.github.dockerpulls.cli;

import io.github.dockerpulls.elasticsearch.DeliveryReport;
import io.github.dockerpulls.elasticsearch.ElasticsearchSink;
import io.github.dockerpulls.elasticsearch.EsConnection;
import io.github.dockerpulls.elasticsearch.EsSettings;
import io.github.dockerpulls.elasticsearch.SinkException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where and how to write to Elasticsearch: shared by {@code export} and {@code serve}. */
public final class ElasticsearchOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--es-url",
      paramLabel = "URL",
      split = ",",
      description =
          "An Elasticsearch node, http(s)://host[:port] (9200 when no port is given); repeat or"
              + " separate with commas for several (else env ES_URL).")
  List<String> urls = new ArrayList<>();

  @Option(
      names = "--es-api-key-file",
      paramLabel = "FILE",
      description =
          "File holding an API key, encoded as Elasticsearch returns it (else env ES_API_KEY).")
  Path apiKeyFile;

  @Option(
      names = "--es-username",
      paramLabel = "NAME",
      defaultValue = "${env:ES_USERNAME}",
      description = "A user for basic auth (env ES_USERNAME); needs a password.")
  String username;

  @Option(
      names = "--es-password-file",
      paramLabel = "FILE",
      description = "File holding the user's password (else env ES_PASSWORD).")
  Path passwordFile;

  @Option(
      names = "--es-ca-cert",
      paramLabel = "PEM",
      defaultValue = "${env:ES_CA_CERT}",
      description = "Trust the server when its certificate chains to this PEM CA (env ES_CA_CERT).")
  Path caCert;

  @Option(
      names = "--es-ca-fingerprint",
      paramLabel = "SHA256",
      defaultValue = "${env:ES_CA_FINGERPRINT}",
      description =
          "Trust the server when its chain holds a certificate with this SHA-256 fingerprint, as"
              + " Elasticsearch prints it at first start (env ES_CA_FINGERPRINT).")
  String caFingerprint;

  @Option(
      names = "--es-insecure",
      description = "Do not verify the server's certificate or host name. Only for tests.")
  boolean insecure;

  /**
   * Where the sink writes and how much may wait: options of the commands that write to
   * Elasticsearch ({@code export --to elasticsearch}, {@code serve --es-url}), not of those that
   * read from it.
   */
  public static final class Sink {
    @Option(
        names = "--es-index-prefix",
        paramLabel = "PREFIX",
        defaultValue = "${env:ES_INDEX_PREFIX:-" + EsSettings.DEFAULT_INDEX_PREFIX + "}",
        description =
            "Documents go to PREFIX-YYYY (env ES_INDEX_PREFIX, default ${DEFAULT-VALUE}).")
    String indexPrefix;

    @Option(
        names = "--spool-dir",
        paramLabel = "DIR",
        defaultValue = "${env:DOCKERPULLS_SPOOL_DIR}",
        description =
            "Where snapshots wait while Elasticsearch cannot be reached (env DOCKERPULLS_SPOOL_DIR,"
                + " default $XDG_STATE_HOME/dockerpulls/spool or ~/.local/state/dockerpulls/spool).")
    Path spoolDir;

    @Option(
        names = "--spool-max-size",
        paramLabel = "SIZE",
        defaultValue = "${env:DOCKERPULLS_SPOOL_MAX_SIZE:-512MiB}",
        converter = SizeConverter.class,
        description =
            "The most the spool may hold, such as 512MiB or 2GiB (env DOCKERPULLS_SPOOL_MAX_SIZE,"
                + " default ${DEFAULT-VALUE}); beyond it the oldest snapshots are dropped, counted"
                + " and logged.")
    Long spoolMaxSize;

    @Option(
        names = "--spool-max-age",
        paramLabel = "DURATION",
        defaultValue = "${env:DOCKERPULLS_SPOOL_MAX_AGE:-7d}",
        converter = DurationConverter.class,
        description =
            "How old a waiting snapshot may get before it is dropped (env"
                + " DOCKERPULLS_SPOOL_MAX_AGE, default ${DEFAULT-VALUE}).")
    Duration spoolMaxAge;
  }

  /** The environment; tests replace it. */
  Map<String, String> environment = System.getenv();

  /** Whether any Elasticsearch URL was given, on the command line or in ES_URL. */
  boolean configured() {
    return !urls().isEmpty();
  }

  private List<String> urls() {
    if (!urls.isEmpty()) {
      return urls;
    }
    String env = environment.get("ES_URL");
    if (env == null || env.isBlank()) {
      return List.of();
    }
    List<String> fromEnv = new ArrayList<>();
    for (String u : env.split(",")) {
      if (!u.isBlank()) {
        fromEnv.add(u.strip());
      }
    }
    return fromEnv;
  }

  /**
   * The settings these options describe.
   *
   * @throws ParameterException for anything unusable, before any connection is made
   */
  EsSettings settings(java.time.Clock clock) {
    return settings(clock, null);
  }

  /**
   * The settings these options describe, with where the sink writes from {@code sink} (null for a
   * command that only reads).
   *
   * @throws ParameterException for anything unusable, before any connection is made
   */
  EsSettings settings(java.time.Clock clock, Sink sink) {
    EsSettings.Builder b = EsSettings.builder().clock(clock);
    try {
      for (String url : urls()) {
        b.host(url);
      }
      String apiKey =
          SecretFile.fromFileOrEnvironment(
              apiKeyFile, "--es-api-key-file", environment, "ES_API_KEY");
      String password =
          SecretFile.fromFileOrEnvironment(
              passwordFile, "--es-password-file", environment, "ES_PASSWORD");
      if (apiKey != null) {
        b.apiKey(apiKey);
      }
      boolean hasUser =
          SecretFile.pair(
              username,
              password,
              "--es-username",
              "ES_USERNAME",
              "password",
              "--es-password-file",
              "ES_PASSWORD");
      if (hasUser) {
        b.basicAuth(username, password);
      }
      if (caCert != null) {
        if (!Files.isReadable(caCert)) {
          throw new IllegalArgumentException("--es-ca-cert: cannot read " + caCert);
        }
        b.caCertificate(caCert);
      }
      if (caFingerprint != null && !caFingerprint.isBlank()) {
        b.caFingerprint(caFingerprint);
      }
      b.insecure(insecure);
      if (sink != null) {
        b.indexPrefix(
            sink.indexPrefix == null || sink.indexPrefix.isBlank()
                ? EsSettings.DEFAULT_INDEX_PREFIX
                : sink.indexPrefix);
        if (sink.spoolDir != null && !sink.spoolDir.toString().isBlank()) {
          b.spoolDir(sink.spoolDir);
        }
        if (sink.spoolMaxSize != null) {
          b.spoolMaxBytes(sink.spoolMaxSize);
        }
        if (sink.spoolMaxAge != null) {
          b.spoolMaxAge(sink.spoolMaxAge);
        }
      }
      EsSettings settings = b.build();
      if (sink != null) {
        requireDirectoryOrNothing(settings.spoolDir());
      }
      EsConnection.checkTrust(settings);
      return settings;
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      throw new ParameterException(
          spec.commandLine(), message.startsWith("--") ? message : "elasticsearch: " + message);
    }
  }

  /**
   * Refuses a spool path that is (or lies under) a file: that is a mistake to stop at, where a
   * directory that cannot be written is only a warning at the first snapshot (delivery then goes on
   * without the spool).
   */
  private static void requireDirectoryOrNothing(Path dir) {
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new IllegalArgumentException(
              "--spool-dir: "
                  + p
                  + " is a file, not a directory"
                  + (p.equals(dir.toAbsolutePath()) ? "" : ", so " + dir + " cannot be made"));
        }
        return;
      }
    }
  }

  /**
   * The sink's failure as the command line prints it: the library names no flags, so a TLS failure
   * gets the options that trust a CA here.
   */
  static String message(SinkException e) {
    return e.kind() == SinkException.Kind.TLS
        ? e.getMessage() + " with --es-ca-cert or --es-ca-fingerprint"
        : e.getMessage();
  }

  /** A delivery warning as the command line prints it, with the option that would help. */
  static String warning(String warning) {
    return warning.startsWith(ElasticsearchSink.SPOOL_UNWRITABLE)
        ? warning + " with --spool-dir or DOCKERPULLS_SPOOL_DIR"
        : warning;
  }

  /** One line for a delivery that went well, for logs and stderr. */
  /** What {@code --es-insecure} costs, said whenever it is used. */
  static final String INSECURE =
      "--es-insecure: the Elasticsearch certificate is NOT verified; anyone between here and the"
          + " server can read and change what is sent";

  static String summary(DeliveryReport r) {
    return String.format(
        java.util.Locale.ROOT,
        "wrote %,d documents (%d snapshot%s%s) to %s in %.2f s",
        r.documents(),
        r.snapshots(),
        r.snapshots() == 1 ? "" : "s",
        r.existing() == 0
            ? ""
            : String.format(java.util.Locale.ROOT, "; %,d already there", r.existing()),
        r.indices().isEmpty() ? "no index" : String.join(", ", r.indices()),
        r.duration().toNanos() / 1e9);
  }

  /** Where data waits after a failure. */
  static String waiting(DeliveryReport r) {
    int n = r.pending();
    if (n < 0) {
      return "the spool in " + r.spoolDir() + " cannot be read, so nothing waits there";
    }
    return (n == 1 ? "1 snapshot waits" : n + " snapshots wait") + " in " + r.spoolDir();
  }
}
