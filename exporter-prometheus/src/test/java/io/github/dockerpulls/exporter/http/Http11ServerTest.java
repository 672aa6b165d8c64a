package io.github.dockerpulls.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  /** A body of {@code parts} parts of 64 KiB (or endless when negative), counting its calls. */
  private static final class Parts implements BodySource {
    final java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    private final int parts;

    Parts(int parts) {
      this.parts = parts;
    }

    @Override
    public byte[] next() {
      int n = calls.incrementAndGet();
      if (parts >= 0 && n > parts) {
        return null;
      }
      byte[] part = new byte[64 * 1024];
      java.util.Arrays.fill(part, (byte) ('a' + n % 26));
      return part;
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  @Test
  void aStreamedBodyArrivesWholeInChunksAndIsReleased() throws Exception {
    Parts parts = new Parts(40);
    try (Http11Server server =
        new Http11Server(
            new InetSocketAddress("127.0.0.1", 0),
            null,
            r -> HttpResponse.streamed(200, "text/plain", parts),
            2,
            Http11Server.Limits.DEFAULT)) {
      var r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                      .build(),
                  BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
      assertThat(r.body()).hasSize(40 * 64 * 1024);
      assertThat(r.body()[0]).isEqualTo((byte) 'b');
      assertThat(parts.closed.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aClientThatDoesNotReadHoldsOnePartNotTheAnswerAndTheProbesStayFast() throws Exception {
    Parts endless = new Parts(-1);
    try (Http11Server server =
            new Http11Server(
                new InetSocketAddress("127.0.0.1", 0),
                null,
                r ->
                    r.path().equals("/big")
                        ? HttpResponse.streamed(200, "text/plain", endless)
                        : HttpResponse.text(200, "OK\n"),
                2,
                Http11Server.Limits.DEFAULT);
        java.net.Socket stuck = new java.net.Socket("127.0.0.1", server.port())) {
      stuck.setReceiveBufferSize(4096);
      stuck
          .getOutputStream()
          .write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      Thread.sleep(1500);
      int made = endless.calls.get();
      // What the socket buffers hold, in 64 KiB parts: a few megabytes at most, never endless.
      assertThat(made).isBetween(1, 100);
      Thread.sleep(500);
      assertThat(endless.calls.get()).isEqualTo(made);
      HttpClient http = HttpClient.newHttpClient();
      long started = System.nanoTime();
      var probe =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/-/healthy"))
                  .build(),
              BodyHandlers.ofString());
      assertThat(probe.statusCode()).isEqualTo(200);
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
          .isLessThan(java.time.Duration.ofMillis(500));
    }
    assertThat(endless.closed.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void keptAliveConnectionsOfOneAddressMakeRoomForAProbe() throws Exception {
    Http11Server.Limits few =
        new Http11Server.Limits(
            8192,
            16384,
            100,
            65536,
            java.time.Duration.ofSeconds(10),
            java.time.Duration.ofSeconds(75),
            java.time.Duration.ofSeconds(30),
            100);
    java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
    try (Http11Server server =
        new Http11Server(
            new InetSocketAddress("127.0.0.1", 0),
            null,
            r -> HttpResponse.text(200, "OK\n"),
            2,
            few)) {
      // 100 connections from one address, each kept alive after one request: the server's limit.
      for (int i = 0; i < 100; i++) {
        java.net.Socket s = new java.net.Socket("127.0.0.1", server.port());
        s.getOutputStream()
            .write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        byte[] answer = new byte[256];
        assertThat(s.getInputStream().read(answer)).isPositive();
        held.add(s);
      }
      long started = System.nanoTime();
      var probe =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/-/healthy"))
                      .build(),
                  BodyHandlers.ofString());
      assertThat(probe.statusCode()).isEqualTo(200);
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
          .isLessThan(java.time.Duration.ofSeconds(1));
      // The connections idle longest went first: the oldest is closed, the newest still open.
      assertThat(held.get(0).getInputStream().read()).isEqualTo(-1);
      held.get(99).setSoTimeout(200);
      assertThatThrownBy(() -> held.get(99).getInputStream().read())
          .isInstanceOf(java.net.SocketTimeoutException.class);
    } finally {
      for (java.net.Socket s : held) {
        s.close();
      }
    }
  }
}
