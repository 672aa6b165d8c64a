package io.github.dockerpulls.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.CapturedLog;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Http11ServerTest {
  @Test
  void aHandlerThatDiesOfAnErrorAnswers500AndTheServerServesOn() throws Exception {
    try (CapturedLog log = CapturedLog.of(Http11Server.class);
        Http11Server server =
            new Http11Server(
                new InetSocketAddress("127.0.0.1", 0),
                null,
                r -> {
                  if (r.path().equals("/boom")) {
                    throw new OutOfMemoryError("Java heap space (injected)");
                  }
                  return HttpResponse.of(
                      200, "text/plain", "fine\n".getBytes(StandardCharsets.UTF_8));
                },
                2,
                Http11Server.Limits.DEFAULT)) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port();
      for (int i = 0; i < 3; i++) {
        var boom =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/boom")).build(),
                BodyHandlers.ofString());
        assertThat(boom.statusCode()).isEqualTo(500);
        assertThat(boom.body()).isEqualTo("internal error\n");
        var fine =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/")).build(), BodyHandlers.ofString());
        assertThat(fine.statusCode()).isEqualTo(200);
      }
      assertThat(server.errors()).isEqualTo(3);
      assertThat(log.records())
          .hasSize(3)
          .allSatisfy(
              r ->
                  assertThat(r.getMessage())
                      .isEqualTo(
                          "answering GET /boom failed and the server goes on:"
                              + " java.lang.OutOfMemoryError: Java heap space (injected)"));
    }
  }
}
