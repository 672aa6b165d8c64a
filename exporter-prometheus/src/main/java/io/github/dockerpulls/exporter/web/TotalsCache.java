package io.github.dockerpulls.exporter.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The dashboard's chart answers ({@code /api/v1/history?series=total}) kept while the history has
 * not changed: a year by day of 5,000 repositories sums 1.8 million values, and a reader switching
 * between windows asks for the same few answers again and again between two refreshes.
 *
 * <p>An answer is used again only while the history's {@link
 * io.github.dockerpulls.history.HistoryStore#changes() changes} are what they were when it was
 * made, and for at most {@link #MAX_AGE}; then its "now" would have moved too far. The answers kept
 * are bounded in characters ({@link #MAX_CHARS}), the least recently used going first. When a
 * question is answered anew, the same question for the dashboard's other windows and periods is
 * answered in the background (one thread, which ends when idle), so that the next switch finds it.
 */
final class TotalsCache {
  /** How long an answer about "now" is used again. */
  static final Duration MAX_AGE = Duration.ofMinutes(5);

  /** At most this many characters of answers are kept (one byte each: the JSON is ASCII). */
  static final long MAX_CHARS = 8L * 1024 * 1024;

  /** The dashboard's windows and periods, the neighbours of a question warmed in the background. */
  private static final List<String> WINDOWS = List.of("7d", "30d", "90d", "1y");

  private static final List<String> PERIODS = List.of("day", "week", "month");

  /** What identifies an answer: the question as asked (targets, window, period, zone, until). */
  record Key(
      List<io.github.dockerpulls.hub.Target> targets,
      String since,
      String by,
      String timezone,
      String until) {
    Key {
      targets = List.copyOf(targets);
      Objects.requireNonNull(since, "since");
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(timezone, "timezone");
    }

    /** The same question for the dashboard's other windows and periods. */
    List<Key> neighbours() {
      List<Key> keys = new ArrayList<>();
      if (until == null && WINDOWS.contains(since)) {
        // The other periods first, then the windows from the shortest: the cheap answers are
        // ready soonest, and a year by day (the costliest) last.
        for (String p : PERIODS) {
          if (!p.equals(by)) {
            keys.add(new Key(targets, since, p, timezone, null));
          }
        }
        for (String w : WINDOWS) {
          if (!w.equals(since)) {
            keys.add(new Key(targets, w, by, timezone, null));
          }
        }
      }
      return keys;
    }
  }

  private record Entry(String json, long changes, Instant at) {}

  /** How long a question asked by a reader is answered again ahead after each change. */
  static final Duration ASKED_LATELY = Duration.ofHours(1);

  /** At most this many of the questions readers asked lately are remembered. */
  static final int REMEMBERED = 8;

  private final Clock clock;
  private final Map<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<Key, Instant> asked = new LinkedHashMap<>(16, 0.75f, true);
  private long chars;
  private final AtomicBoolean warming = new AtomicBoolean();
  private final ThreadPoolExecutor background =
      new ThreadPoolExecutor(
          0,
          1,
          30,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(1),
          r -> {
            Thread t = new Thread(r, "dockerpulls-dashboard-warm");
            t.setDaemon(true);
            return t;
          },
          (task, executor) -> warming.set(false));

  TotalsCache(Clock clock) {
    this.clock = clock;
  }

  /** The answer kept for {@code key} while the history is at {@code changes}; null when none. */
  synchronized String get(Key key, long changes) {
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (e.changes() != changes
        || Duration.between(e.at(), clock.instant()).compareTo(MAX_AGE) > 0) {
      remove(key);
      return null;
    }
    return e.json();
  }

  synchronized void put(Key key, long changes, String json) {
    if (json.length() > MAX_CHARS / 4) {
      return; // one answer may not push out most of the others
    }
    remove(key);
    entries.put(key, new Entry(json, changes, clock.instant()));
    chars += json.length();
    Iterator<Map.Entry<Key, Entry>> oldest = entries.entrySet().iterator();
    while (chars > MAX_CHARS && oldest.hasNext()) {
      chars -= oldest.next().getValue().json().length();
      oldest.remove();
    }
  }

  private void remove(Key key) {
    Entry gone = entries.remove(key);
    if (gone != null) {
      chars -= gone.json().length();
    }
  }

  /** Remembers that a reader asked {@code key}, for {@link #rewarm}. */
  synchronized void asked(Key key) {
    asked.put(key, clock.instant());
    Iterator<Key> oldest = asked.keySet().iterator();
    while (asked.size() > REMEMBERED && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  /**
   * After the history changed (a refresh recorded): the questions readers asked within {@link
   * #ASKED_LATELY}, and their neighbours, answered again in the background with {@code answer}, so
   * that the first reader after each refresh finds them; nothing when no one asked lately, or a
   * warming is running.
   */
  void rewarm(long changes, Function<Key, String> answer) {
    List<Key> todo = new ArrayList<>();
    synchronized (this) {
      Instant since = clock.instant().minus(ASKED_LATELY);
      for (Map.Entry<Key, Instant> e : asked.entrySet()) {
        if (e.getValue().isAfter(since)) {
          todo.add(0, e.getKey()); // the most recently asked first
        }
      }
    }
    List<Key> all = new ArrayList<>(todo);
    for (Key k : todo) {
      for (Key n : k.neighbours()) {
        if (!all.contains(n)) {
          all.add(n);
        }
      }
    }
    run(all, changes, answer);
  }

  /** How many answers are kept: for tests. */
  synchronized int size() {
    return entries.size();
  }

  /**
   * Answers {@code key}'s neighbours in the background with {@code answer} (null when it cannot),
   * unless a warming is running already; the history must still be at {@code changes} for each.
   */
  void warm(Key key, long changes, Function<Key, String> answer) {
    run(key.neighbours(), changes, answer);
  }

  /** Answers {@code todo} in turn on the background thread, unless it is busy already. */
  private void run(List<Key> todo, long changes, Function<Key, String> answer) {
    if (todo.isEmpty() || !warming.compareAndSet(false, true)) {
      return;
    }
    background.execute(
        () -> {
          try {
            for (Key k : todo) {
              if (get(k, changes) == null) {
                String json = answer.apply(k);
                if (json == null) {
                  return; // the history changed or cannot be read: the next question warms
                }
                put(k, changes, json);
              }
            }
          } finally {
            warming.set(false);
          }
        });
  }
}
