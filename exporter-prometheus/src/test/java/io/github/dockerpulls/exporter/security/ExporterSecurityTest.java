package io.github.dockerpulls.exporter.security;

import static io.github.dockerpulls.hub.testing.TestTls.certificate;
import static io.github.dockerpulls.hub.testing.TestTls.trusting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.exporter.ExporterServer;
import io.github.dockerpulls.exporter.http.Http11Server;
import io.github.dockerpulls.exporter.metrics.SnapshotCollector;
import io.github.dockerpulls.exporter.testing.Snapshots;
import io.github.dockerpulls.files.TextFiles;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mindrot.jbcrypt.BCrypt;

class ExporterSecurityTest {
  @TempDir Path dir;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final SnapshotCollector collector = new SnapshotCollector(true, null);
  private ExporterServer server;

  ExporterSecurityTest() {
    registry.register(collector);
    collector.onSnapshot(Snapshots.goldenSnapshot());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Path fixture(String name) throws IOException {
    Path target = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/tls/" + name)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  private ExporterServer start(SSLContext tls, BasicAuth auth) throws IOException {
    server =
        ExporterServer.builder()
            .host("127.0.0.1")
            .port(0)
            .collector(collector)
            .registry(registry)
            .tls(tls)
            .basicAuth(auth)
            .start();
    return server;
  }

  @Test
  void aBodyAndItsTailArriveWholeOverTls() throws Exception {
    Path cert = fixture("rsa-cert.pem");
    byte[] body = new byte[2_000_000];
    byte[] tail = new byte[30_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) ('a' + i % 26);
    }
    java.util.Arrays.fill(tail, (byte) 'z');
    try (Http11Server tls =
        new Http11Server(
            new java.net.InetSocketAddress("127.0.0.1", 0),
            PemTls.serverContext(cert, fixture("rsa-key.pem")),
            r -> io.github.dockerpulls.exporter.http.HttpResponse.of(200, "text/plain", body, tail),
            2,
            Http11Server.Limits.DEFAULT)) {
      HttpClient http = HttpClient.newBuilder().sslContext(trusting(certificate(cert))).build();
      for (int i = 0; i < 2; i++) {
        HttpResponse<byte[]> r =
            http.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + tls.port() + "/x"))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        byte[] expected = new byte[body.length + tail.length];
        System.arraycopy(body, 0, expected, 0, body.length);
        System.arraycopy(tail, 0, expected, body.length, tail.length);
        assertThat(r.body()).isEqualTo(expected);
      }
    }
  }

  /** Completes a fresh handshake and returns the certificate the server presented. */
  private Certificate presented(SSLContext client) throws IOException {
    try (SSLSocket socket =
        (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      socket.startHandshake();
      return socket.getSession().getPeerCertificates()[0];
    }
  }

  @ParameterizedTest(name = "{0} key")
  @CsvSource({
    "PKCS#8 RSA, rsa-cert.pem, rsa-key.pem",
    "PKCS#1 RSA, rsa-cert.pem, rsa-key-pkcs1.pem",
    "SEC1 EC, ec-cert.pem, ec-key-sec1.pem"
  })
  void servesHttpsWithPemFilesInEveryCommonKeyForm(String form, String cert, String key)
      throws Exception {
    Path certFile = fixture(cert);
    start(PemTls.serverContext(certFile, fixture(key)), null);
    assertThat(server.scheme()).isEqualTo("https");

    HttpClient http = HttpClient.newBuilder().sslContext(trusting(certificate(certFile))).build();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(Snapshots.golden("metrics.txt"));
  }

  @Test
  void aRenewedCertificateIsServedWithoutARestart() throws Exception {
    Path cert = fixture("rsa-cert.pem");
    Path key = fixture("rsa-key.pem");
    AtomicLong nanos = new AtomicLong();
    start(PemTls.serverContext(cert, key, nanos::get), null);
    X509Certificate first = certificate(cert);
    X509Certificate second = certificate(fixture("rsa2-cert.pem"));
    SSLContext client = trusting(first, second);
    assertThat(presented(client)).isEqualTo(first);

    // cert-manager writes the new pair in place
    Files.copy(dir.resolve("rsa2-cert.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(fixture("rsa2-key.pem"), key, StandardCopyOption.REPLACE_EXISTING);
    FileTime later = FileTime.from(Instant.now().plusSeconds(60));
    Files.setLastModifiedTime(cert, later);
    Files.setLastModifiedTime(key, later);

    assertThat(presented(client))
        .as("not looked at again before the check interval")
        .isEqualTo(first);
    nanos.addAndGet(PemTls.RELOAD_CHECK.plusSeconds(1).toNanos());
    assertThat(presented(client)).isEqualTo(second);
  }

  @Test
  void aHalfWrittenRenewalKeepsThePreviousPair() throws Exception {
    Path cert = fixture("rsa-cert.pem");
    Path key = fixture("rsa-key.pem");
    AtomicLong nanos = new AtomicLong();
    start(PemTls.serverContext(cert, key, nanos::get), null);
    X509Certificate first = certificate(cert);

    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nAAAA\n");
    Files.setLastModifiedTime(key, FileTime.from(Instant.now().plusSeconds(60)));
    nanos.addAndGet(Duration.ofMinutes(1).toNanos());
    assertThat(presented(trusting(first))).isEqualTo(first);
  }

  @Test
  void unusablePemFilesAreRefusedWithTheFileNamed() throws Exception {
    Path cert = fixture("rsa-cert.pem");
    Path ecKey = fixture("ec-key-sec1.pem");
    assertThatThrownBy(() -> PemTls.serverContext(cert, ecKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not hold the key of the certificate");
    // An RSA key, but another certificate's: refused at start, not at the first handshake.
    Path otherRsaKey = fixture("rsa2-key.pem");
    assertThatThrownBy(() -> PemTls.serverContext(cert, otherRsaKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(otherRsaKey + " does not hold the key of the certificate in " + cert);
    assertThat(PemTls.serverContext(fixture("rsa2-cert.pem"), otherRsaKey)).isNotNull();

    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> PemTls.serverContext(cert, empty))
        .hasMessage(empty + " holds no PEM private key block");
    assertThatThrownBy(() -> PemTls.serverContext(empty, ecKey))
        .hasMessage(empty + " holds no PEM CERTIFICATE block");

    Path encrypted =
        Files.writeString(
            dir.resolve("enc.pem"),
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
    assertThatThrownBy(() -> PemTls.serverContext(cert, encrypted))
        .hasMessageContaining("encrypted key");
  }

  private HttpResponse<String> get(String path, String user, String password) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (user != null) {
      String pair = user + ":" + password;
      b.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void basicAuthGuardsMetricsAndTheLandingPageButNotTheProbes() throws Exception {
    AtomicLong nanos = new AtomicLong();
    start(null, BasicAuth.of("prometheus", "s3cret pass").clock(nanos::get));

    HttpResponse<String> anonymous = get("/metrics", null, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValue("Basic realm=\"dockerpulls\", charset=\"UTF-8\"");
    assertThat(get("/", null, null).statusCode()).isEqualTo(401);
    // The dashboard's pages, its API and the badges are guarded alike; its static assets are not.
    for (String path :
        java.util.List.of(
            "/api/v1/status", "/api/v1/history", "/r/camunda/zeebe", "/badge/camunda/zeebe.svg")) {
      assertThat(get(path, null, null).statusCode()).as(path).isEqualTo(401);
    }
    assertThat(get("/assets/app.js", null, null).statusCode()).isEqualTo(200);
    assertThat(get("/metrics", "prometheus", "wrong").statusCode()).isEqualTo(401);
    HttpResponse<String> throttled = get("/metrics", "prometheus", "s3cret pass");
    assertThat(throttled.statusCode())
        .as("right after a failure, this address is not checked at all")
        .isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
    assertThat(get("/metrics", "other", "s3cret pass").statusCode()).isEqualTo(401);
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));

    HttpResponse<String> ok = get("/metrics", "prometheus", "s3cret pass");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo(Snapshots.golden("metrics.txt"));
    assertThat(get("/", "prometheus", "s3cret pass").statusCode()).isEqualTo(200);

    assertThat(get("/-/healthy", null, null).statusCode()).isEqualTo(200);
    assertThat(get("/-/ready", null, null).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "${0}$ hash")
  @CsvSource({"2a", "2b", "2y"})
  void bcryptHashesFromAFileAreAcceptedInEveryPrefix(String prefix) throws Exception {
    String hash = "$" + prefix + BCrypt.hashpw("correct horse", BCrypt.gensalt(4)).substring(3);
    Path file = Files.writeString(dir.resolve("password"), hash + "\n");
    AtomicLong nanos = new AtomicLong();
    BasicAuth auth = BasicAuth.fromFile("scraper", file).clock(nanos::get);
    start(null, auth);

    assertThat(get("/metrics", "scraper", "correct horse").statusCode()).isEqualTo(200);
    assertThat(get("/metrics", "scraper", "correct horse").statusCode())
        .as("again, from the cache of the last accepted pair")
        .isEqualTo(200);
    assertThat(get("/metrics", "scraper", "correct hors").statusCode()).isEqualTo(401);
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
    assertThat(get("/metrics", "scraper", hash).statusCode())
        .as("the hash itself is not a password")
        .isEqualTo(401);
    assertThat(auth.toString()).isEqualTo("BasicAuth[users=[scraper], bcrypt=***]");
  }

  @Test
  void thePasswordNeverShowsAndBadSettingsAreRefused() throws Exception {
    assertThat(BasicAuth.of("u", "hunter2").toString())
        .isEqualTo("BasicAuth[users=[u], password=***]")
        .doesNotContain("hunter2");
    assertThatThrownBy(() -> BasicAuth.of("", "x")).hasMessageContaining("user must be non-empty");
    assertThatThrownBy(() -> BasicAuth.of("a:b", "x")).hasMessageContaining("without ':'");
    assertThatThrownBy(() -> BasicAuth.of("u", "  ")).hasMessageContaining("password is empty");
    Path blank = Files.writeString(dir.resolve("blank"), "\n\n");
    assertThatThrownBy(() -> BasicAuth.fromFile("u", blank))
        .hasMessage("the file holds no password or bcrypt hash");
    assertThatThrownBy(() -> BasicAuth.fromFile("u", Path.of("/dev/zero")))
        .isInstanceOf(TextFiles.Unusable.class)
        .hasMessage("it is larger than 64 KiB, so it is not what was meant");
  }

  @Test
  void tlsAndBasicAuthTogether() throws Exception {
    Path cert = fixture("rsa-cert.pem");
    start(PemTls.serverContext(cert, fixture("rsa-key-pkcs1.pem")), BasicAuth.of("u", "p"));
    HttpClient http = HttpClient.newBuilder().sslContext(trusting(certificate(cert))).build();
    URI uri = URI.create("https://localhost:" + server.port() + "/metrics");
    assertThat(
            http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(401);
    String basic = Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8));
    assertThat(
            http.send(
                    HttpRequest.newBuilder(uri).header("Authorization", "Basic " + basic).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
  }
}
