/**
 * The metric families built once per snapshot ({@link
 * io.github.dockerpulls.exporter.metrics.SnapshotCollector}), the Hub request counts, the view of
 * the latest refresh that the pages read, and the {@code /metrics} endpoint with its formats.
 */
package io.github.dockerpulls.exporter.metrics;
