package io.github.dockerpulls.exporter.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.exporter.ExporterServer;
import io.github.dockerpulls.exporter.metrics.SnapshotCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mindrot.jbcrypt.BCrypt;

/** {@code --web.config.file}: the exporter toolkit's file, read and re-read. */
class WebConfigTest {
  @TempDir Path dir;

  private static final String ALICE = BCrypt.hashpw("alice-pass", BCrypt.gensalt(4));
  private static final String BOB = BCrypt.hashpw("bob-pass", BCrypt.gensalt(4));

  private ExporterServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aNodeExporterStyleFileIsReadWithPathsRelativeToItsDirectory() {
    WebConfig c =
        WebConfig.parse(
            """
            # as node_exporter's docs write it
            tls_server_config:
              cert_file: tls/server.crt
              key_file: "/etc/keys/server.key"
              client_auth_type: NoClientCert
            http_server_config:
              http2: true
              headers:
                Strict-Transport-Security: 'max-age=31536000; includeSubDomains'
                X-Frame-Options: sameorigin
            basic_auth_users:
              alice: %s   # the first user
              "bob": '%s'
            """
                .formatted(ALICE, BOB),
            dir);
    assertThat(c.tls()).isTrue();
    assertThat(c.certFile()).isEqualTo(dir.resolve("tls/server.crt"));
    assertThat(c.keyFile()).isEqualTo(Path.of("/etc/keys/server.key"));
    assertThat(c.headers())
        .containsEntry("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        .containsEntry("X-Frame-Options", "sameorigin");
    assertThat(c.basicAuth().users()).containsExactly("alice", "bob");
    assertThat(c.basicAuth().checkCredentials("bob", "bob-pass")).isTrue();
    assertThat(c.basicAuth().checkCredentials("bob", "alice-pass")).isFalse();
    assertThat(c.basicAuth().checkCredentials("carol", "alice-pass")).isFalse();
    assertThat(c.basicAuth().toString()).doesNotContain("$2a$", ALICE);
    assertThat(c.toString()).contains("[alice, bob]").doesNotContain("$2a$", ALICE, BOB);
  }

  @Test
  void anEmptyFileTurnsNothingOn() {
    WebConfig c = WebConfig.parse("# nothing yet\n", dir);
    assertThat(c.tls()).isFalse();
    assertThat(c.basicAuth()).isNull();
    assertThat(c.headers()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "tls_config:\\n  cert_file: a | unknown setting tls_config",
        "tls_server_config:\\n  cert_file: a | needs both cert_file and key_file",
        "tls_server_config:\\n  min_version: TLS13 | tls_server_config.min_version is not supported",
        "tls_server_config:\\n  client_ca_file: ca.pem | client_ca_file is not supported",
        "basic_auth_users:\\n  alice: plain-password | the password of alice is not a bcrypt hash",
        "http_server_config:\\n  headers:\\n    Server: x | Server cannot be set",
        "http_server_config:\\n  headers:\\n    X-Frame-Options: allow | must be one of",
        "basic_auth_users:\\n  - alice | line 2: lists are not used",
        "basic_auth_users: {alice: x} | line 1: this YAML form is not supported",
        "basic_auth_users:\\n  a: x\\n a: y | line 3: the indentation does not match",
        "http_server_config:\\n\\theaders: | line 2: tabs are not allowed",
        "basic_auth_users:\\nbasic_auth_users: | line 2: 'basic_auth_users' is given twice",
        "just text | line 1: expected 'name: value'",
        "a: 'open | line 1: a quote is not closed",
      })
  void whatCannotBeHonouredIsRefusedInOneLine(String text, String message) {
    assertThatThrownBy(() -> WebConfig.parse(text.replace("\\n", "\n").replace("\\t", "\t"), dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining("plain-password")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void usersAndHeadersChangeWithTheFileWhileABrokenEditKeepsTheLastGoodSettings() throws Exception {
    Path file = dir.resolve("web.yml");
    Files.writeString(file, "basic_auth_users:\n  alice: " + ALICE + "\n");
    AtomicLong nanos = new AtomicLong();
    WebConfigFile web = WebConfigFile.open(file, nanos::get);
    server =
        ExporterServer.builder()
            .host("127.0.0.1")
            .port(0)
            .collector(new SnapshotCollector(true, null))
            .registry(new PrometheusRegistry())
            .webConfig(web)
            .start();
    assertThat(get("/metrics", "alice", "alice-pass").statusCode()).isEqualTo(200);
    assertThat(get("/metrics", "bob", "bob-pass").statusCode()).isEqualTo(401);
    assertThat(get("/-/healthy", null, null).statusCode()).isEqualTo(200);

    write(
        file,
        "basic_auth_users:\n  bob: "
            + BOB
            + "\nhttp_server_config:\n  headers:\n"
            + "    X-Frame-Options: deny\n",
        1);
    assertThat(get("/metrics", "alice", "alice-pass").statusCode())
        .as("not looked at again within a second")
        .isEqualTo(200);
    nanos.addAndGet(1_000_000_001L);
    HttpResponse<String> bob = get("/metrics", "bob", "bob-pass");
    assertThat(bob.statusCode()).isEqualTo(200);
    assertThat(bob.headers().allValues("X-Frame-Options")).containsExactly("deny");
    assertThat(get("/-/healthy", null, null).headers().firstValue("X-Frame-Options"))
        .hasValue("deny");
    assertThat(get("/metrics", "alice", "alice-pass").statusCode()).isEqualTo(401);

    write(file, "basic_auth_users:\n  bob: not-a-hash\n", 2);
    nanos.addAndGet(1_000_000_001L);
    assertThat(get("/metrics", "bob", "bob-pass").statusCode())
        .as("a broken file keeps the last good settings")
        .isEqualTo(200);
  }

  @Test
  void aFileThatCannotBeReadAtStartSaysWhy() throws Exception {
    Path file = dir.resolve("web.yml");
    Files.writeString(file, "basic_auth_users:\n  alice: secret123\n");
    assertThatThrownBy(() -> WebConfigFile.open(file))
        .hasMessage(
            "basic_auth_users: the password of alice is not a bcrypt hash"
                + " (write one with htpasswd -nBC 10 \"\" | tr -d ':')");
  }

  private static void write(Path file, String text, int step) throws Exception {
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L + step * 10_000L));
  }

  private HttpResponse<String> get(String path, String user, String password) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (user != null) {
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
