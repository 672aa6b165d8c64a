package io.github.dockerpulls.exporter.metrics;

import java.time.Instant;
import java.util.Optional;

/**
 * The Elasticsearch sink as the exporter shows it: what waits in its spool, what was dropped, and
 * the latest delivery.
 *
 * @param spooledSnapshots snapshots waiting in the spool
 * @param spooledBytes the bytes they take
 * @param oldestSpooled the observation time of the oldest one, when any waits
 * @param droppedTotal snapshots dropped since start: to stay within the spool's bounds, or lost
 *     because the spool could not be written and Elasticsearch could not be reached
 * @param lastDelivery when Elasticsearch last accepted a snapshot
 */
public record SinkState(
    int spooledSnapshots,
    long spooledBytes,
    Optional<Instant> oldestSpooled,
    long droppedTotal,
    Optional<Instant> lastDelivery) {}
