package io.github.dockerpulls.elasticsearch.testing;

import io.github.dockerpulls.elasticsearch.EsSettings;
import io.github.dockerpulls.hub.testing.TestTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Elasticsearch for the tests: the integ-test-zip that Maven unpacked into {@code target},
 * copied to a fresh directory, serving HTTPS with the test certificate and requiring a password
 * (security on, file realm). One per test JVM, stopped by the JUnit extension {@link
 * RealElasticsearch} when the tests end, by a shutdown hook when the JVM ends otherwise, and at the
 * next start when a previous run died without either.
 *
 * <p>Elasticsearch refuses to run as root: as root (in CI), the copy belongs to a system user,
 * created once, and the server runs under {@code runuser}.
 */
public final class TestElasticsearch {
  public static final String USER = "dockerpulls";
  public static final String PASSWORD = "test-password-1";
  public static final String READER = "reader";
  private static final String SYSTEM_USER = "dockerpulls-es";

  private static TestElasticsearch instance;
  private static Throwable startFailure;

  private final Path home;
  private final Path base;
  private final Path pidFile;
  private final Path stalePidRecord;
  private final int port;
  private final boolean root;
  private final HttpClient http;
  private volatile long pid = -1;

  /** The shared server, started on first use; fails (never skips) when it cannot start. */
  public static synchronized TestElasticsearch get() {
    if (startFailure != null) {
      throw new IllegalStateException("the test Elasticsearch could not start", startFailure);
    }
    if (instance == null) {
      try {
        instance = new TestElasticsearch();
        instance.start();
        Runtime.getRuntime()
            .addShutdownHook(new Thread(TestElasticsearch::stopShared, "stop-test-elasticsearch"));
      } catch (Throwable t) {
        startFailure = t;
        if (instance != null) {
          instance.stop();
        }
        instance = null;
        throw new IllegalStateException("the test Elasticsearch could not start: " + t, t);
      }
    }
    return instance;
  }

  static synchronized void stopShared() {
    if (instance != null) {
      instance.stop();
      instance.deleteCopy();
      instance = null;
    }
  }

  private TestElasticsearch() throws Exception {
    String unpacked = System.getProperty("dockerpulls.test.elasticsearch.home");
    if (unpacked == null || !Files.isDirectory(Path.of(unpacked, "bin"))) {
      throw new IllegalStateException(
          "no Elasticsearch at "
              + unpacked
              + "; run the tests through Maven, which unpacks it in process-test-resources");
    }
    this.root = "root".equals(System.getProperty("user.name"));
    Path target = Path.of(unpacked).getParent().getParent();
    this.stalePidRecord = target.resolve("test-elasticsearch.pid");
    killStale();
    this.base = Files.createTempDirectory("dockerpulls-es-");
    this.home = base.resolve("elasticsearch");
    this.pidFile = base.resolve("elasticsearch.pid");
    try (ServerSocket s = new ServerSocket(0)) {
      this.port = s.getLocalPort();
    }
    run(List.of("cp", "-a", unpacked, home.toString()), Map.of());
    Files.createDirectories(base.resolve("data"));
    Files.createDirectories(base.resolve("logs"));
    Files.createDirectories(base.resolve("tmp"));
    for (String pem : new String[] {"rsa-cert.pem", "rsa-key.pem"}) {
      try (InputStream in = TestElasticsearch.class.getResourceAsStream("/tls/" + pem)) {
        Files.copy(in, home.resolve("config").resolve(pem), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Map<String, String> env = Map.of("ES_JAVA_HOME", javaHome());
    run(
        List.of(
            home.resolve("bin/elasticsearch-users").toString(),
            "useradd",
            USER,
            "-p",
            PASSWORD,
            "-r",
            "superuser"),
        env);
    run(
        List.of(
            home.resolve("bin/elasticsearch-users").toString(),
            "useradd",
            READER,
            "-p",
            PASSWORD,
            "-r",
            "viewer"),
        env);
    if (root) {
      if (run(List.of("id", "-u", SYSTEM_USER), Map.of(), true) != 0) {
        run(
            List.of(
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                SYSTEM_USER),
            Map.of());
      }
      run(List.of("chown", "-R", SYSTEM_USER, base.toString()), Map.of());
      run(List.of("chmod", "755", base.toString()), Map.of());
    }
    this.http = HttpClient.newBuilder().sslContext(TestTls.trusting(caCertificate())).build();
  }

  private static String javaHome() {
    String javaHome = System.getProperty("java.home");
    if (javaHome.startsWith("/root")) {
      throw new IllegalStateException(
          "the JDK at " + javaHome + " is under /root, out of reach of the Elasticsearch user");
    }
    return javaHome;
  }

  /** A previous run that died hard may have left its server running. */
  private void killStale() throws IOException {
    if (Files.exists(stalePidRecord)) {
      long stale = Long.parseLong(Files.readString(stalePidRecord).strip());
      ProcessHandle.of(stale)
          .filter(p -> p.info().command().map(c -> c.contains("java")).orElse(false))
          .ifPresent(
              p -> {
                p.destroy();
                p.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
              });
      Files.deleteIfExists(stalePidRecord);
    }
  }

  /** Starts the server (again, after {@link #stop}) and waits until it answers. */
  public synchronized void start() throws Exception {
    List<String> cmd = new ArrayList<>();
    if (root) {
      cmd.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
    }
    cmd.addAll(
        List.of(
            home.resolve("bin/elasticsearch").toString(),
            "-d",
            "-p",
            pidFile.toString(),
            "-Ediscovery.type=single-node",
            "-Enetwork.host=127.0.0.1",
            "-Ehttp.port=" + port,
            "-Expack.security.enabled=true",
            "-Expack.security.http.ssl.enabled=true",
            "-Expack.security.http.ssl.certificate=rsa-cert.pem",
            "-Expack.security.http.ssl.key=rsa-key.pem",
            "-Expack.security.transport.ssl.enabled=false",
            "-Ecluster.routing.allocation.disk.threshold_enabled=false",
            "-Epath.data=" + base.resolve("data"),
            "-Epath.logs=" + base.resolve("logs")));
    run(
        cmd,
        Map.of(
            "ES_JAVA_HOME", javaHome(),
            "ES_TMPDIR", base.resolve("tmp").toString(),
            "ES_JAVA_OPTS", "-Xms512m -Xmx512m"));
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Elasticsearch wrote no pid file; see " + base.resolve("logs"));
      }
      Thread.sleep(100);
    }
    pid = Long.parseLong(Files.readString(pidFile).strip());
    Files.writeString(stalePidRecord, Long.toString(pid));
    while (true) {
      try {
        HttpResponse<String> r =
            http.send(
                request("/_cluster/health?wait_for_status=yellow&timeout=1s").build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (System.nanoTime() > deadline || ProcessHandle.of(pid).isEmpty()) {
        throw new IllegalStateException(
            "Elasticsearch did not become ready; see " + base.resolve("logs"));
      }
      Thread.sleep(250);
    }
  }

  /** Stops the server by the pid in its pid file and waits for it to exit. */
  public synchronized void stop() {
    if (pid < 0) {
      return;
    }
    ProcessHandle.of(pid)
        .ifPresent(
            p -> {
              p.destroy();
              try {
                p.onExit().get(60, TimeUnit.SECONDS);
              } catch (Exception slow) {
                p.destroyForcibly();
              }
            });
    pid = -1;
    try {
      Files.deleteIfExists(stalePidRecord);
      Files.deleteIfExists(pidFile);
    } catch (IOException ignored) {
      // best effort
    }
  }

  private void deleteCopy() {
    try (Stream<Path> all = Files.walk(base)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory; the OS cleans it eventually
    }
  }

  public String url() {
    return "https://127.0.0.1:" + port;
  }

  public Path caCertificate() {
    return home.resolve("config/rsa-cert.pem");
  }

  /**
   * Settings for this server with the superuser, trusting the test CA. The tests observe at fixed
   * times in the past, so the spool's age bound is lifted (SpoolTest covers it).
   */
  public EsSettings.Builder settings(Path spoolDir) {
    return EsSettings.builder()
        .host(url())
        .basicAuth(USER, PASSWORD)
        .caCertificate(caCertificate())
        .spoolDir(spoolDir)
        .spoolMaxAge(Duration.ofDays(365_000))
        .firstBackoff(Duration.ofMillis(100))
        .attempts(2);
  }

  /** A raw request, for checks the sink does not make. */
  public HttpRequest.Builder request(String path) {
    String basic =
        Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    return HttpRequest.newBuilder(URI.create(url() + path))
        .header("Authorization", "Basic " + basic)
        .timeout(Duration.ofSeconds(30));
  }

  /** Sends a raw request and returns the body; fails on a status other than 2xx. */
  public String call(String method, String path, String json) {
    try {
      HttpRequest.Builder b = request(path).header("Content-Type", "application/json");
      b.method(
          method,
          json == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(json));
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            method + " " + path + ": " + r.statusCode() + " " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void run(List<String> command, Map<String, String> env) throws Exception {
    int code = run(command, env, false);
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + code);
    }
  }

  private static int run(List<String> command, Map<String, String> env, boolean quiet)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Path log = Files.createTempFile("dockerpulls-es-cmd", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " took over 120 s");
    }
    if (p.exitValue() != 0 && !quiet) {
      System.err.println(Files.readString(log));
    }
    Files.deleteIfExists(log);
    return p.exitValue();
  }
}
