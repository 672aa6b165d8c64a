package io.github.dockerpulls.hub;

import io.github.dockerpulls.hub.internal.DaemonThreads;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refreshes a set of targets every interval and hands each {@link Snapshot} to its listeners.
 *
 * <p>The first refresh starts at once. The next one starts an interval (with up to 10% jitter, so
 * that many exporters do not hit the Hub in step) after the previous one ended, or later when every
 * target is rate limited. Outputs never call Docker Hub themselves.
 *
 * <p>Targets are independent: they are asked at the same time (up to {@value #MAX_PARALLEL_TARGETS}
 * at once), each within its own time budget ({@link Builder#targetTimeout}), so a slow or failing
 * target neither stops nor delays the others; it keeps its error in the snapshot. A target the Hub
 * answers with a 429 whose wait does not fit the budget is rate limited: it fails at once with
 * {@link HubException.RateLimited}, is not asked again before the Hub's retry time (it reports the
 * same failure meanwhile, with nothing sent), and one log line says when it will be asked again.
 */
public final class Poller implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Poller.class.getName());

  /** The default interval between refreshes. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);

  /** The default time one target's refresh may take, its waits and retries included. */
  public static final Duration DEFAULT_TARGET_TIMEOUT = Duration.ofMinutes(1);

  /** How many targets are asked at once. */
  public static final int MAX_PARALLEL_TARGETS = 4;

  /** Beyond its own budget, how long a target's task may run before it is abandoned. */
  private static final Duration GRACE = Duration.ofSeconds(5);

  private final DockerHub hub;
  private final List<Target> targets;
  private final Duration interval;
  private final double jitter;
  private final List<SnapshotListener> listeners;
  private final Clock clock;
  private final boolean probePullLimit;
  private final Duration targetTimeout;
  private final boolean aligned;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService fetchers;
  private final Map<Target, Instant> heldUntil = new ConcurrentHashMap<>();
  private final AtomicLong refreshFailures = new AtomicLong();
  private final AtomicLong listenerFailures = new AtomicLong();

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
    this.targetTimeout = b.targetTimeout;
    this.aligned = b.aligned;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("dockerpulls-poller"));
    // Threads are made when first needed: a single target is fetched on the refreshing thread.
    this.fetchers =
        DaemonThreads.pool(
            Math.min(MAX_PARALLEL_TARGETS, targets.size()),
            "dockerpulls-target",
            DaemonThreads.IDLE);
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

  public Duration targetTimeout() {
    return targetTimeout;
  }

  /** Takes one snapshot now, on the calling thread, and hands it to the listeners. */
  public Snapshot refresh() {
    Instant started = clock.instant();
    Instant observed = aligned ? periodOf(started) : started;
    List<TargetResult> results = fetchAll(started);
    for (TargetResult result : results) {
      track(result);
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
    Snapshot snapshot = Snapshot.of(observed, took, results, hub.rateLimit(), pullLimit);
    for (SnapshotListener listener : listeners) {
      try {
        listener.onSnapshot(snapshot);
      } catch (Throwable e) { // an Error too: the other listeners and the next refresh go on
        listenerFailures.incrementAndGet();
        LOG.log(Level.WARNING, "a snapshot listener failed, the others went on: " + describe(e), e);
      }
    }
    return snapshot;
  }

  /**
   * Refreshes that failed as a whole since this poller was made, by an exception or an error that
   * no target's own handling caught (each is logged once, and the next refresh is scheduled all the
   * same).
   */
  public long refreshFailures() {
    return refreshFailures.get();
  }

  /** Times a listener threw on a snapshot since this poller was made (each is logged once). */
  public long listenerFailures() {
    return listenerFailures.get();
  }

  /** A throwable in one line: its class and its message, never a stack trace. */
  private static String describe(Throwable e) {
    String message = e.getMessage();
    String line = message == null ? "" : ": " + message.replaceAll("\\s+", " ").strip();
    return e.getClass().getName() + (line.length() > 300 ? line.substring(0, 300) + "..." : line);
  }

  /** Every target's result, in the targets' order; each within its budget, side by side. */
  private List<TargetResult> fetchAll(Instant now) {
    List<TargetResult> results = new ArrayList<>(targets.size());
    List<Future<TargetResult>> futures = new ArrayList<>(targets.size());
    boolean parallel = targets.size() > 1;
    for (Target target : targets) {
      Instant held = heldUntil.get(target);
      if (held != null && now.isBefore(held)) {
        futures.add(
            CompletableFuture.completedFuture(
                TargetResult.failure(
                    target,
                    new HubException.RateLimited(
                        "rate limited by Docker Hub; not asked again before " + wholeSeconds(held),
                        held))));
      } else if (parallel) {
        futures.add(fetchers.submit(() -> fetch(target)));
      } else {
        futures.add(CompletableFuture.completedFuture(fetch(target)));
      }
    }
    // Real time, not the clock's: this bounds threads, and tests give the poller a fake clock.
    long giveUpAt = System.nanoTime() + targetTimeout.plus(GRACE).toNanos();
    for (int i = 0; i < futures.size(); i++) {
      Target target = targets.get(i);
      Future<TargetResult> future = futures.get(i);
      try {
        // Each target enforces its own deadline; this bound only catches one that would not.
        long left = Math.max(1, giveUpAt - System.nanoTime());
        results.add(future.get(left, TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        future.cancel(true);
        results.add(
            TargetResult.failure(
                target,
                new HubException.Unreachable(
                    "the refresh did not finish within " + targetTimeout + " and was abandoned",
                    e)));
      } catch (InterruptedException e) {
        futures.forEach(f -> f.cancel(true));
        Thread.currentThread().interrupt();
        for (int j = i; j < targets.size(); j++) {
          results.add(
              TargetResult.failure(
                  targets.get(j), new HubException.Unreachable("interrupted while refreshing", e)));
        }
        break;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        results.add(
            TargetResult.failure(
                target,
                new HubException.Unreachable(
                    "the refresh failed: " + cause.getClass().getSimpleName(), cause)));
      }
    }
    return results;
  }

  private TargetResult fetch(Target target) {
    try {
      if (target instanceof Target.Organization org) {
        return TargetResult.success(
            target, hub.listRepositories(org.namespace(), targetTimeout).repositories());
      }
      Target.Repository repo = (Target.Repository) target;
      return TargetResult.success(
          target, List.of(hub.getRepository(repo.namespace(), repo.name(), targetTimeout)));
    } catch (HubException e) {
      return TargetResult.failure(target, e);
    }
  }

  /** Remembers when a rate-limited target may be asked again, and says so once. */
  private void track(TargetResult result) {
    Target target = result.target();
    Optional<Instant> retryAt = result.error().flatMap(HubException::retryTime);
    if (retryAt.isPresent()) {
      Instant previous = heldUntil.put(target, retryAt.get());
      if (!retryAt.get().equals(previous)) {
        LOG.log(
            Level.WARNING,
            "target '"
                + target.id()
                + "' is rate limited by Docker Hub; it is asked again after "
                + wholeSeconds(retryAt.get())
                + ", the other targets refresh as usual");
      }
    } else if (heldUntil.remove(target) != null && result.ok()) {
      LOG.log(Level.INFO, "target '" + target.id() + "' answers again after its rate limit");
    }
  }

  /** {@code time} rounded up to the second, as people read it. */
  private static Instant wholeSeconds(Instant time) {
    Instant down = time.truncatedTo(ChronoUnit.SECONDS);
    return down.equals(time) ? time : down.plusSeconds(1);
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
    } catch (Throwable e) { // an Error too: a refresh that dies must not end the refreshing
      refreshFailures.incrementAndGet();
      LOG.log(Level.ERROR, "a refresh failed, the next one is scheduled: " + describe(e), e);
    } finally {
      if (!scheduler.isShutdown()) {
        try {
          scheduler.schedule(this::refreshAndReschedule, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
          // close() won the race: nothing more to refresh.
        }
      }
    }
  }

  /**
   * The start of the interval-long period {@code time} belongs to, counted from the epoch. A time
   * less than a second (or a twentieth of the interval) before a boundary counts for the next
   * period, so that a refresh whose timer fired a little early is not taken for the previous one.
   */
  Instant periodOf(Instant time) {
    long iv = interval.toMillis();
    long slack = Math.min(1000, iv / 20);
    long t = time.toEpochMilli() + slack;
    return Instant.ofEpochMilli(Math.floorDiv(t, iv) * iv);
  }

  /** The wait before the refresh after {@code snapshot}: the interval with jitter, or longer. */
  Duration nextDelay(Snapshot snapshot, Instant now) {
    long base = interval.toMillis();
    long spread = (long) (base * jitter);
    long millis;
    if (aligned) {
      // The next period's start, and then up to the jitter's share of it.
      long t = now.toEpochMilli();
      long next = (Math.floorDiv(t, base) + 1) * base;
      millis = next - t + (spread > 0 ? ThreadLocalRandom.current().nextLong(spread + 1) : 0);
    } else {
      millis =
          spread > 0 ? base - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1) : base;
    }
    Duration delay = Duration.ofMillis(millis);
    // Only when no target can be asked earlier does the next refresh wait for the Hub.
    boolean allLimited =
        !snapshot.targets().isEmpty()
            && snapshot.targets().stream()
                .allMatch(t -> t.error().flatMap(HubException::retryTime).isPresent());
    if (!allLimited) {
      return delay;
    }
    Instant retryAt =
        snapshot.targets().stream()
            .map(t -> t.error().flatMap(HubException::retryTime).orElseThrow())
            .min(Comparator.naturalOrder())
            .orElseThrow();
    Duration hubWait = Duration.between(now, retryAt);
    return hubWait.compareTo(delay) > 0 ? hubWait : delay;
  }

  /** Stops refreshing; a refresh under way is interrupted. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    fetchers.shutdownNow();
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
    private Duration targetTimeout = DEFAULT_TARGET_TIMEOUT;
    private boolean aligned;

    private Builder() {}

    /**
     * Refresh once per interval-long period counted from the epoch (at 10:00, 10:05, ... for 5
     * minutes, each within the jitter's share after the period starts; the first refresh still at
     * once), and give each snapshot its period's start as observation time. Two pollers with the
     * same interval then observe at the same times, so outputs that key their records by
     * observation time (Elasticsearch's document ids) write each period once. Off by default.
     */
    public Builder alignToInterval(boolean aligned) {
      this.aligned = aligned;
      return this;
    }

    /**
     * The longest one target's refresh may take, waits and retries included (default 1 minute); at
     * least one second. A target that runs out of time fails with {@link HubException.Unreachable}
     * and is asked again at the next refresh.
     */
    public Builder targetTimeout(Duration timeout) {
      if (timeout == null || timeout.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("the target timeout must be at least 1s");
      }
      this.targetTimeout = timeout;
      return this;
    }

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
