package io.github.dockerpulls.exporter.metrics;

import io.github.dockerpulls.hub.Tag;
import io.github.dockerpulls.hub.TagsJson;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tags of {@code serve --tags}: each tag's last push and last pull as Prometheus gauges, and
 * the tags of one repository for the dashboard's repository page. Like {@link SnapshotCollector},
 * each refresh replaces an immutable view that a scrape only reads.
 *
 * <p>A repository whose tags could not be read keeps the tags read before; one no longer served is
 * dropped at the next refresh.
 */
public final class TagCollector implements MultiCollector {
  static final String PUSHED = "dockerhub_tag_last_pushed_timestamp_seconds";
  static final String PULLED = "dockerhub_tag_last_pulled_timestamp_seconds";

  private volatile Map<String, TagsJson.Repository> tags = Map.of();
  private volatile Optional<Instant> refreshedAt = Optional.empty();
  private final AtomicLong failures = new AtomicLong();
  private volatile MetricSnapshots metrics = build(Map.of(), Optional.empty(), 0);

  /**
   * The result of one refresh of the tags.
   *
   * @param read the repositories whose tags were read, by full name
   * @param failed the full names of the repositories whose tags could not be read: their earlier
   *     tags are kept
   * @param served every repository served now: the tags of any other are dropped
   */
  public synchronized void refreshed(
      Map<String, TagsJson.Repository> read, List<String> failed, List<String> served, Instant at) {
    Map<String, TagsJson.Repository> next = new TreeMap<>();
    Map<String, TagsJson.Repository> before = tags;
    java.util.Set<String> failedNames = new java.util.HashSet<>(failed);
    for (String name : served) {
      TagsJson.Repository r = read.get(name);
      if (r == null && failedNames.contains(name)) {
        r = before.get(name);
      }
      if (r != null) {
        next.put(name, r);
      }
    }
    failures.addAndGet(failed.size());
    tags = Map.copyOf(next);
    refreshedAt = Optional.of(at);
    metrics = build(next, refreshedAt, failures.get());
  }

  /** One repository's tags as {@link TagsJson} renders them, or empty when none were read. */
  public Optional<TagsJson.Repository> tags(String fullName) {
    return Optional.ofNullable(tags.get(fullName));
  }

  /** When the tags were last refreshed. */
  public Optional<Instant> refreshedAt() {
    return refreshedAt;
  }

  @Override
  public MetricSnapshots collect() {
    return metrics;
  }

  @Override
  public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
    return SnapshotCollector.descriptors(metrics);
  }

  private static MetricSnapshots build(
      Map<String, TagsJson.Repository> tags, Optional<Instant> at, long failures) {
    GaugeSnapshot.Builder pushed =
        GaugeSnapshot.builder()
            .name(PUSHED)
            .help(
                "When the tag was last pushed, in seconds since the epoch (serve --tags; the"
                    + " newest tags of each repository).");
    GaugeSnapshot.Builder pulled =
        GaugeSnapshot.builder()
            .name(PULLED)
            .help(
                "When anything last pulled the tag, crawlers and scanners included, in seconds"
                    + " since the epoch: 'not pulled since' is safe to conclude, 'pulled"
                    + " recently' is no proof of use.");
    for (TagsJson.Repository r : tags.values()) {
      for (Tag t : r.tags()) {
        Labels labels =
            Labels.of("organization", r.namespace(), "repository", r.name(), "tag", t.name());
        t.lastPushed()
            .ifPresent(
                p ->
                    pushed.dataPoint(
                        GaugeDataPointSnapshot.builder()
                            .labels(labels)
                            .value(p.getEpochSecond())
                            .build()));
        t.lastPulled()
            .ifPresent(
                p ->
                    pulled.dataPoint(
                        GaugeDataPointSnapshot.builder()
                            .labels(labels)
                            .value(p.getEpochSecond())
                            .build()));
      }
    }
    GaugeSnapshot.Builder last =
        GaugeSnapshot.builder()
            .name("dockerhub_tags_last_refresh_timestamp_seconds")
            .help("When serve --tags last read the tags, in seconds since the epoch.");
    at.ifPresent(
        t -> last.dataPoint(GaugeDataPointSnapshot.builder().value(t.getEpochSecond()).build()));
    CounterSnapshot.Builder failed =
        CounterSnapshot.builder()
            .name("dockerhub_tags_read_failures")
            .help(
                "Repositories whose tags could not be read, summed over the refreshes: their"
                    + " earlier tags are still served.");
    failed.dataPoint(CounterDataPointSnapshot.builder().value(failures).build());
    return new MetricSnapshots(pushed.build(), pulled.build(), last.build(), failed.build());
  }
}
