package io.github.dockerpulls.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.exporter.http.Http11Server;
import io.github.dockerpulls.exporter.http.HttpRequest;
import io.github.dockerpulls.exporter.http.HttpResponse;
import io.github.dockerpulls.exporter.security.BasicAuth;
import io.github.dockerpulls.exporter.web.Dashboard;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and careless clients over real sockets: slow or unfinished requests, oversized heads,
 * wrong paths and methods, floods of wrong passwords. None may hold up {@code /metrics} or the
 * probes, and every refusal is an HTTP answer with no internal names in it.
 */
class HttpHardeningTest {
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private ExporterServer exporter(BasicAuth auth) throws IOException {
    ExporterServer server = HttpAbuseBenchmark.start(auth);
    open.add(server);
    return server;
  }

  private Http11Server echo(Http11Server.Limits limits) throws IOException {
    Http11Server server =
        new Http11Server(
            new InetSocketAddress("127.0.0.1", 0),
            null,
            r -> HttpResponse.text(200, r.method() + " " + r.path() + "\n"),
            2,
            limits);
    open.add(server);
    return server;
  }

  private Socket connect(int port) throws IOException {
    Socket s = new Socket();
    open.add(s);
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
    s.setSoTimeout(5000);
    return s;
  }

  /** Sends {@code request} on a new connection and reads the answer until the server closes. */
  private String exchange(int port, String request) throws IOException {
    Socket s = connect(port);
    s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  /** One answer's head and body, read from a kept-alive connection by its Content-Length. */
  private static String readAnswer(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after: " + head);
      }
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
  }

  /** 3 MB and 20 KB of known bytes: larger than a socket buffer, so the write takes several. */
  private static byte[] pattern(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) ('a' + (i * 7 + seed) % 26);
    }
    return b;
  }

  @Test
  void aBodyAndItsTailArriveWholeAndInOrderOnAKeptAliveConnection() throws Exception {
    byte[] body = pattern(3_000_000, 1);
    byte[] tail = pattern(20_000, 5);
    Http11Server server =
        new Http11Server(
            new InetSocketAddress("127.0.0.1", 0),
            null,
            r -> HttpResponse.of(200, "text/plain", body, tail),
            2,
            Http11Server.Limits.DEFAULT);
    open.add(server);
    Socket s = connect(server.port());
    OutputStream out = s.getOutputStream();
    InputStream in = s.getInputStream();
    String expected =
        new String(body, StandardCharsets.UTF_8) + new String(tail, StandardCharsets.UTF_8);
    for (int i = 0; i < 3; i++) {
      out.write("GET /x HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = readAnswer(in);
      assertThat(answer).contains("\r\nContent-Length: 3020000\r\n");
      assertThat(answer.substring(answer.indexOf("\r\n\r\n") + 4)).isEqualTo(expected);
    }
    out.write("HEAD /x HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) in.read());
    }
    assertThat(head.toString()).contains("\r\nContent-Length: 3020000\r\n");
    s.setSoTimeout(300);
    assertThat(readsNothingMore(in)).isTrue();
  }

  private static boolean readsNothingMore(InputStream in) throws IOException {
    try {
      return in.read() < 0;
    } catch (java.net.SocketTimeoutException quiet) {
      return true;
    }
  }

  @Test
  void aThousandUnfinishedRequestsDoNotHoldUpTheMetricsOrTheProbes() throws Exception {
    int port = exporter(null).port();
    List<Socket> held = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Socket s = connect(port);
      s.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      held.add(s);
    }
    for (String path : List.of("/metrics", "/-/healthy", "/-/ready")) {
      String answer = exchange(port, get(path));
      assertThat(answer).as(path).startsWith("HTTP/1.1 200 OK\r\n");
    }
    for (Socket s : held) {
      assertThat(s.isClosed()).isFalse();
    }
  }

  @Test
  void anUnfinishedRequestGets408AndAnIdleConnectionIsClosed() throws Exception {
    Http11Server.Limits limits =
        new Http11Server.Limits(
            8192,
            16384,
            100,
            65536,
            Duration.ofMillis(300),
            Duration.ofMillis(600),
            Duration.ofSeconds(5),
            100);
    int port = echo(limits).port();

    Socket slow = connect(port);
    slow.getOutputStream().write("GET / HTTP/1.1\r\nHost: a".getBytes(StandardCharsets.US_ASCII));
    String answer = new String(slow.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout\r\n").contains("Connection: close");

    Socket idle = connect(port);
    long start = System.nanoTime();
    assertThat(idle.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));

    Socket kept = connect(port);
    kept.getOutputStream()
        .write("GET /a HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(readAnswer(kept.getInputStream()))
        .startsWith("HTTP/1.1 200 OK")
        .endsWith("GET /a\n");
    assertThat(kept.getInputStream().read()).as("closed once idle").isEqualTo(-1);
  }

  @Test
  void oversizedRequestsGetA4xxAnswerNotAReset() throws Exception {
    int port = echo(Http11Server.Limits.DEFAULT).port();
    assertThat(exchange(port, get("/" + "a".repeat(10_000))))
        .startsWith("HTTP/1.1 414 URI Too Long\r\n");
    assertThat(exchange(port, "GET / HTTP/1.1\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n"))
        .startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
    assertThat(exchange(port, "GET / HTTP/1.1\r\n" + "X-Many: 1\r\n".repeat(101) + "\r\n"))
        .startsWith("HTTP/1.1 431 ");
    assertThat(exchange(port, "POST / HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n"))
        .startsWith("HTTP/1.1 413 ");
    assertThat(exchange(port, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"))
        .startsWith("HTTP/1.1 411 ");
    assertThat(exchange(port, "GET  / HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400 ");
    assertThat(exchange(port, "GET / HTTP/1.1\r\nNo colon here\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ");
    assertThat(exchange(port, "GET / HTTP/2.0\r\n\r\n")).startsWith("HTTP/1.1 505 ");
    assertThat(exchange(port, "\u0016\u0003\u0001\u0002\u0000\u0001\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ");
  }

  @Test
  void aSmallBodyIsReadAndDroppedAndPipelinedRequestsAreAnsweredInOrder() throws Exception {
    int port = echo(Http11Server.Limits.DEFAULT).port();
    Socket s = connect(port);
    OutputStream out = s.getOutputStream();
    out.write(
        ("POST /one HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /two HTTP/1.1\r\n\r\n"
                + "HEAD /three HTTP/1.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    InputStream in = s.getInputStream();
    assertThat(readAnswer(in)).endsWith("POST /one\n");
    assertThat(readAnswer(in)).endsWith("GET /two\n");
    s.shutdownOutput();
    String head = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    assertThat(head)
        .startsWith("HTTP/1.1 200 OK")
        .contains("Content-Length: 12")
        .endsWith("\r\n\r\n");
  }

  @Test
  void routesMatchExactlyAndOnlyGetAndHeadAreAllowed() throws Exception {
    int port = exporter(null).port();
    for (String path :
        List.of("/metricsX", "/-/healthyfoo", "/-/ready/", "/index.html", "/api/v1/historyX")) {
      assertThat(exchange(port, get(path))).as(path).startsWith("HTTP/1.1 404 Not Found\r\n");
    }
    for (String method : List.of("POST", "PUT", "DELETE", "TRACE", "PATCH", "BREW")) {
      for (String path : List.of("/", "/-/healthy", "/metrics")) {
        String answer =
            exchange(
                port,
                method
                    + " "
                    + path
                    + " HTTP/1.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(answer)
            .as(method + " " + path)
            .startsWith("HTTP/1.1 405 Method Not Allowed\r\n")
            .contains("\r\nAllow: GET, HEAD, OPTIONS\r\n");
      }
    }
    assertThat(exchange(port, "OPTIONS /metrics HTTP/1.1\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 204 ")
        .contains("Allow: GET, HEAD, OPTIONS");
    String script = exchange(port, get("/?x=<script>alert(1)</script>"));
    assertThat(script).startsWith("HTTP/1.1 200 OK").doesNotContain("<script>alert");
    String notFound = exchange(port, get("/%zz<script>"));
    assertThat(notFound).startsWith("HTTP/1.1 404 ").doesNotContainIgnoringCase("exception");
  }

  @Test
  void everyAnswerSaysNoSniffAndHtmlMayNotBeFramed() throws Exception {
    int port = exporter(null).port();
    for (String path : List.of("/", "/metrics", "/-/healthy", "/nothing")) {
      assertThat(exchange(port, get(path)))
          .as(path)
          .contains("\r\nX-Content-Type-Options: nosniff\r\n");
    }
    assertThat(exchange(port, get("/")))
        .contains("\r\nContent-Security-Policy: " + Dashboard.POLICY + "\r\n")
        .contains("frame-ancestors 'none'")
        .contains("\r\nX-Frame-Options: DENY\r\n");
  }

  @Test
  void wrongPasswordsBackOffPerAddressWhileTheAcceptedOneGoesThrough() {
    AtomicLong nanos = new AtomicLong();
    BasicAuth auth = BasicAuth.of("prometheus", "right").clock(nanos::get);
    InetAddress attacker = InetAddress.getLoopbackAddress();
    InetAddress other;
    try {
      other = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(auth.check(request(other, "prometheus", "right")))
        .isEqualTo(BasicAuth.Decision.ACCEPTED);

    assertThat(auth.check(request(attacker, "prometheus", "wrong1")))
        .isEqualTo(BasicAuth.Decision.REJECTED);
    assertThat(auth.check(request(attacker, "prometheus", "wrong2")))
        .as("not checked during the back-off")
        .isEqualTo(BasicAuth.Decision.THROTTLED);
    assertThat(auth.check(request(attacker, "prometheus", "right")))
        .as("the accepted pair is recognised before the back-off")
        .isEqualTo(BasicAuth.Decision.ACCEPTED);
    assertThat(auth.check(request(other, "prometheus", "right")))
        .isEqualTo(BasicAuth.Decision.ACCEPTED);

    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(150));
    assertThat(auth.check(request(attacker, "prometheus", "wrong3")))
        .isEqualTo(BasicAuth.Decision.REJECTED);
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(150));
    assertThat(auth.check(request(attacker, "prometheus", "wrong4")))
        .as("the second failure doubled the wait to 200 ms")
        .isEqualTo(BasicAuth.Decision.THROTTLED);
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(60));
    assertThat(auth.check(request(attacker, "prometheus", "wrong5")))
        .isEqualTo(BasicAuth.Decision.REJECTED);
  }

  @Test
  void aFloodOfWrongPasswordsAgainstABcryptHashDoesNotLockOutTheScrape() throws Exception {
    String hash =
        org.mindrot.jbcrypt.BCrypt.hashpw("right", org.mindrot.jbcrypt.BCrypt.gensalt(10));
    int port = exporter(BasicAuth.of("prometheus", hash)).port();
    String scrape =
        "GET /metrics HTTP/1.1\r\nConnection: close\r\nAuthorization: Basic "
            + java.util.Base64.getEncoder()
                .encodeToString("prometheus:right".getBytes(StandardCharsets.UTF_8))
            + "\r\n\r\n";
    assertThat(exchange(port, scrape)).startsWith("HTTP/1.1 200 OK");
    String wrong =
        "GET /metrics HTTP/1.1\r\nConnection: close\r\nAuthorization: Basic "
            + java.util.Base64.getEncoder()
                .encodeToString("prometheus:nope".getBytes(StandardCharsets.UTF_8))
            + "\r\n\r\n";
    List<Thread> flood = new ArrayList<>();
    Map<String, AtomicLong> answers = new java.util.concurrent.ConcurrentHashMap<>();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    for (int i = 0; i < 16; i++) {
      Thread t =
          new Thread(
              () -> {
                while (System.nanoTime() - until < 0) {
                  try {
                    String a = exchange(port, wrong);
                    answers
                        .computeIfAbsent(a.substring(9, 12), k -> new AtomicLong())
                        .incrementAndGet();
                  } catch (IOException e) {
                    answers.computeIfAbsent("io", k -> new AtomicLong()).incrementAndGet();
                  }
                }
              });
      t.start();
      flood.add(t);
    }
    int scrapes = 0;
    while (System.nanoTime() - until < 0) {
      assertThat(exchange(port, scrape)).startsWith("HTTP/1.1 200 OK");
      scrapes++;
    }
    for (Thread t : flood) {
      t.join();
    }
    assertThat(scrapes).isPositive();
    assertThat(answers).containsKeys("401", "429").doesNotContainKey("io");
    assertThat(answers.get("401").get())
        .as("bcrypt checks of the flood, one at a time and 100 ms apart at best")
        .isLessThan(answers.get("429").get());
  }

  @Test
  void everyConfiguredUserGetsInWithinASecondWhileSixteenAddressesSendWrongPasswords()
      throws Exception {
    String salt = org.mindrot.jbcrypt.BCrypt.gensalt(10);
    BasicAuth auth =
        BasicAuth.ofBcryptHashes(
            Map.of(
                "prometheus", org.mindrot.jbcrypt.BCrypt.hashpw("right", salt),
                "grafana", org.mindrot.jbcrypt.BCrypt.hashpw("also-right", salt)));
    AtomicLong stop = new AtomicLong(System.nanoTime() + TimeUnit.SECONDS.toNanos(6));
    List<Thread> flood = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      InetAddress attacker = InetAddress.getByAddress(new byte[] {10, 9, 0, (byte) (i + 1)});
      Thread t =
          new Thread(
              () -> {
                // As over HTTP: an attempt, then its answer's round trip, a few milliseconds.
                while (System.nanoTime() - stop.get() < 0) {
                  auth.check(request(attacker, "prometheus", "wrong"));
                  try {
                    Thread.sleep(5);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      t.start();
      flood.add(t);
    }
    try {
      // The flood is under way: each flooding address has failed once and backs off. (Right
      // after a restart each new address is checked once first, one bcrypt check each.)
      Thread.sleep(1500);
      for (String[] user : new String[][] {{"prometheus", "right"}, {"grafana", "also-right"}}) {
        InetAddress client = InetAddress.getByAddress(new byte[] {10, 8, 0, 1});
        long started = System.nanoTime();
        BasicAuth.Decision d;
        // Retried as a client does after a 429: after its round trip, here 20 ms.
        while ((d = auth.check(request(client, user[0], user[1]))) == BasicAuth.Decision.THROTTLED
            && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(3)) {
          Thread.sleep(20);
        }
        assertThat(d).as(user[0]).isEqualTo(BasicAuth.Decision.ACCEPTED);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .as(user[0])
            .isLessThan(Duration.ofSeconds(1));
      }
    } finally {
      stop.set(System.nanoTime());
      for (Thread t : flood) {
        t.join();
      }
    }
  }

  private static HttpRequest request(InetAddress client, String user, String password) {
    String token =
        java.util.Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return new HttpRequest(
        "GET", "/metrics", null, Map.of("authorization", List.of("Basic " + token)), client);
  }
}
