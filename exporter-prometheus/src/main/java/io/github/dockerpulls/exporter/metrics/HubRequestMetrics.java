package io.github.dockerpulls.exporter.metrics;

import io.github.dockerpulls.hub.HubListener;
import io.github.dockerpulls.hub.RequestEvent;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the exporter's requests to Docker Hub by status code ({@code none} when no answer came: a
 * timeout, a refused connection). The {@link SnapshotCollector} publishes the counts as {@code
 * dockerhub_api_requests_total{code}} with every refresh: requests only happen during refreshes, so
 * the figures are exact at each refresh's end and stay still between refreshes.
 */
public final class HubRequestMetrics implements HubListener {
  private final Map<String, LongAdder> byCode = new ConcurrentHashMap<>();
  private final LongAdder total = new LongAdder();
  private final LongAdder rejected = new LongAdder();

  @Override
  public void onRejected(String repository, String reason) {
    rejected.increment();
  }

  /** Listing entries left out since start because their figures were not counts. */
  public long rejected() {
    return rejected.sum();
  }

  @Override
  public void onRequest(RequestEvent event) {
    total.increment();
    String code = event.status() == 0 ? "none" : Integer.toString(event.status());
    byCode.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  /** Requests sent since start. */
  public long total() {
    return total.sum();
  }

  /** Requests sent since start, by status code. */
  public Map<String, Long> byCode() {
    Map<String, Long> counts = new TreeMap<>();
    byCode.forEach((code, n) -> counts.put(code, n.sum()));
    return counts;
  }
}
