package io.github.dockerpulls.importers;

import java.time.Instant;
import java.util.List;

/**
 * What an import read and recorded.
 *
 * @param series the repositories that had counts
 * @param points the counts read
 * @param added the counts that were new to the history
 * @param skipped what the source gave that was not taken: series or documents that name no
 *     repository, values that are not counts, times out of range
 * @param skippedByKind one line per kind of what was skipped: how many, and the first, such as
 *     {@code 2 values that are not whole counts from 0 to 10^15 (such as +Inf for camunda/zeebe at
 *     2026-11-21T00:00:00Z)}
 * @param first the oldest count's time, or null when none was read
 * @param last the newest count's time, or null when none was read
 */
public record ImportSummary(
    int series,
    long points,
    long added,
    long skipped,
    List<String> skippedByKind,
    Instant first,
    Instant last) {
  public ImportSummary {
    skippedByKind = List.copyOf(skippedByKind);
  }
}
