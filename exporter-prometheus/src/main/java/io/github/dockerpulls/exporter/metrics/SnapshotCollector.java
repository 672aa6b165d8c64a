package io.github.dockerpulls.exporter.metrics;

import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.PullLimit;
import io.github.dockerpulls.hub.RateLimit;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.SnapshotListener;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.TargetResult;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns snapshots into Prometheus metrics. Each refresh replaces an immutable {@link ExporterView}
 * and the metric families built from it, so a scrape only reads a reference: it never calls Docker
 * Hub and never waits for a refresh.
 *
 * <p>A target that fails keeps its last good repositories and reports {@code dockerhub_target_up
 * 0}; a repository that left its organization disappears after that organization's next successful
 * refresh.
 */
public final class SnapshotCollector implements MultiCollector, SnapshotListener {
  private static final System.Logger LOG = System.getLogger(SnapshotCollector.class.getName());

  /** The Flask exporter's gauge, kept for drop-in compatibility. */
  public static final String LEGACY_PULLS = "docker_image_pulls";

  /** The pulls counter's name, without the {@code _total} that the exposition adds. */
  public static final String PULLS_TOTAL_NAME = "dockerhub_repository_pulls";

  private static final String FROM_REFRESH = " As of the last refresh, not read at scrape time.";

  private final boolean legacyMetric;
  private final HubRequestMetrics requests;
  private volatile ExporterView view = ExporterView.EMPTY;
  private volatile MetricSnapshots metrics;
  private final List<Runnable> refreshHooks = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Each repository's latest Hub figure, to notice when the Hub corrects a count downwards. */
  private final Map<String, Long> lastHubCount = new HashMap<>();

  /** What the pulls counter adds to the Hub's figure: every downward correction seen, summed. */
  private Map<String, Long> counterOffsets = Map.of();

  /** The Elasticsearch sink's state, when there is a sink. */
  private volatile SinkState sink;

  private volatile Clock clock = Clock.systemUTC();

  /**
   * @param legacyMetric whether to serve {@code docker_image_pulls{image,organization}}
   * @param requests the request counts to publish, or null for none
   */
  public SnapshotCollector(boolean legacyMetric, HubRequestMetrics requests) {
    this.legacyMetric = legacyMetric;
    this.requests = requests;
    this.metrics = build(view, counterOffsets);
  }

  /**
   * The clock that dates each refresh's end, which readiness is judged by (default the system's).
   */
  public SnapshotCollector clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  public ExporterView view() {
    return view;
  }

  @Override
  public synchronized void onSnapshot(Snapshot snapshot) {
    ExporterView previous = view;
    Map<Target, ExporterView.TargetState> before = new HashMap<>();
    previous.targets().forEach(t -> before.put(t.target(), t));

    List<ExporterView.TargetState> targets = new ArrayList<>();
    List<TargetResult> lastGood = new ArrayList<>();
    boolean anyOk = false;
    for (TargetResult result : snapshot.targets()) {
      ExporterView.TargetState old = before.get(result.target());
      ExporterView.TargetState now;
      if (result.ok()) {
        anyOk = true;
        now =
            new ExporterView.TargetState(
                result.target(),
                true,
                Optional.of(snapshot.observedAt()),
                result.repositories(),
                Optional.empty());
      } else {
        now =
            new ExporterView.TargetState(
                result.target(),
                false,
                old == null ? Optional.empty() : old.lastSuccess(),
                old == null ? List.of() : old.repositories(),
                result.error().map(Throwable::getMessage),
                result.error().flatMap(HubException::retryTime));
      }
      targets.add(now);
      lastGood.add(TargetResult.success(now.target(), now.repositories()));
    }
    // Snapshot.of merges the targets' repositories: each once, direct figures preferred.
    List<RepositoryStats> repositories =
        Snapshot.of(
                snapshot.observedAt(),
                snapshot.duration(),
                lastGood,
                Optional.empty(),
                Optional.empty())
            .repositories();
    Optional<Instant> firstSuccess = previous.firstSuccess();
    if (firstSuccess.isEmpty() && anyOk) {
      firstSuccess = Optional.of(snapshot.observedAt());
    }
    Optional<RateLimit> rateLimit = snapshot.rateLimit().or(previous::rateLimit);
    Optional<PullLimit> pullLimit = snapshot.pullLimit().or(previous::pullLimit);
    Instant now = clock.instant();
    ExporterView next =
        new ExporterView(
            Optional.of(snapshot.observedAt()),
            firstSuccess,
            Optional.of(now),
            anyOk ? Optional.of(now) : previous.lastSuccessAt(),
            targets,
            repositories,
            snapshot.duration(),
            rateLimit,
            pullLimit);
    Map<String, Long> offsets = followCorrections(repositories, snapshot.observedAt());
    MetricSnapshots built = build(next, offsets);
    counterOffsets = offsets;
    view = next;
    metrics = built;
    for (Runnable hook : refreshHooks) {
      hook.run();
    }
  }

  /** The Elasticsearch sink's latest state; empty without a sink. */
  public Optional<SinkState> sinkState() {
    return Optional.ofNullable(sink);
  }

  /** Takes the sink's new state into the metrics (and the page). */
  public synchronized void sinkState(SinkState state) {
    this.sink = state;
    this.metrics = build(view, counterOffsets);
  }

  /** Runs {@code hook} on the refreshing thread after each refresh's metrics are in place. */
  public void afterRefresh(Runnable hook) {
    refreshHooks.add(hook);
  }

  /**
   * The families as of the latest refresh. The same instance is returned until the next refresh, so
   * callers may cache what they render from it.
   */
  @Override
  public MetricSnapshots collect() {
    return metrics;
  }

  /** The families of the latest refresh, which the registry checks for duplicate names. */
  @Override
  public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
    return descriptors(metrics);
  }

  /** The families' descriptors, for a registry's check of duplicate names: counters and gauges. */
  static List<MetricFamilyDescriptor> descriptors(MetricSnapshots families) {
    List<MetricFamilyDescriptor> descriptors = new ArrayList<>();
    for (MetricSnapshot s : families) {
      MetricType type = s instanceof CounterSnapshot ? MetricType.COUNTER : MetricType.GAUGE;
      descriptors.add(MetricFamilyDescriptor.of(type, s.getMetadata()));
    }
    return descriptors;
  }

  /**
   * Keeps {@code dockerhub_repository_pulls_total} monotonic. When the Hub's figure goes down (it
   * corrects counts now and then), Prometheus would read the counter's drop as a reset and {@code
   * increase()} would show the whole total as new pulls. So the counter goes on from where it was:
   * it adds every drop seen since the exporter started, and after that counts the pulls the Hub
   * adds. The gauge {@code docker_image_pulls} keeps showing the Hub's own figure. Each drop is
   * logged once.
   */
  private Map<String, Long> followCorrections(List<RepositoryStats> repositories, Instant at) {
    Map<String, Long> offsets = new HashMap<>();
    Map<String, Long> seen = new HashMap<>();
    for (RepositoryStats r : repositories) {
      String name = r.fullName();
      long offset = counterOffsets.getOrDefault(name, 0L);
      Long before = lastHubCount.get(name);
      if (before != null && r.pullCount() < before) {
        long drop = before - r.pullCount();
        offset += drop;
        LOG.log(
            System.Logger.Level.WARNING,
            name
                + ": Docker Hub's pull count went down from "
                + before
                + " to "
                + r.pullCount()
                + " (observed "
                + at
                + "); dockerhub_repository_pulls_total goes on from "
                + (before + offset - drop)
                + ", docker_image_pulls shows the Hub's figure");
      }
      seen.put(name, r.pullCount());
      if (offset != 0) {
        offsets.put(name, offset);
      }
    }
    // Repositories no longer served are forgotten, so the maps stay as large as the view.
    lastHubCount.clear();
    lastHubCount.putAll(seen);
    return Map.copyOf(offsets);
  }

  /** The families of a refresh: each group of them built by a method of its own. */
  private MetricSnapshots build(ExporterView v, Map<String, Long> offsets) {
    List<MetricSnapshot> families = new ArrayList<>();
    List<RepositoryStats> repos = v.repositories();
    if (legacyMetric) {
      families.add(legacyPulls(repos));
    }
    repositoryFamilies(repos, offsets, families);
    targetFamilies(v, families);
    sinkFamilies(sink, families);
    if (requests != null) {
      requestFamilies(families);
    }
    refreshFamilies(v, families);
    return new MetricSnapshots(families);
  }

  /** {@code docker_image_pulls{image,organization}}, the Flask exporter's gauge. */
  private static GaugeSnapshot legacyPulls(List<RepositoryStats> repos) {
    GaugeSnapshot.Builder legacy =
        GaugeSnapshot.builder()
            .name(LEGACY_PULLS)
            .help(
                "Total pulls of a Docker Hub repository (same as"
                    + " dockerhub_repository_pulls_total, named as the Flask exporter named"
                    + " it)."
                    + FROM_REFRESH);
    for (RepositoryStats r : repos) {
      legacy.dataPoint(
          GaugeDataPointSnapshot.builder()
              .labels(Labels.of("image", r.name(), "organization", r.namespace()))
              .value(r.pullCount())
              .build());
    }
    return legacy.build();
  }

  /** Each repository's pulls (a counter kept monotonic by {@code offsets}), stars, last push. */
  private static void repositoryFamilies(
      List<RepositoryStats> repos, Map<String, Long> offsets, List<MetricSnapshot> families) {
    CounterSnapshot.Builder pulls =
        CounterSnapshot.builder()
            .name(PULLS_TOTAL_NAME)
            .help("Total pulls of a Docker Hub repository since it was created." + FROM_REFRESH);
    GaugeSnapshot.Builder stars =
        GaugeSnapshot.builder()
            .name("dockerhub_repository_stars")
            .help("Stars of a Docker Hub repository." + FROM_REFRESH);
    GaugeSnapshot.Builder updated =
        GaugeSnapshot.builder()
            .name("dockerhub_repository_last_updated_timestamp_seconds")
            .help(
                "When an image was last pushed to the repository, in seconds since the epoch."
                    + FROM_REFRESH);
    for (RepositoryStats r : repos) {
      Labels labels = Labels.of("organization", r.namespace(), "repository", r.name());
      long counted = r.pullCount() + offsets.getOrDefault(r.fullName(), 0L);
      pulls.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(counted).build());
      r.starCount()
          .ifPresent(
              n ->
                  stars.dataPoint(
                      GaugeDataPointSnapshot.builder().labels(labels).value(n).build()));
      r.lastUpdated()
          .ifPresent(
              t ->
                  updated.dataPoint(
                      GaugeDataPointSnapshot.builder().labels(labels).value(seconds(t)).build()));
    }
    families.add(pulls.build());
    families.add(stars.build());
    families.add(updated.build());
  }

  /** Each target's state: up, rate limited, last success. */
  private static void targetFamilies(ExporterView v, List<MetricSnapshot> families) {
    GaugeSnapshot.Builder up =
        GaugeSnapshot.builder()
            .name("dockerhub_target_up")
            .help(
                "1 when the last refresh of this organization or repository succeeded, 0 when it"
                    + " failed (its last good values are still served).");
    GaugeSnapshot.Builder lastSuccess =
        GaugeSnapshot.builder()
            .name("dockerhub_target_last_success_timestamp_seconds")
            .help("When this target was last refreshed successfully, in seconds since the epoch.");
    GaugeSnapshot.Builder limited =
        GaugeSnapshot.builder()
            .name("dockerhub_target_rate_limited")
            .help(
                "1 while Docker Hub holds this target back with a 429 (it is not asked before the"
                    + " Hub's retry time; the other targets refresh as usual), else 0.");
    for (ExporterView.TargetState t : v.targets()) {
      Labels labels = Labels.of("target", t.target().id());
      up.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(t.up() ? 1 : 0).build());
      limited.dataPoint(
          GaugeDataPointSnapshot.builder()
              .labels(labels)
              .value(t.rateLimitedUntil().isPresent() ? 1 : 0)
              .build());
      t.lastSuccess()
          .ifPresent(
              time ->
                  lastSuccess.dataPoint(
                      GaugeDataPointSnapshot.builder()
                          .labels(labels)
                          .value(seconds(time))
                          .build()));
    }
    families.add(up.build());
    families.add(limited.build());
    families.add(lastSuccess.build());
  }

  /** The Elasticsearch sink's spool and deliveries, when there is a sink. */
  private static void sinkFamilies(SinkState es, List<MetricSnapshot> families) {
    if (es != null) {
      families.add(
          gauge(
              "dockerpulls_elasticsearch_spool_snapshots",
              "Snapshots waiting in the Elasticsearch spool.",
              es.spooledSnapshots()));
      families.add(
          gauge(
              "dockerpulls_elasticsearch_spool_bytes",
              "Bytes the snapshots waiting in the Elasticsearch spool take.",
              es.spooledBytes()));
      es.oldestSpooled()
          .ifPresent(
              t ->
                  families.add(
                      gauge(
                          "dockerpulls_elasticsearch_spool_oldest_timestamp_seconds",
                          "When the oldest snapshot waiting in the spool was observed, in seconds"
                              + " since the epoch; absent when none waits.",
                          seconds(t))));
      families.add(
          CounterSnapshot.builder()
              .name("dockerpulls_elasticsearch_dropped_snapshots")
              .help(
                  "Snapshots that never reached Elasticsearch: dropped, oldest first, to keep the"
                      + " spool within its size and age bounds, or lost while the spool could not"
                      + " be written.")
              .dataPoint(CounterDataPointSnapshot.builder().value(es.droppedTotal()).build())
              .build());
      es.lastDelivery()
          .ifPresent(
              t ->
                  families.add(
                      gauge(
                          "dockerpulls_elasticsearch_last_delivery_timestamp_seconds",
                          "When Elasticsearch last accepted a snapshot, in seconds since the"
                              + " epoch.",
                          seconds(t))));
    }
  }

  /** The requests sent to Docker Hub, and the listing entries left out. */
  private void requestFamilies(List<MetricSnapshot> families) {
    CounterSnapshot.Builder sent =
        CounterSnapshot.builder()
            .name("dockerhub_api_requests")
            .help(
                "HTTP requests sent to Docker Hub and the registry, by status code (none: no"
                    + " answer). Counted until the end of the last refresh.");
    requests
        .byCode()
        .forEach(
            (code, n) ->
                sent.dataPoint(
                    CounterDataPointSnapshot.builder()
                        .labels(Labels.of("code", code))
                        .value(n)
                        .build()));
    families.add(sent.build());
    families.add(
        CounterSnapshot.builder()
            .name("dockerhub_repositories_rejected")
            .help(
                "Repositories left out of a listing because their figures were not counts"
                    + " (negative, not whole, or beyond 10^15); the rest of the listing is"
                    + " served. Counted until the end of the last refresh.")
            .dataPoint(CounterDataPointSnapshot.builder().value(requests.rejected()).build())
            .build());
  }

  /** The last refresh's duration and the Hub's and the registry's limits. */
  private static void refreshFamilies(ExporterView v, List<MetricSnapshot> families) {
    if (v.lastRefresh().isPresent()) {
      families.add(
          gauge(
              "dockerhub_refresh_duration_seconds",
              "How long the last refresh of all targets took.",
              v.lastDuration().toNanos() / 1e9));
    }
    v.rateLimit()
        .ifPresent(
            limit -> {
              families.add(
                  gauge(
                      "dockerhub_api_rate_limit_limit",
                      "Docker Hub API requests allowed per window, as the Hub last announced.",
                      limit.limit()));
              families.add(
                  gauge(
                      "dockerhub_api_rate_limit_remaining",
                      "Docker Hub API requests left in the current window, as the Hub last"
                          + " announced.",
                      limit.remaining()));
            });
    v.pullLimit()
        .filter(p -> !p.isUnlimited())
        .ifPresent(
            p -> {
              families.add(
                  gauge(
                      "dockerhub_pull_limit",
                      "Registry pulls allowed per window for this exporter's IP or account.",
                      p.limit().getAsLong()));
              p.remaining()
                  .ifPresent(
                      n ->
                          families.add(
                              gauge(
                                  "dockerhub_pull_limit_remaining",
                                  "Registry pulls left in the current window.",
                                  n)));
              p.window()
                  .ifPresent(
                      w ->
                          families.add(
                              gauge(
                                  "dockerhub_pull_limit_window_seconds",
                                  "The length of the registry's pull limit window.",
                                  w.toSeconds())));
            });
  }

  private static GaugeSnapshot gauge(String name, String help, double value) {
    return GaugeSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
        .build();
  }

  private static double seconds(Instant t) {
    return t.getEpochSecond() + t.getNano() / 1e9;
  }
}
