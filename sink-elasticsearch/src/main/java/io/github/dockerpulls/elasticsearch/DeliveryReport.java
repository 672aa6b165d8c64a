package io.github.dockerpulls.elasticsearch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one delivery did.
 *
 * @param snapshots observations written (from the spool, oldest first)
 * @param documents documents Elasticsearch accepted
 * @param existing documents that were there already (the same repository and observation time,
 *     written by an earlier try or by another exporter observing the same period), left as they
 *     were
 * @param indices the indices written to
 * @param rejected documents refused for good, one line each: the repository and the reason
 * @param warnings what a person should know, one line each: a pull count that went down since the
 *     previous observation (the Hub corrects counts now and then; its document carries a {@code
 *     pull_count_delta} of 0, never a negative one), a spool that cannot be written
 * @param pending observations still waiting in the spool; -1 when the spool cannot be read
 * @param spoolDir where they wait
 * @param failure why delivery stopped, when it did
 * @param duration how long it took
 */
public record DeliveryReport(
    int snapshots,
    long documents,
    long existing,
    List<String> indices,
    List<String> rejected,
    List<String> warnings,
    int pending,
    Path spoolDir,
    Optional<SinkException> failure,
    Duration duration) {

  public DeliveryReport {
    indices = List.copyOf(indices);
    rejected = List.copyOf(rejected);
    warnings = List.copyOf(warnings);
  }

  /** Everything waiting was written, without rejections. */
  public boolean complete() {
    return failure.isEmpty() && pending == 0 && rejected.isEmpty();
  }
}
