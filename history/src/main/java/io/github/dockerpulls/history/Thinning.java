package io.github.dockerpulls.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The retention: observations older than the full-resolution window are thinned to the first of
 * each hour, older than the hourly window to the first of each UTC day, and, with a finite daily
 * retention, older ones are deleted. Runs inside the writer's transactions, at most once an hour
 * unless older observations came in (an import), which lets it cover their range again.
 *
 * <p>How far thinning has gone is kept in {@code meta} ({@code compacted_hourly_until}, {@code
 * compacted_daily_until}, {@code compacted_at}), so that each run only looks at what is new.
 */
final class Thinning {
  /** Thinning runs at most this often. */
  private static final Duration EVERY = Duration.ofHours(1);

  private static final String HOURLY_UNTIL = "compacted_hourly_until";
  private static final String DAILY_UNTIL = "compacted_daily_until";
  private static final String AT = "compacted_at";

  private final Retention retention;
  private final Clock clock;
  private Instant lastRun;

  Thinning(Retention retention, Clock clock) {
    this.retention = retention;
    this.clock = clock;
  }

  /**
   * How far thinning has gone: before {@code dailyUntil} a day keeps one observation, before {@code
   * hourlyUntil} an hour does.
   */
  record Covered(long hourlyUntil, long dailyUntil) {
    /** The bucket (86400 or 3600 seconds) that holds one observation at {@code at}, or 0. */
    long bucketAt(long at) {
      return at < dailyUntil ? 86400 : at < hourlyUntil ? 3600 : 0;
    }
  }

  Covered covered(Connection c) throws SQLException {
    return new Covered(
        HistoryDatabase.meta(c, HOURLY_UNTIL, 0), HistoryDatabase.meta(c, DAILY_UNTIL, 0));
  }

  /**
   * Thins when the last thinning is an hour old. Returns true when it changed the repositories'
   * first observations (deleted what the daily retention no longer keeps): the caller reloads them.
   */
  boolean compactIfDue(Connection c, Collection<Long> repositories) throws SQLException {
    Instant now = clock.instant();
    if (lastRun == null) {
      lastRun = Instant.ofEpochSecond(HistoryDatabase.meta(c, AT, 0));
    }
    if (Duration.between(lastRun, now).compareTo(EVERY) < 0) {
      return false;
    }
    return compact(c, now, repositories);
  }

  /** Applies the retention as of {@code now}; returns what {@link #compactIfDue} returns. */
  boolean compact(Connection c, Instant now, Collection<Long> repositories) throws SQLException {
    long cut = HistoryDatabase.floor(now.minus(retention.raw()).getEpochSecond(), 3600);
    // The newest observations move by time: the first of each hour that is now old enough goes
    // into the per-repository table, the rest of that hour goes away.
    Dialect d = Dialect.of(c);
    try (PreparedStatement move =
            c.prepareStatement(
                "INSERT INTO observation (repository_id, observed_at, pull_count,"
                    + " star_count, last_updated, growth) "
                    + d.extremePerGroup(
                        "min",
                        "repository_id",
                        "pull_count, star_count, last_updated, growth",
                        "recent",
                        "observed_at < ?",
                        "repository_id, observed_at / 3600")
                    + " ON CONFLICT DO NOTHING");
        PreparedStatement drop = c.prepareStatement("DELETE FROM recent WHERE observed_at < ?")) {
      move.setLong(1, cut);
      move.executeUpdate();
      drop.setLong(1, cut);
      drop.executeUpdate();
    }
    Covered before = covered(c);
    long dailyUntil = HistoryDatabase.floor(now.minus(retention.hourly()).getEpochSecond(), 86400);
    List<Long> ids = new ArrayList<>(repositories);
    // Keep the first observation of each bucket: the one nearest the hour or the midnight that
    // begins it, where reports put their boundaries. The running total each carries keeps what
    // happened in between. Merged (imported) observations can be finer than an hour.
    String thin =
        "DELETE FROM observation WHERE repository_id = ? AND observed_at >= ? AND observed_at <"
            + " ? AND observed_at > (SELECT min(p.observed_at) FROM observation p WHERE"
            + " p.repository_id = ? AND p.observed_at >= (observation.observed_at / ?) * ? AND"
            + " p.observed_at < "
            + d.least("(observation.observed_at / ?) * ? + ?", "?")
            + ")";
    try (PreparedStatement delete = c.prepareStatement(thin)) {
      for (long id : ids) {
        if (cut > before.hourlyUntil()) {
          thin(delete, id, before.hourlyUntil(), cut, 3600);
        }
        if (dailyUntil > before.dailyUntil()) {
          thin(delete, id, before.dailyUntil(), dailyUntil, 86400);
        }
      }
    }
    boolean firstsChanged = false;
    if (retention.daily().isPresent()) {
      long oldest = now.minus(retention.daily().get()).getEpochSecond();
      int deleted;
      try (PreparedStatement delete =
          c.prepareStatement("DELETE FROM observation WHERE observed_at < ?")) {
        delete.setLong(1, oldest);
        deleted = delete.executeUpdate();
      }
      if (deleted > 0) {
        forgetBefore(c, oldest);
        firstsChanged = true;
      }
    }
    HistoryDatabase.setMeta(c, HOURLY_UNTIL, Math.max(before.hourlyUntil(), cut));
    HistoryDatabase.setMeta(c, DAILY_UNTIL, Math.max(before.dailyUntil(), dailyUntil));
    HistoryDatabase.setMeta(c, AT, now.getEpochSecond());
    lastRun = now;
    return firstsChanged;
  }

  /**
   * After deleting what is older than {@code oldest}: each repository starts at its oldest kept.
   */
  private static void forgetBefore(Connection c, long oldest) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate(
          "UPDATE latest SET (first_at, first_growth) = (SELECT o.observed_at, o.growth FROM"
              + " observation o WHERE o.repository_id = latest.repository_id ORDER BY"
              + " o.observed_at LIMIT 1) WHERE first_at < "
              + oldest
              + " AND EXISTS (SELECT 1 FROM observation o WHERE o.repository_id ="
              + " latest.repository_id)");
    }
  }

  private static void thin(PreparedStatement delete, long id, long from, long until, long bucket)
      throws SQLException {
    // The parameters in the order they appear: id, from, until, id, then the bucket five times
    // around the end of the first's bucket, then until.
    delete.setLong(1, id);
    delete.setLong(2, HistoryDatabase.floor(from, bucket));
    delete.setLong(3, until);
    delete.setLong(4, id);
    for (int i = 5; i <= 9; i++) {
      delete.setLong(i, bucket);
    }
    delete.setLong(10, until);
    delete.executeUpdate();
  }

  /** {@link #rewind}, when {@code t} is older than what hourly thinning has covered. */
  void rewindIfThinned(Connection c, long t) throws SQLException {
    if (t < HistoryDatabase.meta(c, HOURLY_UNTIL, 0)) {
      rewind(c, t);
    }
  }

  /**
   * Lets the next thinning cover {@code t} and later again, after older observations came in, and
   * lets it run at the next write.
   */
  void rewind(Connection c, long t) throws SQLException {
    if (HistoryDatabase.meta(c, HOURLY_UNTIL, 0) > t) {
      HistoryDatabase.setMeta(c, HOURLY_UNTIL, HistoryDatabase.floor(t, 3600));
    }
    if (HistoryDatabase.meta(c, DAILY_UNTIL, 0) > t) {
      HistoryDatabase.setMeta(c, DAILY_UNTIL, HistoryDatabase.floor(t, 86400));
    }
    lastRun = Instant.EPOCH;
  }
}
