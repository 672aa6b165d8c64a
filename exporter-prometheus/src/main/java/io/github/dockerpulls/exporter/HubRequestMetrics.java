package io.github.dockerpulls.exporter;

import io.github.dockerpulls.hub.HubListener;
import io.github.dockerpulls.hub.RequestEvent;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exporter's own view of its traffic to Docker Hub: {@code dockerhub_api_requests_total{code}},
 * where {@code code} is the HTTP status or {@code none} when no answer came (a timeout, a refused
 * connection).
 */
public final class HubRequestMetrics implements HubListener {
  private final Counter requests;
  private final AtomicLong total = new AtomicLong();

  public HubRequestMetrics(PrometheusRegistry registry) {
    this.requests =
        Counter.builder()
            .name("dockerhub_api_requests")
            .help(
                "HTTP requests this exporter sent to Docker Hub and the registry, by status code"
                    + " (none: no answer).")
            .labelNames("code")
            .register(registry);
  }

  @Override
  public void onRequest(RequestEvent event) {
    total.incrementAndGet();
    requests.labelValues(event.status() == 0 ? "none" : Integer.toString(event.status())).inc();
  }

  /** Requests sent since start, for the refresh log line. */
  public long total() {
    return total.get();
  }
}
