package io.github.dockerpulls.hub.internal;

import java.util.concurrent.ThreadFactory;
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

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
