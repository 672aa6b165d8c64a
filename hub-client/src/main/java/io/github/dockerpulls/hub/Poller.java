package io.github.dockerpulls.hub;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Refreshes a set of targets every interval and hands each {@link Snapshot} to its listeners.
 *
 * <p>The first refresh starts at once. The next one starts an interval (with up to 10% jitter, so
 * that many exporters do not hit the Hub in step) after the previous one ended, or later when the
 * Hub answered 429 and asked for a longer wait. A failing target keeps its error in the snapshot
 * and does not stop the others. Outputs never call Docker Hub themselves.
 */
public final class Poller implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Poller.class.getName());

  /** The default interval between refreshes. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);

  private final DockerHub hub;
  private final List<Target> targets;
  private final Duration interval;
  private final double jitter;
  private final List<SnapshotListener> listeners;
  private final Clock clock;
  private final boolean probePullLimit;
  private final ScheduledExecutorService scheduler;

  private Poller(Builder b) {
    this.hub = Objects.requireNonNull(b.hub, "hub");
    this.targets = List.copyOf(new LinkedHashSet<>(b.targets));
    if (targets.isEmpty()) {
      throw new IllegalArgumentException(
          "no targets: name at least one organization or repository");
    }
    this.interval = b.interval;
    this.jitter = b.jitter;
    this.listeners = List.copyOf(b.listeners);
    this.clock = b.clock;
    this.probePullLimit = b.probePullLimit;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dockerpulls-poller");
              t.setDaemon(true);
              return t;
            });
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Target> targets() {
    return targets;
  }

  public Duration interval() {
    return interval;
  }

  /** Takes one snapshot now, on the calling thread, and hands it to the listeners. */
  public Snapshot refresh() {
    Instant started = clock.instant();
    List<TargetResult> results = new ArrayList<>();
    for (Target target : targets) {
      results.add(fetch(target));
    }
    Optional<PullLimit> pullLimit = Optional.empty();
    if (probePullLimit) {
      try {
        pullLimit = Optional.of(hub.pullLimit());
      } catch (HubException e) {
        LOG.log(Level.WARNING, "the pull rate limit could not be read: " + e.getMessage());
      }
    }
    Duration took = Duration.between(started, clock.instant());
    Snapshot snapshot = Snapshot.of(started, took, results, hub.rateLimit(), pullLimit);
    for (SnapshotListener listener : listeners) {
      try {
        listener.onSnapshot(snapshot);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a snapshot listener failed: " + e, e);
      }
    }
    return snapshot;
  }

  private TargetResult fetch(Target target) {
    try {
      if (target instanceof Target.Organization org) {
        return TargetResult.success(target, hub.listRepositories(org.namespace()).repositories());
      }
      Target.Repository repo = (Target.Repository) target;
      return TargetResult.success(
          target, List.of(hub.getRepository(repo.namespace(), repo.name())));
    } catch (HubException e) {
      return TargetResult.failure(target, e);
    }
  }

  /** Starts refreshing in the background: the first refresh at once. */
  public void start() {
    scheduler.execute(this::refreshAndReschedule);
  }

  private void refreshAndReschedule() {
    Duration delay = interval;
    try {
      Snapshot snapshot = refresh();
      delay = nextDelay(snapshot, clock.instant());
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "a refresh failed unexpectedly: " + e, e);
    }
    if (!scheduler.isShutdown()) {
      scheduler.schedule(this::refreshAndReschedule, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The wait before the refresh after {@code snapshot}: the interval with jitter, or longer. */
  Duration nextDelay(Snapshot snapshot, Instant now) {
    long base = interval.toMillis();
    long spread = (long) (base * jitter);
    long millis =
        spread > 0 ? base - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1) : base;
    Duration delay = Duration.ofMillis(millis);
    Instant retryAt = snapshot.retryAt().orElse(Instant.EPOCH);
    Duration hubWait = Duration.between(now, retryAt);
    return hubWait.compareTo(delay) > 0 ? hubWait : delay;
  }

  /** Stops refreshing; a refresh under way is interrupted. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Configures a {@link Poller}. */
  public static final class Builder {
    private DockerHub hub;
    private final List<Target> targets = new ArrayList<>();
    private Duration interval = DEFAULT_INTERVAL;
    private double jitter = 0.1;
    private final List<SnapshotListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private boolean probePullLimit;

    private Builder() {}

    /** Also read the registry's pull rate limit with every refresh (two more requests). */
    public Builder probePullLimit(boolean probe) {
      this.probePullLimit = probe;
      return this;
    }

    public Builder hub(DockerHub hub) {
      this.hub = hub;
      return this;
    }

    public Builder target(Target target) {
      targets.add(Objects.requireNonNull(target, "target"));
      return this;
    }

    public Builder targets(List<? extends Target> targets) {
      targets.forEach(this::target);
      return this;
    }

    /** Time between refreshes (default 5 minutes); at least one second. */
    public Builder interval(Duration interval) {
      if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("the interval must be at least 1s");
      }
      this.interval = interval;
      return this;
    }

    /** The share of the interval a refresh may start early or late, 0 to 0.5 (default 0.1). */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0 && jitter <= 0.5)) {
        throw new IllegalArgumentException("jitter must be from 0 to 0.5");
      }
      this.jitter = jitter;
      return this;
    }

    public Builder listener(SnapshotListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Poller build() {
      return new Poller(this);
    }
  }
}
