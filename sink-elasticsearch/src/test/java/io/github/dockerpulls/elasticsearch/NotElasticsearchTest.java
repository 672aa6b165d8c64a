package io.github.dockerpulls.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.TargetResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotElasticsearchTest {
  @TempDir Path spool;

  private static Snapshot snapshot() {
    RepositoryStats r =
        new RepositoryStats(
            "camunda", "zeebe", 100, OptionalLong.of(1), Optional.empty(), OptionalLong.empty());
    return Snapshot.of(
        Instant.parse("2026-12-03T10:00:00Z"),
        Duration.ZERO,
        List.of(TargetResult.success(Target.parse("camunda"), List.of(r))),
        Optional.empty(),
        Optional.empty());
  }

  private String messageFrom(MockResponse answer) throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      for (int i = 0; i < 20; i++) {
        server.enqueue(answer);
      }
      server.start();
      EsSettings settings =
          EsSettings.builder()
              .host(server.url("/").toString())
              .spoolDir(spool)
              .attempts(1)
              .firstBackoff(Duration.ofMillis(1))
              .build();
      try (EsConnection c = new EsConnection(settings);
          ElasticsearchSink sink = ElasticsearchSink.create(c)) {
        DeliveryReport report = sink.write(snapshot());
        return report.failure().orElseThrow().getMessage();
      }
    }
  }

  @Test
  void aWebServerThatAnswers200WithAPageIsNamedForWhatItIs() throws Exception {
    String message =
        messageFrom(
            new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "text/html")
                .body("<html><body>Welcome to nginx!</body></html>")
                .build());
    assertThat(message)
        .contains("the indices.get_index_template request was answered with 200 text/html")
        .contains("not Elasticsearch's JSON")
        .endsWith("is this the address of an Elasticsearch node?")
        .doesNotContain("HTTP 200");
  }

  @Test
  void aServerThatDoesNotKnowTheMethodSaysWhatWasAskedAndWhatCame() throws Exception {
    String message =
        messageFrom(
            new MockResponse.Builder()
                .code(501)
                .addHeader("Content-Type", "text/html")
                .body(
                    "<html><head><title>Error response</title></head><body><p>Error code: 501</p>"
                        + "<p>Message: Unsupported method ('GET').</p></body></html>")
                .build());
    assertThat(message)
        .contains(
            "GET /_index_template/docker-pulls was answered with 501 text/html (Error response"
                + " Error code: 501 Message: Unsupported method ('GET').)")
        .contains("not Elasticsearch's JSON")
        .doesNotContain("ResponseException")
        .doesNotContain("status line");
  }

  @Test
  void aProxyOutageInFrontOfElasticsearchIsTransientAndNamedAsSuch() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      for (int i = 0; i < 5; i++) {
        server.enqueue(
            new MockResponse.Builder()
                .code(502)
                .addHeader("Content-Type", "text/html")
                .body("<html><body><h1>502 Bad Gateway</h1></body></html>")
                .build());
      }
      server.start();
      EsSettings settings =
          EsSettings.builder().host(server.url("/").toString()).spoolDir(spool).attempts(1).build();
      try (EsConnection c = new EsConnection(settings);
          ElasticsearchSink sink = ElasticsearchSink.create(c)) {
        DeliveryReport report = sink.write(snapshot());
        SinkException e = report.failure().orElseThrow();
        assertThat(e.kind()).isEqualTo(SinkException.Kind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("answered with 502 text/html (502 Bad Gateway)");
        assertThat(report.pending()).isEqualTo(1);
      }
    }
  }

  @Test
  void aServerThatEchoesTheAuthorizationHeaderShowsNoPassword() throws Exception {
    EsSettings settings =
        EsSettings.builder()
            .host("http://127.0.0.1:9")
            .basicAuth("elastic", "s3cret-Pa55")
            .spoolDir(spool)
            .build();
    try (EsConnection c = new EsConnection(settings)) {
      String echoed =
          "unauthorized: Authorization: Basic "
              + java.util.Base64.getEncoder()
                  .encodeToString(
                      "elastic:s3cret-Pa55".getBytes(java.nio.charset.StandardCharsets.UTF_8))
              + " password s3cret-Pa55";
      SinkException e = c.translate(new java.io.IOException(echoed), "write to");
      assertThat(e.getMessage())
          .doesNotContain("s3cret-Pa55")
          .doesNotContain("ZWxhc3RpYzpz")
          .contains("****");
    }
  }
}
