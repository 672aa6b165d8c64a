package io.github.dockerpulls.exporter.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

/**
 * {@code dockerpulls_internal_errors_total{component}}: failures that the exporter survived and
 * went on after (a refresh that died, a listener that threw, an HTTP handler or connection that
 * failed), read from their counters at scrape time, so that they show even when refreshing has
 * stopped. Each was logged once as one line; this says how often.
 */
public final class InternalErrors implements MultiCollector {
  /** The family's name, without the {@code _total} the exposition adds. */
  public static final String NAME = "dockerpulls_internal_errors";

  private final Map<String, LongSupplier> sources = new ConcurrentSkipListMap<>();

  /** Publishes {@code count} as the {@code component} series; zero until it counts. */
  public InternalErrors source(String component, LongSupplier count) {
    sources.put(Objects.requireNonNull(component, "component"), Objects.requireNonNull(count));
    return this;
  }

  @Override
  public MetricSnapshots collect() {
    CounterSnapshot.Builder family =
        CounterSnapshot.builder()
            .name(NAME)
            .help(
                "Failures the exporter survived and went on after, by where they happened"
                    + " (refresh, listener, http); each was logged as one line.");
    sources.forEach(
        (component, count) ->
            family.dataPoint(
                CounterDataPointSnapshot.builder()
                    .labels(Labels.of("component", component))
                    .value(count.getAsLong())
                    .build()));
    return new MetricSnapshots(family.build());
  }
}
