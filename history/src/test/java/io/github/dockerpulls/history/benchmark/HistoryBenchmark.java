package io.github.dockerpulls.history.benchmark;

import io.github.dockerpulls.history.Granularity;
import io.github.dockerpulls.history.HistoryLocation;
import io.github.dockerpulls.history.HistoryReport;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Observation;
import io.github.dockerpulls.history.Retention;
import io.github.dockerpulls.hub.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The history at its steady state: an organization of {@code repositories} repositories refreshed
 * every 5 minutes for {@code days} days, under the default retention. Recording every one of the
 * 105,120 refreshes of a year would take hours, so the benchmark records exactly the refreshes the
 * retention keeps (every one of the last day, the first of each hour of the 6 days before, the
 * first of each day before that), through the same {@code record} and compaction as serve. Then it
 * prints the file's size, the time to record one more refresh (what export and serve add per
 * refresh) and the time of the reports. See docs/history.md and docs/benchmarks.md.
 *
 * <p>Arguments: {@code [repositories] [days] [directory]}.
 */
public final class HistoryBenchmark {
  private HistoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repositories = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 365;
    HistoryLocation where;
    if (args.length > 2 && HistoryLocation.isPostgresql(args[2])) {
      where = HistoryLocation.postgresql(args[2], System.getenv("PGPASSWORD"));
    } else {
      where =
          HistoryLocation.sqlite(
              args.length > 2
                  ? Path.of(args[2])
                  : Files.createTempDirectory("dockerpulls-history-"));
    }
    run(where, repositories, days);
  }

  /** Fills the history at {@code where} and measures it. */
  public static void run(HistoryLocation where, int repositories, int days) throws Exception {
    Instant end = Instant.parse("2026-11-23T00:00:00Z");
    Retention retention = Retention.DEFAULT;
    long t0 = System.nanoTime();
    int kept = fill(where, repositories, days, end);
    System.out.printf(
        Locale.ROOT,
        "%d repositories, %d days, %d refreshes kept of %d, filled in %.1f s%n",
        repositories,
        days,
        kept,
        days * 288,
        (System.nanoTime() - t0) / 1e9);
    long bytes = size(where);
    System.out.printf(
        Locale.ROOT,
        "%s: %.1f MB, %.0f bytes per repository and kept refresh, %.1f KB per repository%n",
        where.shared() ? "database" : "file",
        bytes / 1e6,
        (double) bytes / repositories / kept,
        bytes / 1e3 / repositories);
    if (where.shared()) {
      try (java.sql.Connection c = io.github.dockerpulls.history.Histories.connect(where);
          java.sql.Statement s = c.createStatement();
          java.sql.ResultSet r =
              s.executeQuery(
                  "SELECT relname, pg_table_size(oid), pg_indexes_size(oid) FROM pg_class"
                      + " WHERE relname IN ('observation', 'recent', 'latest', 'repository')"
                      + " ORDER BY 1")) {
        while (r.next()) {
          System.out.printf(
              Locale.ROOT,
              "  %s: %.1f MB rows, %.1f MB indexes%n",
              r.getString(1),
              r.getLong(2) / 1e6,
              r.getLong(3) / 1e6);
        }
      }
    }

    Instant next = end.plus(Duration.ofMinutes(5));
    try (HistoryStore store =
        HistoryStore.open(where, retention, Clock.fixed(next, ZoneOffset.UTC))) {
      List<Observation> one = refresh(repositories, next, next);
      List<String> names = one.stream().map(Observation::fullName).toList();
      List<Duration> windows =
          List.of(Duration.ofHours(24), Duration.ofDays(7), Duration.ofDays(30));
      int[] minute = {1};
      measure(
          "record one refresh + the 24h/7d/30d pulls (what export adds)",
          7,
          () -> {
            try {
              Instant t = next.plusSeconds(60L * minute[0]++);
              store.record(refresh(repositories, t, t));
              return store.growth(names, t, windows).size();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      Instant now = next.plus(Duration.ofHours(1));
      measure(
          "report --since 30d, every repository",
          5,
          () -> report(store, List.of(Target.parse("bigorg")), now, Duration.ofDays(30)));
      measure(
          "report --since 1y, one repository",
          11,
          () ->
              report(store, List.of(Target.parse("bigorg/repo-00001")), now, Duration.ofDays(365)));
    }
  }

  /**
   * Writes the history that {@code repositories} repositories ({@code bigorg/repo-00001} on, as the
   * benchmarks' simulated Hub names them) refreshed every 5 minutes for {@code days} days up to
   * {@code end} leave under the default retention: the refreshes it keeps, through {@code record},
   * then the thinning; the file is vacuumed as a year of reuse would leave it. Returns how many
   * refreshes per repository were kept.
   */
  public static int fill(Path dir, int repositories, int days, Instant end) throws Exception {
    return fill(HistoryLocation.sqlite(dir), repositories, days, end);
  }

  /** {@link #fill(Path, int, int, Instant)} into any history. */
  public static int fill(HistoryLocation where, int repositories, int days, Instant end)
      throws Exception {
    Instant start = end.minus(Duration.ofDays(days));
    Retention retention = Retention.DEFAULT;
    TreeSet<Instant> kept = new TreeSet<>();
    for (Instant t = start; t.isBefore(end); t = t.plus(Duration.ofMinutes(5))) {
      Duration age = Duration.between(t, end);
      if (age.compareTo(retention.raw()) <= 0) {
        kept.add(t);
        continue;
      }
      Instant bucketStart =
          t.truncatedTo(
              age.compareTo(retention.hourly()) <= 0
                  ? java.time.temporal.ChronoUnit.HOURS
                  : java.time.temporal.ChronoUnit.DAYS);
      if (t.minus(Duration.ofMinutes(5)).isBefore(bucketStart)) {
        kept.add(t); // the first refresh of its hour or day
      }
    }
    // Recorded with nothing to thin (they are what thinning keeps), then thinned once.
    Retention keepAll =
        new Retention(Duration.ofDays(100_000), Duration.ofDays(100_000), Optional.empty());
    try (HistoryStore store = HistoryStore.open(where, keepAll, Clock.fixed(end, ZoneOffset.UTC))) {
      for (Instant t : kept) {
        store.record(refresh(repositories, t, end));
      }
    }
    try (HistoryStore store =
        HistoryStore.open(where, retention, Clock.fixed(end, ZoneOffset.UTC))) {
      store.compact(end);
    }
    // Compacted, as the rows alone take: SQLite's free pages and PostgreSQL's dead rows (left by
    // the one-off thinning of the whole year) given back, and PostgreSQL's statistics current.
    try (java.sql.Connection c = io.github.dockerpulls.history.Histories.connect(where);
        java.sql.Statement s = c.createStatement()) {
      s.execute(where.shared() ? "VACUUM FULL ANALYZE" : "VACUUM");
    }
    return kept.size();
  }

  /** The file's size, or the database's. */
  static long size(HistoryLocation where) throws Exception {
    if (!where.shared()) {
      return Files.size(where.file().orElseThrow());
    }
    try (java.sql.Connection c = io.github.dockerpulls.history.Histories.connect(where);
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet r =
            s.executeQuery(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
                    + " AND c.relkind = 'r'")) {
      r.next();
      return r.getLong(1);
    }
  }

  private static int report(HistoryStore store, List<Target> targets, Instant now, Duration back) {
    try {
      HistoryReport r =
          store.report(targets, now.minus(back), now, Granularity.DAY, ZoneOffset.UTC);
      return r.repositories().size();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One refresh at {@code t}: repository {@code i} ends at {@code 1000 i} pulls at {@code end}, as
   * the simulated Hub reports it, having grown one pull every 600 minutes before.
   */
  static List<Observation> refresh(int repositories, Instant t, Instant end) {
    long minutesBefore = Duration.between(t, end).toMinutes();
    List<Observation> list = new ArrayList<>(repositories);
    for (int r = 1; r <= repositories; r++) {
      list.add(
          new Observation(
              "bigorg",
              String.format(Locale.ROOT, "repo-%05d", r),
              t,
              1000L * r - minutesBefore / 600,
              java.util.OptionalLong.of(r % 50),
              java.util.Optional.of(Instant.parse("2026-01-02T03:04:05Z"))));
    }
    return list;
  }

  private static void measure(String what, int runs, Supplier<Integer> action) {
    action.get(); // warm-up
    List<Double> seconds = new ArrayList<>();
    int size = 0;
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      size = action.get();
      seconds.add((System.nanoTime() - t) / 1e9);
    }
    Collections.sort(seconds);
    System.out.printf(
        Locale.ROOT,
        "%s: median %.3f s, min %.3f s, max %.3f s (%d repositories, %d runs)%n",
        what,
        seconds.get(seconds.size() / 2),
        seconds.get(0),
        seconds.get(seconds.size() - 1),
        size,
        runs);
  }
}
