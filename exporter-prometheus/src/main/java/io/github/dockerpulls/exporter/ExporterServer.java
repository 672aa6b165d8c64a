package io.github.dockerpulls.exporter;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.hub.Target;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The exporter's HTTP server: {@code /metrics} and {@code /metrics/}, {@code /-/healthy} (the
 * process runs), {@code /-/ready} (a refresh has read at least one target) and the landing page at
 * {@code /}, and the pull count history at {@code /api/v1/history}. It serves what the collector
 * and the history hold and never calls Docker Hub.
 */
public final class ExporterServer implements AutoCloseable {
  /** The Flask exporter's port. */
  public static final int DEFAULT_PORT = 2113;

  private final HttpServer server;
  private final ExecutorService executor;
  private final String scheme;

  private ExporterServer(Builder b) throws IOException {
    SnapshotCollector collector = Objects.requireNonNull(b.collector, "collector");
    PrometheusRegistry registry = Objects.requireNonNull(b.registry, "registry");
    String version = b.version;
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            b.threads,
            r -> {
              Thread t = new Thread(r, "dockerpulls-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    InetSocketAddress address = new InetSocketAddress(b.host, b.port);
    if (b.tls != null) {
      HttpsServer https = HttpsServer.create(address, 64);
      https.setHttpsConfigurator(new HttpsConfigurator(b.tls));
      this.server = https;
    } else {
      this.server = HttpServer.create(address, 64);
    }
    this.scheme = b.tls != null ? "https" : "http";
    Authenticator auth = b.basicAuth;
    server.setExecutor(executor);
    guard(server.createContext("/metrics", new MetricsEndpoint(collector, registry)), auth);
    server.createContext("/-/healthy", ex -> plain(ex, 200, "OK\n"));
    server.createContext(
        "/-/ready",
        ex -> {
          if (collector.view().ready()) {
            plain(ex, 200, "OK\n");
          } else {
            plain(ex, 503, "not ready: the first refresh has not read any target yet\n");
          }
        });
    guard(
        server.createContext(
            "/api/v1/history", new HistoryEndpoint(b.history, b.historyTargets, b.clock)),
        auth);
    HttpContext landing =
        server.createContext(
            "/",
            ex -> {
              String path = ex.getRequestURI().getPath();
              if (!path.equals("/")) {
                plain(ex, 404, "not found: try /metrics\n");
                return;
              }
              byte[] page =
                  LandingPage.render(collector.view(), version).getBytes(StandardCharsets.UTF_8);
              send(ex, 200, "text/html; charset=utf-8", page);
            });
    guard(landing, auth);
    server.start();
  }

  private static void guard(HttpContext context, Authenticator auth) {
    if (auth != null) {
      context.setAuthenticator(auth);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code https} when serving TLS, else {@code http}. */
  public String scheme() {
    return scheme;
  }

  /** The port the server listens on (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void plain(HttpExchange ex, int status, String body) throws IOException {
    send(ex, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    try (ex) {
      ex.getResponseHeaders().set("Content-Type", type);
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      boolean head = ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(status, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  /** Stops accepting, lets running exchanges finish for up to a second. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Configures an {@link ExporterServer}. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = DEFAULT_PORT;
    private SnapshotCollector collector;
    private PrometheusRegistry registry;
    private String version = "unknown";
    private int threads = 8;
    private SSLContext tls;
    private BasicAuth basicAuth;
    private HistoryStore history;
    private List<Target> historyTargets = List.of();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Answer {@code /api/v1/history} from this store, for these targets when a request names none;
     * null (the default) answers 404 there.
     */
    public Builder history(HistoryStore history, List<Target> targets) {
      this.history = history;
      this.historyTargets = List.copyOf(targets);
      return this;
    }

    /** The clock that says what "now" is for the history API (default the system's). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Serve HTTPS with this context, such as {@link PemTls#serverContext}; null for HTTP. */
    public Builder tls(SSLContext tls) {
      this.tls = tls;
      return this;
    }

    /**
     * Require these credentials for {@code /metrics}, {@code /} and {@code /api/v1/history}; null
     * for none.
     */
    public Builder basicAuth(BasicAuth basicAuth) {
      this.basicAuth = basicAuth;
      return this;
    }

    /** The address to listen on (default all interfaces). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port, 0 for any free one (default {@value ExporterServer#DEFAULT_PORT}). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("the port must be from 1 to 65535, not " + port);
      }
      this.port = port;
      return this;
    }

    public Builder collector(SnapshotCollector collector) {
      this.collector = collector;
      return this;
    }

    /** The registry {@code /metrics} serves; it must hold the collector. */
    public Builder registry(PrometheusRegistry registry) {
      this.registry = registry;
      return this;
    }

    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /** Threads serving requests (default 8: a few Prometheus servers plus people). */
    public Builder threads(int threads) {
      this.threads = Math.max(1, threads);
      return this;
    }

    /** Binds and starts the server. */
    public ExporterServer start() throws IOException {
      return new ExporterServer(this);
    }
  }
}
