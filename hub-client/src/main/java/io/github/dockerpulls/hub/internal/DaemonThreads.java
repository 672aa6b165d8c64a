package io.github.dockerpulls.hub.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads with names that say what they do, for the library's executors: a library's threads
 * must never keep its user's JVM alive.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Threads named {@code prefix-1}, {@code prefix-2}, ... */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger number = new AtomicInteger();
    return r -> daemon(r, prefix + "-" + number.incrementAndGet());
  }

  /** Threads all named {@code name}, for a single-threaded executor. */
  public static ThreadFactory named(String name) {
    return r -> daemon(r, name);
  }

  /** How long a pool's thread waits for work before it ends. */
  public static final Duration IDLE = Duration.ofSeconds(10);

  /**
   * Up to {@code threads} daemon threads named {@code prefix-N}, made when work comes and ended
   * after {@code idle} without any: an exporter refreshing every few minutes holds no idle threads
   * (and their stacks) between refreshes.
   */
  public static ExecutorService pool(int threads, String prefix, Duration idle) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            idle.toMillis(),
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            numbered(prefix));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
