package io.github.dockerpulls.exporter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /metrics} (and {@code /metrics/}).
 *
 * <p>Prometheus servers ask for OpenMetrics or protobuf, and requests with {@code name[]} filters
 * get exactly what client_java's own handler serves. A plain text request (curl, scripts, the Flask
 * exporter's acceptance check) gets the Prometheus text format with {@code docker_image_pulls}
 * written the way the Flask exporter wrote it: {@code
 * docker_image_pulls{organization="camunda",image="zeebe"} 9876543}, with the organization label
 * first and the count as an integer, so that scripts matching those lines keep working. Every other
 * family is written by client_java's text writer.
 */
final class MetricsEndpoint implements HttpHandler {
  static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusRegistry registry;
  private final MetricsHandler standard;
  private final PrometheusTextFormatWriter textWriter = PrometheusTextFormatWriter.create();

  MetricsEndpoint(PrometheusRegistry registry) {
    this.registry = registry;
    this.standard = new MetricsHandler(registry);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      String accept = String.valueOf(exchange.getRequestHeaders().getFirst("Accept"));
      boolean otherFormat = accept.contains("openmetrics") || accept.contains("protobuf");
      if (otherFormat || exchange.getRequestURI().getRawQuery() != null) {
        standard.handle(exchange);
        return;
      }
      byte[] body = text(registry.scrape());
      exchange.getResponseHeaders().set("Content-Type", TEXT_CONTENT_TYPE);
      String encoding = String.valueOf(exchange.getRequestHeaders().getFirst("Accept-Encoding"));
      if (encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
          gzip.write(body);
        }
        body = zipped.toByteArray();
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
      }
      if (method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The text format, with the legacy family in the Flask exporter's shape. */
  byte[] text(MetricSnapshots all) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    List<MetricSnapshot> rest = new ArrayList<>(all.size());
    for (MetricSnapshot family : all) {
      if (family instanceof GaugeSnapshot gauge
          && family.getMetadata().getPrometheusName().equals(SnapshotCollector.LEGACY_PULLS)) {
        writeLegacy(gauge, out);
      } else {
        rest.add(family);
      }
    }
    textWriter.write(out, new MetricSnapshots(rest));
    return out.toByteArray();
  }

  private static void writeLegacy(GaugeSnapshot gauge, ByteArrayOutputStream out) {
    StringBuilder b = new StringBuilder(64 + gauge.getDataPoints().size() * 80);
    String name = SnapshotCollector.LEGACY_PULLS;
    b.append("# HELP ").append(name).append(' ');
    escapeHelp(gauge.getMetadata().getHelp(), b);
    b.append('\n').append("# TYPE ").append(name).append(" gauge\n");
    for (GaugeSnapshot.GaugeDataPointSnapshot p : gauge.getDataPoints()) {
      b.append(name).append("{organization=\"");
      escapeLabel(p.getLabels().get("organization"), b);
      b.append("\",image=\"");
      escapeLabel(p.getLabels().get("image"), b);
      b.append("\"} ");
      double v = p.getValue();
      if (v == Math.rint(v) && Math.abs(v) < 0x1p53) {
        b.append((long) v);
      } else {
        b.append(v);
      }
      b.append('\n');
    }
    out.writeBytes(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void escapeHelp(String s, StringBuilder b) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
  }

  private static void escapeLabel(String s, StringBuilder b) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '"' -> b.append("\\\"");
        default -> b.append(c);
      }
    }
  }
}
