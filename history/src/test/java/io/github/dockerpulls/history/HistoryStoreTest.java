package io.github.dockerpulls.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.testing.CapturedLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryStoreTest {
  private static final Instant DAY0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final Retention KEEP_ALL =
      new Retention(Duration.ofDays(3650), Duration.ofDays(3650), Optional.empty());

  @TempDir Path dir;

  /** What the store logs during a test: captured, so that a passing run prints nothing. */
  private CapturedLog log;

  @BeforeEach
  void captureTheLog() {
    log = CapturedLog.of(HistoryStore.class);
  }

  @AfterEach
  void releaseTheLog() {
    log.close();
  }

  private HistoryStore open(Retention retention, Instant now) throws HistoryException {
    return Histories.open(dir, retention, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static Observation obs(String repo, Instant t, long pulls) {
    int slash = repo.indexOf('/');
    return Observation.ofPulls(repo.substring(0, slash), repo.substring(slash + 1), t, pulls);
  }

  /** Observations of {@code repo} every {@code step} from DAY0, the count growing by perStep. */
  private static List<Observation> steady(
      String repo, Duration step, int count, long start, long perStep) {
    List<Observation> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(obs(repo, DAY0.plus(step.multipliedBy(i)), start + perStep * i));
    }
    return list;
  }

  @Test
  void pullsPerDayFromObservationsEverySixHours() throws Exception {
    try (HistoryStore store = open(KEEP_ALL, DAY0)) {
      // 1,000 pulls per 6 hours: 4,000 a day, over 3 days.
      store.record(steady("camunda/zeebe", Duration.ofHours(6), 13, 5000, 1000));
      HistoryReport report =
          store.report(
              List.of(Target.parse("camunda")),
              DAY0,
              DAY0.plus(Duration.ofDays(3)),
              Granularity.DAY,
              ZoneOffset.UTC);
      assertThat(report.repositories()).hasSize(1);
      RepositoryHistory zeebe = report.repositories().get(0);
      assertThat(zeebe.fullName()).isEqualTo("camunda/zeebe");
      assertThat(zeebe.pullCount()).isEqualTo(17_000);
      assertThat(zeebe.pulls()).isEqualTo(12_000);
      assertThat(zeebe.series()).extracting(Period::pulls).containsExactly(4000L, 4000L, 4000L);
      assertThat(zeebe.series().get(1).start()).isEqualTo(DAY0.plus(Duration.ofDays(1)));
      // Nothing was observed in the three days before.
      assertThat(zeebe.previousPulls()).isNull();
    }
  }

  @Test
  void aTimeZoneMovesTheDayBoundaries() throws Exception {
    try (HistoryStore store = open(KEEP_ALL, DAY0)) {
      // 100 pulls per hour for two days.
      store.record(steady("library/httpd", Duration.ofHours(1), 49, 0, 100));
      ZoneId berlin = ZoneId.of("Europe/Berlin"); // UTC+1 in November
      HistoryReport report =
          store.report(
              List.of(Target.parse("library/httpd")),
              DAY0.plus(Duration.ofHours(12)),
              DAY0.plus(Duration.ofHours(48)),
              Granularity.DAY,
              berlin);
      assertThat(report.since()).isEqualTo(Instant.parse("2026-10-31T23:00:00Z"));
      // Berlin's 1 November starts at 23:00 UTC the day before: the first hour is unknown.
      assertThat(report.repositories().get(0).series())
          .extracting(Period::pulls)
          .containsExactly(2300L, 2400L, 100L);
    }
  }

  @Test
  void weeksStartOnMondayAndMonthsOnTheFirst() throws Exception {
    try (HistoryStore store = open(KEEP_ALL, DAY0)) {
      // One observation a day for 60 days, 10 pulls a day.
      store.record(steady("acme/app", Duration.ofDays(1), 61, 0, 10));
      Instant until = DAY0.plus(Duration.ofDays(60));
      HistoryReport weeks =
          store.report(
              List.of(Target.parse("acme/app")), DAY0, until, Granularity.WEEK, ZoneOffset.UTC);
      // 2026-11-01 is a Sunday: its week began on Monday 26 October.
      assertThat(weeks.since()).isEqualTo(Instant.parse("2026-10-26T00:00:00Z"));
      assertThat(weeks.repositories().get(0).series().get(1).pulls()).isEqualTo(70);
      HistoryReport months =
          store.report(
              List.of(Target.parse("acme/app")), DAY0, until, Granularity.MONTH, ZoneOffset.UTC);
      assertThat(months.repositories().get(0).series())
          .extracting(Period::pulls)
          .containsExactly(300L, 300L);
    }
  }

  @Test
  void aDecreaseIsNeverNegativeAndIsLoggedOnce() throws Exception {
    try (HistoryStore store = open(KEEP_ALL, DAY0)) {
      store.record(List.of(obs("acme/app", DAY0, 1000)));
      store.record(List.of(obs("acme/app", DAY0.plus(Duration.ofHours(12)), 1500)));
      HistoryStore.RecordResult dropped =
          store.record(List.of(obs("acme/app", DAY0.plus(Duration.ofHours(24)), 1200)));
      store.record(List.of(obs("acme/app", DAY0.plus(Duration.ofHours(36)), 1300)));
      store.record(List.of(obs("acme/app", DAY0.plus(Duration.ofHours(48)), 1400)));
      assertThat(dropped.decreases()).isEqualTo(1);
      HistoryReport report =
          store.report(
              List.of(Target.parse("acme/app")),
              DAY0,
              DAY0.plus(Duration.ofDays(2)),
              Granularity.DAY,
              ZoneOffset.UTC);
      assertThat(report.repositories().get(0).series())
          .extracting(Period::pulls)
          .containsExactly(500L, 200L);
    }
    assertThat(log.records())
        .filteredOn(r -> r.getMessage().contains("went down"))
        .singleElement()
        .satisfies(r -> assertThat(r.getMessage()).contains("acme/app 1500 -> 1200"));
  }

  @Test
  void recordingTheSameObservationsTwiceAddsNothing() throws Exception {
    try (HistoryStore store = open(KEEP_ALL, DAY0)) {
      List<Observation> list = steady("acme/app", Duration.ofHours(1), 10, 0, 5);
      assertThat(store.record(list).added()).isEqualTo(10);
      assertThat(store.record(list).added()).isZero();
      assertThat(rows()).isEqualTo(10);
    }
  }

  @Test
  void olderObservationsRecordedLaterAreMergedIntoTheLine() throws Exception {
    try (HistoryStore store = open(KEEP_ALL, DAY0.plus(Duration.ofDays(3)))) {
      // What serve recorded: days 2 and 3, 1,000 a day.
      store.record(
          steady("acme/app", Duration.ofHours(6), 9, 0, 250).stream()
              .map(
                  o ->
                      obs(
                          "acme/app",
                          o.observedAt().plus(Duration.ofDays(2)),
                          10_000 + o.pullCount()))
              .toList());
      // Imported afterwards: days 0 and 1, 2,000 a day, with a correction down in between.
      List<Observation> older =
          new ArrayList<>(steady("acme/app", Duration.ofHours(6), 8, 6000, 500));
      older.set(3, obs("acme/app", older.get(3).observedAt(), 6500)); // 7500 -> 6500: a drop
      HistoryStore.RecordResult merged = store.record(older);
      assertThat(merged.added()).isEqualTo(8);
      assertThat(store.record(older).added()).isZero();
      HistoryReport report =
          store.report(
              List.of(Target.parse("acme/app")),
              DAY0,
              DAY0.plus(Duration.ofDays(3)),
              Granularity.DAY,
              ZoneOffset.UTC);
      // The import grows 500, 500, then drops 7000 -> 6500 (counted as 0), then 1500, 500, 500,
      // 500: 4,000 up to day 1 18:00; 500 more to serve's first observation; 1,000 on day 2.
      List<Long> days = report.repositories().get(0).series().stream().map(Period::pulls).toList();
      assertThat(days).containsExactly(2500L, 2000L, 1000L);
      long last = 10_000 + 250 * 8;
      assertThat(days.get(2)).isEqualTo(1000);
      assertThat(report.repositories().get(0).pullCount()).isEqualTo(last);
    }
  }

  @Test
  void importingAgainAfterThinningKeepsEveryDayExactAroundADecrease() throws Exception {
    // Three days of 5-minute counts, 1 pull per step; at noon of day 1 the count drops by 5,000.
    List<Observation> samples = new ArrayList<>();
    long count = 1_000_000;
    for (int i = 0; i < 3 * 288; i++) {
      Instant t = DAY0.plus(Duration.ofMinutes(5L * i));
      if (t.equals(DAY0.plus(Duration.ofHours(36)))) {
        count -= 5_000;
      } else if (i > 0) {
        count += 1;
      }
      samples.add(obs("acme/app", t, count));
    }
    Instant now = DAY0.plus(Duration.ofDays(10));
    Retention thinning = new Retention(Duration.ofHours(1), Duration.ofDays(1), Optional.empty());
    try (HistoryStore store = open(thinning, now)) {
      store.record(samples);
      store.compact(now);
      List<Long> once = days(store);
      // Day 0: 287 steps; day 1: 288 steps but the drop's step counts 0; day 2: 287 steps to the
      // last sample (the period ends there).
      assertThat(once).containsExactly(288L, 287L, 287L);
      assertThat(store.record(samples).added()).isZero();
      store.compact(now);
      assertThat(days(store)).isEqualTo(once);
    }
  }

  private List<Long> days(HistoryStore store) throws HistoryException {
    return store
        .report(
            List.of(Target.parse("acme/app")),
            DAY0,
            DAY0.plus(Duration.ofDays(3)),
            Granularity.DAY,
            ZoneOffset.UTC)
        .repositories()
        .get(0)
        .series()
        .stream()
        .map(Period::pulls)
        .toList();
  }

  @Test
  void figuresAreGivenOnlyForTheTimeTheHistoryCovers() throws Exception {
    // 20 pulls a day, observed every hour from day 10 of a 30-day window to its end.
    Instant from = DAY0.plus(Duration.ofDays(10));
    Instant until = DAY0.plus(Duration.ofDays(30));
    List<Observation> list = new ArrayList<>();
    for (Instant t = from; !t.isAfter(until); t = t.plus(Duration.ofHours(1))) {
      long hours = Duration.between(from, t).toHours();
      list.add(obs("acme/app", t, 5_000 + hours * 20 / 24));
    }
    try (HistoryStore store = open(KEEP_ALL, until)) {
      store.record(list);
      RepositoryHistory r =
          store
              .report(
                  List.of(Target.parse("acme/app")), DAY0, until, Granularity.DAY, ZoneOffset.UTC)
              .repositories()
              .get(0);
      assertThat(r.coveredFrom()).isEqualTo(from);
      assertThat(r.coverage()).isEqualTo(0.6667);
      assertThat(r.pulls()).isEqualTo(400);
      // The window before is not covered at all: no change against it is claimed.
      assertThat(r.previousPulls()).isNull();
      assertThat(r.series().get(9).pulls()).isNull();
      assertThat(r.series().get(9).coverage()).isZero();
      assertThat(r.series().get(10).coverage()).isEqualTo(1.0);
      assertThat(r.series().get(10).pulls()).isEqualTo(20);
      String json =
          HistoryJson.render(
              store.report(
                  List.of(Target.parse("acme/app")), DAY0, until, Granularity.DAY, ZoneOffset.UTC),
              false);
      assertThat(json)
          .contains("\"covered_from\":\"2026-11-11T00:00:00Z\",\"coverage\":0.6667")
          .contains("\"pulls\":null,\"coverage\":0}");
    }
  }

  @Test
  void theNeighboursOfEachBoundaryGiveWhatEveryObservationGives() throws Exception {
    // At most one observation per hour, so that thinning keeps them all and a computation over
    // every observation is the reference; gaps of up to a day and occasional drops.
    java.util.Random random = new java.util.Random(42);
    Instant now = DAY0.plus(Duration.ofDays(40));
    Retention retention =
        new Retention(Duration.ofHours(6), Duration.ofDays(400), Optional.empty());
    List<Long> times = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    try (HistoryStore store = open(retention, now)) {
      long count = 1_000;
      for (Instant hour = DAY0; hour.isBefore(now); hour = hour.plus(Duration.ofHours(1))) {
        if (random.nextInt(100) < 3) {
          hour = hour.plus(Duration.ofHours(random.nextInt(24)));
          continue;
        }
        count += random.nextInt(100) < 2 ? -random.nextInt(300) : random.nextInt(500);
        Instant t = hour.plusSeconds(random.nextInt(3600));
        if (!t.isBefore(now)) {
          break;
        }
        store.record(List.of(obs("acme/app", t, count)));
        times.add(t.getEpochSecond());
        counts.add(count);
      }
      store.compact(now);
      Growth reference =
          Growth.ofCumulative(
              times.stream().mapToLong(Long::longValue).toArray(),
              GrowthTest.cumulativeOf(counts.stream().mapToLong(Long::longValue).toArray()));
      HistoryReport report =
          store.report(
              List.of(Target.parse("acme")),
              DAY0.minus(Duration.ofDays(1)),
              now,
              Granularity.DAY,
              ZoneOffset.UTC);
      for (Period p : report.repositories().get(0).series()) {
        long to = Math.min(p.end().getEpochSecond(), now.getEpochSecond());
        assertThat(p.pulls())
            .as(p.toString())
            .isEqualTo(reference.pulls(p.start().getEpochSecond(), to));
      }
      for (Duration w : List.of(Duration.ofHours(3), Duration.ofHours(24), Duration.ofDays(7))) {
        Instant until = Instant.ofEpochSecond(times.get(times.size() - 1));
        assertThat(
                store.growth(List.of("acme/app"), until, List.of(w)).get("acme/app").pulls().get(0))
            .as(w.toString())
            .isEqualTo(reference.pulls(until.minus(w).getEpochSecond(), until.getEpochSecond()));
      }
    }
  }

  @Test
  void aRepositoryFirstSeenInsideAWindowCountsFromItsFirstObservation() throws Exception {
    Instant now = DAY0.plus(Duration.ofDays(40));
    Retention retention =
        new Retention(Duration.ofHours(6), Duration.ofDays(400), Optional.empty());
    try (HistoryStore store = open(retention, now)) {
      for (Instant t = DAY0; t.isBefore(now); t = t.plus(Duration.ofHours(1))) {
        long hours = Duration.between(DAY0, t).toHours();
        List<Observation> batch = new ArrayList<>();
        batch.add(obs("acme/old", t, 1_000 + 5 * hours));
        if (!t.isBefore(now.minus(Duration.ofHours(48)))) {
          batch.add(obs("acme/young", t, 50 + 10 * (hours - (40 * 24 - 48))));
        }
        store.record(batch);
      }
      store.compact(now);
      Instant last = now.minus(Duration.ofHours(1));
      List<Duration> windows =
          List.of(Duration.ofHours(24), Duration.ofDays(7), Duration.ofDays(30));
      Map<String, RecentPulls> growth =
          store.growth(List.of("acme/old", "acme/young"), last, windows);
      assertThat(growth.get("acme/old").pulls()).containsExactly(120L, 840L, 3_600L);
      // First seen 47 hours before the last observation: the longer windows hold all of it.
      assertThat(growth.get("acme/young").pulls()).containsExactly(240L, 470L, 470L);
      assertThat(growth.get("acme/young").coveredFrom()).isEqualTo(now.minus(Duration.ofHours(48)));
      // What the writer holds in memory after recording gives what a store that reads it all
      // from the history gives.
      try (HistoryStore reader = open(retention, now)) {
        assertThat(reader.growth(List.of("acme/old", "acme/young"), last, windows))
            .isEqualTo(growth);
      }
      // Read ahead before a record, the next record and its windows give the same.
      store.prepareRecording();
      store.record(List.of(obs("acme/old", now, 1_000 + 5 * 40 * 24), obs("acme/young", now, 530)));
      Map<String, RecentPulls> after =
          store.growth(List.of("acme/old", "acme/young"), now, windows);
      try (HistoryStore reader = open(retention, now)) {
        assertThat(reader.growth(List.of("acme/old", "acme/young"), now, windows)).isEqualTo(after);
      }
      assertThat(after.get("acme/old").pulls()).containsExactly(120L, 840L, 3_600L);
      assertThat(after.get("acme/young").pulls()).containsExactly(240L, 480L, 480L);
    }
  }

  @Test
  void periodsWithNoObservationOnEitherSideHaveNoValue() throws Exception {
    try (HistoryStore store = open(KEEP_ALL, DAY0)) {
      store.record(steady("acme/app", Duration.ofHours(6), 5, 0, 10));
      HistoryReport report =
          store.report(
              List.of(Target.parse("acme/app")),
              DAY0.minus(Duration.ofDays(2)),
              DAY0.plus(Duration.ofDays(3)),
              Granularity.DAY,
              ZoneOffset.UTC);
      assertThat(report.repositories().get(0).series())
          .extracting(Period::pulls)
          .containsExactly(null, null, 40L, null, null);
    }
  }

  @Test
  void retentionKeepsTheLastObservationOfEachHourThenOfEachDay() throws Exception {
    Instant now = DAY0.plus(Duration.ofDays(10));
    Retention retention = new Retention(Duration.ofDays(1), Duration.ofDays(3), Optional.empty());
    try (HistoryStore store = open(retention, now)) {
      // Every 5 minutes for 10 days: 2,880 observations, 100 pulls each step.
      List<Observation> all = steady("acme/app", Duration.ofMinutes(5), 2880, 0, 100);
      store.record(all);
      // Days 0 to 6 (older than 3 days): one per day; days 7 and 8: one per hour; day 9: all.
      assertThat(rows()).isEqualTo(7 + 2 * 24 + 288);
      HistoryReport report =
          store.report(
              List.of(Target.parse("acme/app")),
              DAY0,
              DAY0.plus(Duration.ofDays(10)),
              Granularity.DAY,
              ZoneOffset.UTC);
      RepositoryHistory h = report.repositories().get(0);
      // Thinned to one observation a day, day 0 still counts whole: the first observation is
      // remembered with the latest. Every day is 288 steps of 100; the last ends at 23:55.
      assertThat(h.series())
          .extracting(Period::pulls)
          .containsExactly(
              28_800L, 28_800L, 28_800L, 28_800L, 28_800L, 28_800L, 28_800L, 28_800L, 28_800L,
              28_700L);
      assertThat(h.pullCount()).isEqualTo(100L * 2879);
    }
  }

  @Test
  void aFiniteDailyRetentionDeletesOlderObservations() throws Exception {
    Instant now = DAY0.plus(Duration.ofDays(30));
    Retention retention =
        new Retention(Duration.ofDays(1), Duration.ofDays(2), Optional.of(Duration.ofDays(10)));
    try (HistoryStore store = open(retention, now)) {
      store.record(steady("acme/app", Duration.ofDays(1), 31, 0, 1));
      assertThat(rows()).isEqualTo(11);
    }
  }

  @Test
  @Tag("sqlite-file")
  void anotherProgramsDatabaseIsRefusedAndLeftUntouched() throws Exception {
    Path file = dir.resolve(HistoryStore.FILE_NAME);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE notes (text TEXT)");
      s.execute("INSERT INTO notes VALUES ('mine')");
    }
    byte[] before = Files.readAllBytes(file);
    assertThatThrownBy(() -> open(KEEP_ALL, DAY0))
        .isInstanceOf(HistoryException.class)
        .hasMessageContaining("another program's SQLite database")
        .satisfies(
            e ->
                assertThat(((HistoryException) e).kind())
                    .isEqualTo(HistoryException.Kind.UNUSABLE));
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(Files.exists(dir.resolve(HistoryStore.FILE_NAME + "-wal"))).isFalse();
  }

  @Test
  @Tag("sqlite-file")
  void aFileThatIsNotADatabaseIsRefusedAndLeftUntouched() throws Exception {
    Path file = dir.resolve(HistoryStore.FILE_NAME);
    byte[] junk =
        "this is not SQLite, just some text that happens to be here\n"
            .repeat(100)
            .getBytes(StandardCharsets.UTF_8);
    Files.write(file, junk);
    assertThatThrownBy(() -> open(KEEP_ALL, DAY0))
        .isInstanceOf(HistoryException.class)
        .hasMessageContaining("is damaged or not a database")
        .hasMessageNotContaining("SQLITE")
        .satisfies(
            e ->
                assertThat(((HistoryException) e).kind())
                    .isEqualTo(HistoryException.Kind.UNUSABLE));
    assertThat(Files.readAllBytes(file)).isEqualTo(junk);
  }

  @Test
  @Tag("sqlite-file")
  void aNewerSchemaIsRefused() throws Exception {
    try (HistoryStore store = open(KEEP_ALL, DAY0)) {
      store.record(List.of(obs("acme/app", DAY0, 1)));
    }
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(HistoryStore.FILE_NAME));
        Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version=99");
    }
    assertThatThrownBy(() -> open(KEEP_ALL, DAY0))
        .hasMessageContaining("written by a newer dockerpulls (schema 99");
  }

  @Test
  @Tag("sqlite-file")
  void theHeaderAloneRefusesWhatOpenWouldRefuseAndPassesAGoodHistory() throws Exception {
    Path file = dir.resolve(HistoryStore.FILE_NAME);
    HistoryStore.checkHeader(dir); // no file yet: open() creates one
    Files.write(file, new byte[0]);
    HistoryStore.checkHeader(dir); // empty: SQLite starts a database in it
    Files.delete(file);
    try (HistoryStore store = open(KEEP_ALL, DAY0)) {
      store.record(List.of(obs("acme/app", DAY0, 1)));
    }
    HistoryStore.checkHeader(dir);

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version=99");
    }
    assertThatThrownBy(() -> HistoryStore.checkHeader(dir))
        .hasMessageContaining("written by a newer dockerpulls (schema 99");

    Files.delete(file);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA application_id=1234");
      s.execute("CREATE TABLE notes (text TEXT)");
    }
    assertThatThrownBy(() -> HistoryStore.checkHeader(dir))
        .hasMessageContaining("another program's SQLite database");

    byte[] junk = "not a database\n".repeat(200).getBytes(StandardCharsets.UTF_8);
    Files.write(file, junk);
    assertThatThrownBy(() -> HistoryStore.checkHeader(dir))
        .isInstanceOf(HistoryException.class)
        .hasMessageContaining("is damaged or not a database")
        .satisfies(
            e ->
                assertThat(((HistoryException) e).kind())
                    .isEqualTo(HistoryException.Kind.UNUSABLE));
    assertThat(Files.readAllBytes(file)).isEqualTo(junk);
  }

  @Test
  @Tag("sqlite-file")
  void aDirectoryThatCannotBeCreatedIsUnwritable() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertThatThrownBy(
            () -> HistoryStore.open(file.resolve("history"), Retention.DEFAULT, Clock.systemUTC()))
        .isInstanceOf(HistoryException.class)
        .hasMessageStartingWith("cannot create the history directory")
        .satisfies(
            e ->
                assertThat(((HistoryException) e).kind())
                    .isEqualTo(HistoryException.Kind.UNWRITABLE));
  }

  @Test
  @Tag("sqlite-file")
  void aFullDiskFailsTheWriteWithOneLineAndKeepsWhatWasCommitted() throws Exception {
    try (HistoryStore store = open(KEEP_ALL, DAY0)) {
      store.record(steady("acme/app", Duration.ofMinutes(5), 10, 0, 1));
      store.limitPages(pages());
      List<Observation> many = new ArrayList<>();
      for (int r = 0; r < 500; r++) {
        many.addAll(steady("big/repo" + r, Duration.ofMinutes(5), 20, 0, 1));
      }
      assertThatThrownBy(() -> store.record(many))
          .isInstanceOf(HistoryException.class)
          .hasMessageEndingWith("the disk is full")
          .satisfies(
              e ->
                  assertThat(((HistoryException) e).kind())
                      .isEqualTo(HistoryException.Kind.UNWRITABLE));
      HistoryReport report =
          store.report(
              List.of(Target.parse("acme/app")),
              DAY0,
              DAY0.plus(Duration.ofHours(1)),
              Granularity.DAY,
              ZoneOffset.UTC);
      assertThat(report.repositories().get(0).pulls()).isEqualTo(9);
    }
  }

  @Test
  void twoWritersOnOneFileBothSucceedAndLoseNothing() throws Exception {
    try (HistoryStore a = open(KEEP_ALL, DAY0);
        HistoryStore b = open(KEEP_ALL, DAY0)) {
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      Thread[] threads = new Thread[2];
      HistoryStore[] stores = {a, b};
      for (int w = 0; w < 2; w++) {
        int writer = w;
        threads[w] =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < 100; i++) {
                      List<Observation> batch = new ArrayList<>();
                      for (int r = 0; r < 50; r++) {
                        batch.add(
                            obs("w" + writer + "/r" + r, DAY0.plus(Duration.ofMinutes(5L * i)), i));
                      }
                      stores[writer].record(batch);
                    }
                  } catch (Throwable t) {
                    failures.add(t);
                  }
                });
        threads[w].start();
      }
      for (Thread t : threads) {
        t.join();
      }
      assertThat(failures).isEmpty();
      assertThat(rows()).isEqualTo(2 * 100 * 50);
    }
  }

  @Test
  void theDefaultDirectoryFollowsXdgThenHome() {
    assertThat(HistoryStore.defaultDirectory(Map.of("XDG_DATA_HOME", "/x", "HOME", "/h")))
        .contains(Path.of("/x/dockerpulls"));
    assertThat(HistoryStore.defaultDirectory(Map.of("XDG_DATA_HOME", "", "HOME", "/h")))
        .contains(Path.of("/h/.local/share/dockerpulls"));
    assertThat(HistoryStore.defaultDirectory(Map.of())).isEmpty();
  }

  private long rows() throws Exception {
    try (Connection c = Histories.connect(dir);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM observation) + (SELECT count(*) FROM recent)")) {
      r.next();
      return r.getLong(1);
    }
  }

  private int pages() throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(HistoryStore.FILE_NAME));
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("PRAGMA page_count")) {
      return r.getInt(1) + 2;
    }
  }
}
