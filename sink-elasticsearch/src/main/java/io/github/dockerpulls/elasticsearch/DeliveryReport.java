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
 * @param indices the indices written to
 * @param rejected documents refused for good, one line each: the repository and the reason
 * @param corrections pull counts that went down since the previous observation (the Hub corrects
 *     counts now and then), one line each; their documents carry a {@code pull_count_delta} of 0,
 *     never a negative one
 * @param pending observations still waiting in the spool
 * @param spoolDir where they wait
 * @param failure why delivery stopped, when it did
 * @param duration how long it took
 */
public record DeliveryReport(
    int snapshots,
    long documents,
    List<String> indices,
    List<String> rejected,
    List<String> corrections,
    int pending,
    Path spoolDir,
    Optional<SinkException> failure,
    Duration duration) {

  public DeliveryReport {
    indices = List.copyOf(indices);
    rejected = List.copyOf(rejected);
    corrections = List.copyOf(corrections);
  }

  /** Everything waiting was written, without rejections. */
  public boolean complete() {
    return failure.isEmpty() && pending == 0 && rejected.isEmpty();
  }
}
