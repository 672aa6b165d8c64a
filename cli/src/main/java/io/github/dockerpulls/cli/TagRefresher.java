package io.github.dockerpulls.cli;

import io.github.dockerpulls.exporter.metrics.SnapshotCollector;
import io.github.dockerpulls.exporter.metrics.TagCollector;
import io.github.dockerpulls.hub.DockerHub;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.TagsJson;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code serve --tags}: reads the newest tags of every repository served, on an interval of its
 * own, into a {@link TagCollector}. A repository whose tags cannot be read keeps its earlier ones;
 * each refresh that had failures logs one line with their number and the first, and counts them
 * ({@code dockerhub_tags_read_failures_total}). Nothing it meets stops it.
 */
final class TagRefresher implements AutoCloseable {
  private final DockerHub client;
  private final SnapshotCollector repositories;
  private final TagCollector tags;
  private final int maxTags;
  private final RefreshLog log;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final AtomicLong unexpected = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean started =
      new java.util.concurrent.atomic.AtomicBoolean();

  TagRefresher(
      DockerHub client,
      SnapshotCollector repositories,
      TagCollector tags,
      int maxTags,
      RefreshLog log,
      Clock clock) {
    this.client = client;
    this.repositories = repositories;
    this.tags = tags;
    this.maxTags = maxTags;
    this.log = log;
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dockerpulls-tags");
              t.setDaemon(true);
              return t;
            });
  }

  /** Reads the tags once the first refresh has listed repositories, then every {@code interval}. */
  void start(Duration interval) {
    repositories.afterRefresh(
        () -> {
          if (!repositories.view().repositories().isEmpty() && started.compareAndSet(false, true)) {
            timer.scheduleWithFixedDelay(
                this::refreshSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
          }
        });
  }

  /** Failures that were not the Hub's answers (bugs): counted for readiness and metrics. */
  long unexpectedFailures() {
    return unexpected.get();
  }

  private void refreshSafely() {
    try {
      refresh();
    } catch (RuntimeException e) {
      unexpected.incrementAndGet();
      log.log(
          "error",
          "tags: the refresh failed: " + ErrorText.oneLine(String.valueOf(e.getMessage())),
          Map.of());
    }
  }

  /** One refresh: every repository served, one after the other. */
  void refresh() {
    List<RepositoryStats> served = repositories.view().repositories();
    if (served.isEmpty()) {
      return;
    }
    Map<String, TagsJson.Repository> read = new HashMap<>();
    List<String> failed = new ArrayList<>();
    List<String> names = new ArrayList<>(served.size());
    String first = null;
    for (RepositoryStats r : served) {
      names.add(r.fullName());
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      try {
        read.put(
            r.fullName(),
            new TagsJson.Repository(
                r.namespace(), r.name(), client.listTags(r.namespace(), r.name(), maxTags)));
      } catch (HubException e) {
        failed.add(r.fullName());
        if (first == null) {
          first = r.fullName() + ": " + ErrorText.hub(e);
        }
      }
    }
    tags.refreshed(read, failed, names, clock.instant());
    if (!failed.isEmpty()) {
      log.log(
          "warn",
          "tags: "
              + failed.size()
              + " of "
              + served.size()
              + " repositories could not be read, their earlier tags are kept (first: "
              + first
              + ")",
          Map.of("failed", failed.size()));
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
