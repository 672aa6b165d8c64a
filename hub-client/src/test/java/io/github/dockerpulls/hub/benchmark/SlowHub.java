package io.github.dockerpulls.hub.benchmark;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.dockerpulls.hub.testing.FakeHub;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listing server for benchmarks: every answer is sent whole, {@code delayMillis} after the
 * request arrived, with TCP_NODELAY. (MockWebServer writes headers and body separately, and Nagle's
 * algorithm with delayed ACKs then adds about 40 ms to each exchange on loopback, which would
 * measure the test server, not the client.)
 */
public final class SlowHub implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<String> items = new ArrayList<>();
  private final AtomicInteger listRequests = new AtomicInteger();
  private final long delayMillis;
  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  public SlowHub(String namespace, int repositories, long delayMillis) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.delayMillis = delayMillis;
    for (int i = 1; i <= repositories; i++) {
      items.add(
          FakeHub.listItem(
              namespace,
              String.format(Locale.ROOT, "repo-%05d", i),
              1000L * i,
              i % 50,
              "2026-01-02T03:04:05.123456Z"));
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public int listRequests() {
    return listRequests.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      Thread.sleep(delayMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    URI uri = exchange.getRequestURI();
    String body;
    if (uri.getPath().equals("/v2/auth/token")) {
      exchange.getRequestBody().readAllBytes();
      body = "{\"access_token\":\"" + FakeHub.jwt(java.time.Instant.now().plusSeconds(600)) + "\"}";
    } else if (uri.getQuery() == null || !uri.getQuery().contains("page")) {
      // One repository: /v2/namespaces/NS/repositories/NAME or /v2/repositories/NS/NAME/
      String[] parts = uri.getPath().replaceAll("/+$", "").split("/");
      String name = parts[parts.length - 1];
      String namespace = parts[parts.length - (parts[2].equals("namespaces") ? 3 : 2)];
      int i = name.startsWith("repo-") ? Integer.parseInt(name.substring(5)) : -1;
      if (i < 1 || i > items.size()) {
        byte[] missing = "{\"message\":\"object not found\",\"errinfo\":{}}".getBytes(UTF8);
        exchange.sendResponseHeaders(404, missing.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(missing);
        }
        return;
      }
      body =
          FakeHub.repositoryJson(
              namespace, name, 1000L * i, i % 50, 3, "2026-01-02T03:04:05.123456Z");
    } else {
      listRequests.incrementAndGet();
      int page = 1;
      for (String pair : uri.getQuery().split("&")) {
        if (pair.startsWith("page=")) {
          page = Integer.parseInt(pair.substring(5));
        }
      }
      int from = Math.min(items.size(), (page - 1) * 100);
      int to = Math.min(items.size(), from + 100);
      String next =
          to < items.size() ? "\"" + url() + uri.getPath() + "?page=" + (page + 1) + "\"" : "null";
      body =
          "{\"count\":"
              + items.size()
              + ",\"next\":"
              + next
              + ",\"previous\":null,\"results\":["
              + String.join(",", items.subList(from, to))
              + "]}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
