package io.github.dockerpulls.exporter.metrics;

import io.github.dockerpulls.exporter.http.Http11Server;
import io.github.dockerpulls.exporter.http.HttpRequest;
import io.github.dockerpulls.exporter.http.HttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /metrics} (and {@code /metrics/}).
 *
 * <p>Everything served changes only when a refresh ends, so each body (text or OpenMetrics, plain
 * or gzip) is rendered once per refresh and then served as stored bytes: a scrape of 5,000
 * repositories costs a copy, not 20,000 formatted lines.
 *
 * <p>Prometheus servers ask for OpenMetrics. A plain text request (curl, scripts, the Flask
 * exporter's acceptance check) gets the Prometheus text format with {@code docker_image_pulls}
 * written the way the Flask exporter wrote it: {@code
 * docker_image_pulls{organization="camunda",image="zeebe"} 9876543}, organization first and the
 * count as an integer, so that scripts matching those lines keep working. Requests for protobuf or
 * with {@code name[]} filters are answered by client_java's own handler.
 */
public final class MetricsEndpoint implements Http11Server.Handler {
  static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS_CONTENT_TYPE =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  /** The four bodies this endpoint renders itself. */
  enum Variant {
    TEXT(false, false),
    TEXT_GZIP(false, true),
    OPENMETRICS(true, false),
    OPENMETRICS_GZIP(true, true);

    final boolean openMetrics;
    final boolean gzip;

    Variant(boolean openMetrics, boolean gzip) {
      this.openMetrics = openMetrics;
      this.gzip = gzip;
    }

    static Variant of(boolean openMetrics, boolean gzip) {
      return openMetrics ? (gzip ? OPENMETRICS_GZIP : OPENMETRICS) : (gzip ? TEXT_GZIP : TEXT);
    }
  }

  /** The bodies rendered from one refresh's families. */
  private record Rendered(MetricSnapshots source, Map<Variant, byte[]> bodies) {}

  private final SnapshotCollector collector;
  private final PrometheusRegistry registry;
  private final PrometheusScrapeHandler standard;
  private final PrometheusTextFormatWriter textWriter = PrometheusTextFormatWriter.create();
  private final OpenMetricsTextFormatWriter openMetricsWriter =
      OpenMetricsTextFormatWriter.create();
  private volatile Rendered rendered = new Rendered(null, Map.of());
  private final Set<Variant> asked = ConcurrentHashMap.newKeySet();

  /**
   * @param registry the registry holding {@code collector}, for protobuf and filtered requests
   */
  public MetricsEndpoint(SnapshotCollector collector, PrometheusRegistry registry) {
    this.collector = collector;
    this.registry = registry;
    this.standard = new PrometheusScrapeHandler(registry);
    collector.afterRefresh(this::prerender);
  }

  /** Renders the variants that clients have asked for since start. */
  private void prerender() {
    for (Variant v : asked) {
      body(v);
    }
  }

  @Override
  public HttpResponse handle(HttpRequest request) throws IOException {
    String accept = String.valueOf(request.header("Accept"));
    if (accept.contains("protobuf") || request.rawQuery() != null) {
      return standard(request);
    }
    boolean openMetrics = accept.contains("application/openmetrics-text");
    String encoding = String.valueOf(request.header("Accept-Encoding"));
    boolean gzip = encoding.toLowerCase(Locale.ROOT).contains("gzip");
    Variant variant = Variant.of(openMetrics, gzip);
    asked.add(variant);
    HttpResponse response =
        HttpResponse.of(
            200,
            openMetrics ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE,
            body(variant),
            others(variant));
    if (gzip) {
      response.header("Content-Encoding", "gzip");
    }
    return response;
  }

  /** Protobuf and {@code name[]}-filtered scrapes, answered by client_java's own handler. */
  private HttpResponse standard(HttpRequest request) throws IOException {
    ScrapeExchange exchange = new ScrapeExchange(request);
    standard.handleRequest(exchange);
    return exchange.response();
  }

  /** client_java's view of one request, collecting its answer. */
  private static final class ScrapeExchange
      implements PrometheusHttpExchange, PrometheusHttpRequest, PrometheusHttpResponse {
    private final HttpRequest request;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int status = 500;

    ScrapeExchange(HttpRequest request) {
      this.request = request;
    }

    HttpResponse response() {
      HttpResponse r = HttpResponse.of(status, "text/plain; charset=utf-8", body.toByteArray());
      headers.forEach(r::header);
      return r;
    }

    @Override
    public PrometheusHttpRequest getRequest() {
      return this;
    }

    @Override
    public PrometheusHttpResponse getResponse() {
      return this;
    }

    @Override
    public void handleException(IOException e) throws IOException {
      throw e;
    }

    @Override
    public void handleException(RuntimeException e) {
      throw e;
    }

    @Override
    public void close() {}

    @Override
    public String getQueryString() {
      return request.rawQuery();
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return Collections.enumeration(request.headers(name));
    }

    @Override
    public String getMethod() {
      return request.method();
    }

    @Override
    public String getRequestPath() {
      return request.path();
    }

    @Override
    public void setHeader(String name, String value) {
      headers.put(name, value);
    }

    @Override
    public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
      this.status = statusCode;
      return body;
    }
  }

  /**
   * The registry's other families (the process metrics, build info), sent after the refresh's
   * families and rendered at most once a second (reading /proc costs more than a scrape). Gzipped
   * bodies are two gzip members back to back, which every gzip reader takes as one stream.
   */
  private final Map<Variant, long[]> othersAt = new ConcurrentHashMap<>();

  private final Map<Variant, byte[]> othersBody = new ConcurrentHashMap<>();

  private byte[] others(Variant variant) {
    long now = System.nanoTime();
    long[] at = othersAt.get(variant);
    byte[] body = othersBody.get(variant);
    if (at != null && body != null && now - at[0] < 1_000_000_000L) {
      return body;
    }
    body = renderOthers(variant);
    othersBody.put(variant, body);
    othersAt.put(variant, new long[] {now});
    return body;
  }

  private byte[] renderOthers(Variant variant) {
    java.util.Set<String> own = new java.util.HashSet<>();
    MetricSnapshots current = collector.collect();
    for (io.prometheus.metrics.model.snapshots.MetricSnapshot m : current) {
      own.add(m.getMetadata().getPrometheusName());
    }
    MetricSnapshots others = registry.scrape(name -> !own.contains(name));
    byte[] extra;
    if (others.size() > 0) {
      extra = render(others, variant, true);
    } else if (variant.openMetrics) {
      extra = variant.gzip ? gzip(EOF) : EOF;
    } else {
      extra = new byte[0];
    }
    return extra;
  }

  /** The body for {@code variant}, rendered at most once per refresh. */
  byte[] body(Variant variant) {
    MetricSnapshots current = collector.collect();
    Rendered r = rendered;
    if (r.source() != current) {
      r = new Rendered(current, new ConcurrentHashMap<>());
      rendered = r;
    }
    return r.bodies().computeIfAbsent(variant, v -> render(current, v));
  }

  private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

  /** The refresh's part: OpenMetrics without its closing {@code # EOF}, which comes last. */
  private byte[] render(MetricSnapshots families, Variant variant) {
    return render(families, variant, false);
  }

  private byte[] render(MetricSnapshots families, Variant variant, boolean closing) {
    try {
      byte[] plain = variant.openMetrics ? renderOpenMetrics(families) : text(families);
      if (variant.openMetrics && !closing && endsWith(plain, EOF)) {
        plain = java.util.Arrays.copyOf(plain, plain.length - EOF.length);
      }
      if (!variant.gzip) {
        return plain;
      }
      ByteArrayOutputStream zipped = new ByteArrayOutputStream(plain.length / 6 + 64);
      try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
        gzip.write(plain);
      }
      return zipped.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean endsWith(byte[] bytes, byte[] end) {
    if (bytes.length < end.length) {
      return false;
    }
    for (int i = 0; i < end.length; i++) {
      if (bytes[bytes.length - end.length + i] != end[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream(plain.length + 32);
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return zipped.toByteArray();
  }

  private byte[] renderOpenMetrics(MetricSnapshots families) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 * 1024);
    openMetricsWriter.write(out, families);
    return out.toByteArray();
  }

  /** The text format, with the legacy family in the Flask exporter's shape. */
  byte[] text(MetricSnapshots all) throws IOException {
    return PrometheusText.render(all, textWriter);
  }
}
