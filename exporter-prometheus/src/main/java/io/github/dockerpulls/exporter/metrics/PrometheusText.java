package io.github.dockerpulls.exporter.metrics;

import io.github.dockerpulls.hub.Snapshot;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Prometheus text format exactly as {@code /metrics} serves it to a plain request:
 * client_java's writer for every family except {@code docker_image_pulls}, which is written the way
 * the Flask exporter wrote it (organization first, the count as an integer).
 *
 * <p>{@code dockerpulls export --format prometheus} uses it too, so that a file for node_exporter's
 * textfile collector holds the same lines a scrape of the exporter would.
 */
public final class PrometheusText {
  private PrometheusText() {}

  /**
   * What the exporter would serve after one refresh that produced {@code snapshot}.
   *
   * @param legacyMetric whether to include {@code docker_image_pulls}
   * @param requests the requests that refresh sent, or null to leave the family out
   */
  public static byte[] of(Snapshot snapshot, boolean legacyMetric, HubRequestMetrics requests)
      throws IOException {
    SnapshotCollector collector = new SnapshotCollector(legacyMetric, requests);
    collector.onSnapshot(snapshot);
    return render(collector.collect(), PrometheusTextFormatWriter.create());
  }

  static byte[] render(MetricSnapshots all, PrometheusTextFormatWriter writer) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 * 1024);
    List<MetricSnapshot> rest = new ArrayList<>(all.size());
    for (MetricSnapshot family : all) {
      if (family instanceof GaugeSnapshot gauge
          && family.getMetadata().getPrometheusName().equals(SnapshotCollector.LEGACY_PULLS)) {
        writeLegacy(gauge, out);
      } else {
        rest.add(family);
      }
    }
    writer.write(out, new MetricSnapshots(rest));
    return out.toByteArray();
  }

  private static void writeLegacy(GaugeSnapshot gauge, ByteArrayOutputStream out) {
    StringBuilder b = new StringBuilder(64 + gauge.getDataPoints().size() * 80);
    String name = SnapshotCollector.LEGACY_PULLS;
    b.append("# HELP ").append(name).append(' ');
    escape(gauge.getMetadata().getHelp(), false, b);
    b.append('\n').append("# TYPE ").append(name).append(" gauge\n");
    for (GaugeSnapshot.GaugeDataPointSnapshot p : gauge.getDataPoints()) {
      b.append(name).append("{organization=\"");
      escape(p.getLabels().get("organization"), true, b);
      b.append("\",image=\"");
      escape(p.getLabels().get("image"), true, b);
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

  /** Help text escapes backslash and newline; label values also the double quote. */
  private static void escape(String s, boolean quote, StringBuilder b) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '"' -> b.append(quote ? "\\\"" : "\"");
        default -> b.append(c);
      }
    }
  }
}
