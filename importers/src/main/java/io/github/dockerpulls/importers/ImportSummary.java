package io.github.dockerpulls.importers;

import java.time.Instant;

/**
 * What an import read and recorded.
 *
 * @param series the repositories that had counts
 * @param points the counts read
 * @param added the counts that were new to the history
 * @param skipped what the source gave that names no repository or holds no usable count (series for
 *     Prometheus, documents for Elasticsearch)
 * @param first the oldest count's time, or null when none was read
 * @param last the newest count's time, or null when none was read
 */
public record ImportSummary(
    int series, long points, long added, long skipped, Instant first, Instant last) {}
