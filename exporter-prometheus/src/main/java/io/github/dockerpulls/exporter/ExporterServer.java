package io.github.dockerpulls.exporter;

import io.github.dockerpulls.exporter.http.Http11Server;
import io.github.dockerpulls.exporter.http.HttpRequest;
import io.github.dockerpulls.exporter.http.HttpResponse;
import io.github.dockerpulls.exporter.metrics.MetricsEndpoint;
import io.github.dockerpulls.exporter.metrics.SnapshotCollector;
import io.github.dockerpulls.exporter.metrics.TagCollector;
import io.github.dockerpulls.exporter.security.BasicAuth;
import io.github.dockerpulls.exporter.security.PemTls;
import io.github.dockerpulls.exporter.security.WebConfigFile;
import io.github.dockerpulls.exporter.web.Badges;
import io.github.dockerpulls.exporter.web.Dashboard;
import io.github.dockerpulls.exporter.web.EventsEndpoint;
import io.github.dockerpulls.exporter.web.HistoryEndpoint;
import io.github.dockerpulls.exporter.web.StatusJson;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.hub.Target;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The exporter's HTTP server: {@code /metrics} and {@code /metrics/}, {@code /-/healthy} (the
 * process runs), {@code /-/ready} (a refresh has read at least one target), the dashboard at {@code
 * /} and {@code /r/NS/NAME} with its {@code /assets/}, the JSON API at {@code /api/v1/status} and
 * {@code /api/v1/history}, and README badges at {@code /badge/NS/NAME.svg}. Routes match exactly
 * (anything else is 404), take {@code GET} and {@code HEAD} (anything else is 405 with {@code
 * Allow}), and the health routes stay open when basic auth protects the rest. It serves what the
 * collector and the history hold and never calls Docker Hub; {@link Http11Server} keeps slow or
 * abusive clients from holding it up.
 */
public final class ExporterServer implements AutoCloseable {
  /** The Flask exporter's port. */
  public static final int DEFAULT_PORT = 2113;

  private static final String ALLOW = "GET, HEAD, OPTIONS";

  /** What a path answers, and whether basic auth guards it. */
  private record Route(Http11Server.Handler handler, boolean guarded) {}

  private final Http11Server server;
  private final String scheme;
  private final Map<String, Route> routes = new HashMap<>();
  private final Map<String, Route> prefixes = new java.util.LinkedHashMap<>();
  private final java.util.function.Supplier<BasicAuth> auth;
  private final java.util.function.Supplier<Map<String, String>> headers;
  private final HistoryEndpoint history;

  private ExporterServer(Builder b) throws IOException {
    SnapshotCollector collector = Objects.requireNonNull(b.collector, "collector");
    PrometheusRegistry registry = Objects.requireNonNull(b.registry, "registry");
    String version = b.version;
    if (b.webConfig != null) {
      this.auth = b.webConfig::basicAuth;
      this.headers = b.webConfig::headers;
    } else {
      BasicAuth fixed = b.basicAuth;
      this.auth = () -> fixed;
      this.headers = Map::of;
    }
    MetricsEndpoint metrics = new MetricsEndpoint(collector, registry);
    routes.put("/metrics", new Route(metrics, true));
    routes.put("/metrics/", new Route(metrics, true));
    routes.put("/-/healthy", new Route(r -> HttpResponse.text(200, "OK\n"), false));
    routes.put(
        "/-/ready",
        new Route(
            r ->
                collector
                    .view()
                    .notReady(b.clock.instant(), b.interval)
                    .map(why -> HttpResponse.text(503, "not ready: " + why + "\n"))
                    .orElseGet(() -> HttpResponse.text(200, "OK\n")),
            false));
    history = new HistoryEndpoint(b.history, b.noHistory, b.historyTargets, b.clock);
    routes.put("/api/v1/history", new Route(history, true));
    routes.put(
        "/",
        new Route(
            r -> Dashboard.overview(collector.view(), collector.sinkState().orElse(null), version),
            true));
    routes.put(
        "/api/v1/status",
        new Route(
            r ->
                HttpResponse.of(
                    200,
                    "application/json",
                    StatusJson.render(
                            collector.view(),
                            collector.sinkState().orElse(null),
                            version,
                            b.history != null,
                            collector.view().notReady(b.clock.instant(), b.interval))
                        .getBytes(StandardCharsets.UTF_8)),
            true));
    routes.put(
        "/api/v1/events", new Route(new EventsEndpoint(b.history, b.noHistory, b.clock), true));
    TagCollector tags = b.tags;
    routes.put("/api/v1/tags", new Route(r -> tagsAnswer(r, tags), true));
    prefixes.put(Dashboard.ASSETS, new Route(Dashboard::asset, false));
    prefixes.put(
        Dashboard.REPOSITORY,
        new Route(r -> Dashboard.repository(r, collector.view(), version), true));
    prefixes.put(
        Badges.PREFIX, new Route(new Badges(collector, b.history, b.clock, b.interval), true));
    this.scheme = b.tls != null ? "https" : "http";
    this.server =
        new Http11Server(
            new InetSocketAddress(b.host, b.port),
            b.tls,
            this::route,
            b.threads,
            Http11Server.Limits.DEFAULT,
            Set.of("/-/healthy", "/-/ready"));
  }

  /**
   * {@code /api/v1/tags?repo=NS/NAME}: the repository's tags as {@code serve --tags} last read
   * them, in the shape of {@code dockerpulls tags -f json}; 404 without {@code --tags} or before
   * they were read.
   */
  private static HttpResponse tagsAnswer(HttpRequest request, TagCollector tags) {
    if (tags == null) {
      return json(404, "{\"error\":\"the exporter does not read tags: start it with --tags\"}");
    }
    List<String> repo =
        io.github.dockerpulls.exporter.web.HistoryEndpoint.query(request.rawQuery())
            .getOrDefault("repo", List.of());
    if (repo.size() != 1 || repo.get(0).indexOf('/') < 1) {
      return json(400, "{\"error\":\"name one repository: repo=NAMESPACE/NAME\"}");
    }
    return tags.tags(repo.get(0))
        .map(r -> json(200, io.github.dockerpulls.hub.TagsJson.render(List.of(r), false)))
        .orElseGet(
            () ->
                json(
                    404,
                    "{\"error\":"
                        + io.github.dockerpulls.text.Escape.json(
                            "no tags of " + repo.get(0) + " read (yet)")
                        + "}"));
  }

  private static HttpResponse json(int status, String body) {
    return HttpResponse.of(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse route(HttpRequest request) throws Exception {
    HttpResponse response = dispatch(request);
    // A web configuration file's http_server_config.headers go on every answer, as the exporter
    // toolkit puts them.
    headers.get().forEach(response::header);
    return response;
  }

  private HttpResponse dispatch(HttpRequest request) throws Exception {
    Route route = routes.get(request.path());
    if (route == null) {
      for (Map.Entry<String, Route> p : prefixes.entrySet()) {
        if (request.path().startsWith(p.getKey())
            && request.path().length() > p.getKey().length()) {
          route = p.getValue();
          break;
        }
      }
    }
    if (route == null) {
      return HttpResponse.text(404, "not found: try /metrics\n")
          .header("Cache-Control", "no-store");
    }
    String method = request.method();
    if (method.equals("OPTIONS")) {
      return HttpResponse.empty(204).header("Allow", ALLOW);
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return HttpResponse.text(405, "only GET and HEAD are allowed here\n").header("Allow", ALLOW);
    }
    BasicAuth auth = this.auth.get();
    if (route.guarded() && auth != null) {
      switch (auth.check(request)) {
        case ACCEPTED -> {
          // on to the route
        }
        case REJECTED -> {
          return HttpResponse.text(401, "authentication required\n")
              .header("WWW-Authenticate", auth.challenge());
        }
        case THROTTLED -> {
          return HttpResponse.text(429, "too many failed attempts; try again later\n")
              .header("Retry-After", "1")
              .header("WWW-Authenticate", auth.challenge());
        }
      }
    }
    HttpResponse response = route.handler().handle(request);
    response.headers.putIfAbsent("Cache-Control", "no-store");
    return response.compressedFor(request);
  }

  /** The headers every HTML answer carries: no framing by other sites. */
  static HttpResponse html(HttpResponse response) {
    return response
        .header("Content-Security-Policy", "frame-ancestors 'none'")
        .header("X-Frame-Options", "DENY")
        .header("Referrer-Policy", "no-referrer");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code https} when serving TLS, else {@code http}. */
  public String scheme() {
    return scheme;
  }

  /** The port the server listens on (useful with port 0). */
  /**
   * Tells the server that the history changed (a refresh recorded into it): the dashboard's chart
   * answers readers asked for lately are made again in the background.
   */
  public void historyChanged() {
    history.historyChanged();
  }

  public int port() {
    return server.port();
  }

  /**
   * Errors and unexpected exceptions the HTTP server survived (its loop, a connection, a handler
   * that then answered 500), each logged as one line.
   */
  public long errors() {
    return server.errors();
  }

  /** Stops accepting, lets running answers finish for up to a second. */
  @Override
  public void close() {
    server.close();
  }

  /** Configures an {@link ExporterServer}. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = DEFAULT_PORT;
    private SnapshotCollector collector;
    private PrometheusRegistry registry;
    private String version = "unknown";
    private int threads = 4;
    private SSLContext tls;
    private BasicAuth basicAuth;
    private WebConfigFile webConfig;
    private HistoryStore history;
    private TagCollector tags;
    private List<Target> historyTargets = List.of();
    private String noHistory = "this exporter keeps no history";
    private Clock clock = Clock.systemUTC();
    private java.time.Duration interval = java.time.Duration.ofMinutes(5);

    private Builder() {}

    /** The refresh interval: how long badges may be cached (default 5 minutes). */
    public Builder interval(java.time.Duration interval) {
      this.interval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** Answer {@code /api/v1/tags} from these tags ({@code serve --tags}); null answers 404. */
    public Builder tags(TagCollector tags) {
      this.tags = tags;
      return this;
    }

    /**
     * Answer {@code /api/v1/history} from this store, for these targets when a request names none;
     * null (the default) answers 404 there.
     */
    public Builder history(HistoryStore history, List<Target> targets) {
      this.history = history;
      this.historyTargets = List.copyOf(targets);
      return this;
    }

    /**
     * Why there is no history, when {@link #history} has none: {@code /api/v1/history} answers 404
     * with it, such as "the exporter runs with --no-history" or why the file could not be opened.
     */
    public Builder noHistoryBecause(String why) {
      this.noHistory = Objects.requireNonNull(why, "why");
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

    /**
     * Basic auth and headers from a web configuration file, re-read when it changes; replaces
     * {@link #basicAuth}. TLS comes from {@link #tls}, set up from the file's first reading.
     */
    public Builder webConfig(WebConfigFile webConfig) {
      this.webConfig = webConfig;
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
        throw new IllegalArgumentException(
            "the port must be from 0 (any free one) to 65535, not " + port);
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

    /**
     * Threads answering complete requests (default 4: a few Prometheus servers plus people; slow
     * clients hold none of them).
     */
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
