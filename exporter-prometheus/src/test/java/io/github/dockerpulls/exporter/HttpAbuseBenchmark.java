package io.github.dockerpulls.exporter;

import io.github.dockerpulls.exporter.metrics.SnapshotCollector;
import io.github.dockerpulls.exporter.security.BasicAuth;
import io.github.dockerpulls.exporter.testing.Snapshots;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mindrot.jbcrypt.BCrypt;

/**
 * The exporter's server under abuse, on loopback: latency of {@code /metrics} and {@code
 * /-/healthy} (a new connection each, as a kubelet probe makes them) while 1,000 connections hold
 * unfinished requests, and of an authenticated scrape while 16 clients send wrong passwords against
 * a bcrypt hash (cost 10). Then, when Debian's {@code wrk} is installed, scrapes on 8 kept-alive
 * connections. Run with {@code exec:java} (see docs/benchmarks.md).
 */
public final class HttpAbuseBenchmark {
  private HttpAbuseBenchmark() {}

  public static void main(String[] args) throws Exception {
    String hash = BCrypt.hashpw("right", BCrypt.gensalt(10));
    try (ExporterServer open = start(null);
        ExporterServer guarded = start(BasicAuth.of("prometheus", hash))) {
      String plain = "GET %s HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n";
      report("idle: /metrics", latencies(open.port(), String.format(plain, "/metrics"), 300));
      List<Socket> held = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", open.port()));
        s.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        held.add(s);
      }
      report(
          "1,000 unfinished requests held: /metrics",
          latencies(open.port(), String.format(plain, "/metrics"), 300));
      report(
          "1,000 unfinished requests held: /-/healthy",
          latencies(open.port(), String.format(plain, "/-/healthy"), 300));
      for (Socket s : held) {
        s.close();
      }

      String right = authed("prometheus:right");
      latencies(guarded.port(), right, 1); // accepted once: the pair is recognised from then on
      report("bcrypt auth, no flood: /metrics", latencies(guarded.port(), right, 300));
      AtomicBoolean flooding = new AtomicBoolean(true);
      List<Thread> flood = new ArrayList<>();
      String wrong = authed("prometheus:wrong");
      for (int i = 0; i < 16; i++) {
        Thread t =
            new Thread(
                () -> {
                  while (flooding.get()) {
                    try {
                      latencies(guarded.port(), wrong, 1);
                    } catch (IOException e) {
                      // counted as nothing: the flood goes on
                    }
                  }
                });
        t.start();
        flood.add(t);
      }
      Thread.sleep(500);
      report(
          "16 clients flooding wrong passwords: /metrics", latencies(guarded.port(), right, 300));
      flooding.set(false);
      for (Thread t : flood) {
        t.join();
      }

      wrk(open.port());
    }
  }

  /** An exporter on a free loopback port serving the golden snapshot; {@code auth} may be null. */
  static ExporterServer start(BasicAuth auth) throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    SnapshotCollector collector = new SnapshotCollector(true, null);
    registry.register(collector);
    collector.onSnapshot(Snapshots.goldenSnapshot());
    return ExporterServer.builder()
        .host("127.0.0.1")
        .port(0)
        .collector(collector)
        .registry(registry)
        .basicAuth(auth)
        .start();
  }

  private static String authed(String pair) {
    return "GET /metrics HTTP/1.1\r\nHost: b\r\nConnection: close\r\nAuthorization: Basic "
        + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))
        + "\r\n\r\n";
  }

  /** Milliseconds of each of {@code n} requests, each on a new connection, read to the end. */
  private static double[] latencies(int port, String request, int n) throws IOException {
    double[] ms = new double[n];
    byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.setSoTimeout(30_000);
        s.getOutputStream().write(bytes);
        byte[] answer = s.getInputStream().readAllBytes();
        if (answer.length < 12) {
          throw new IOException("no answer");
        }
      }
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    return ms;
  }

  private static void report(String what, double[] ms) {
    Arrays.sort(ms);
    System.out.printf(
        "%-48s median %.2f ms, p99 %.2f ms, max %.2f ms (%d requests)%n",
        what,
        ms[ms.length / 2],
        ms[(int) Math.ceil(ms.length * 0.99) - 1],
        ms[ms.length - 1],
        ms.length);
  }

  private static void wrk(int port) throws Exception {
    if (!new java.io.File("/usr/bin/wrk").canExecute()) {
      System.out.println("wrk: not installed (apt-get install wrk), keep-alive figures skipped");
      return;
    }
    Process p =
        new ProcessBuilder(
                "wrk", "-t2", "-c8", "-d10s", "--latency", "http://127.0.0.1:" + port + "/metrics")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    System.out.println("wrk -t2 -c8 -d10s --latency /metrics (kept-alive connections):");
    System.out.print(out);
  }
}
