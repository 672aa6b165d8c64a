package io.github.dockerpulls.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.testing.RealPostgres;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What only a shared history on PostgreSQL does: replicas on one database, its failures. */
@Tag("postgresql")
class SharedHistoryTest {
  private static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final Retention KEEP =
      new Retention(Duration.ofDays(2), Duration.ofDays(14), Optional.empty());

  private static HistoryStore open(HistoryLocation where) throws HistoryException {
    return HistoryStore.open(where, KEEP, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** What a refresh aligned to the interval observes: every repository at the same second. */
  private static List<Observation> refresh(int repositories, int n) {
    Instant at = T0.plus(Duration.ofMinutes(15L * n));
    List<Observation> list = new ArrayList<>(repositories);
    for (int r = 0; r < repositories; r++) {
      list.add(Observation.ofPulls("acme", "r" + r, at, 1_000L * r + 7L * n));
    }
    return list;
  }

  private static String report(HistoryStore store) throws Exception {
    StringBuilder out = new StringBuilder();
    store.stream(
        ReportQuery.parse(List.of(Target.organization("acme")), "2026-11-30", "day", "UTC", NOW),
        null,
        HistoryJson.writer(out, false));
    return out.toString();
  }

  @Test
  void twoReplicasRecordEachAlignedObservationOnceAndReportTheSame() throws Exception {
    HistoryLocation where = Histories.newDatabase();
    int repositories = 500;
    int refreshes = 12;
    try (HistoryStore a = open(where);
        HistoryStore b = open(where)) {
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      CyclicBarrier together = new CyclicBarrier(2);
      List<Thread> replicas = new ArrayList<>();
      for (HistoryStore store : List.of(a, b)) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    for (int n = 0; n < refreshes; n++) {
                      together.await(); // both refreshes of the same interval at once
                      store.record(refresh(repositories, n));
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                });
        replicas.add(t);
        t.start();
      }
      for (Thread t : replicas) {
        t.join();
      }
      assertThat(failures).isEmpty();
      try (Connection c = HistoryDatabase.openReader(where);
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT count(*), count(DISTINCT (repository_id, observed_at)) FROM recent")) {
        r.next();
        assertThat(r.getLong(1)).isEqualTo((long) repositories * refreshes);
        assertThat(r.getLong(2)).isEqualTo(r.getLong(1));
      }
      String fromA = report(a);
      assertThat(fromA).isEqualTo(report(b));
      // r1 grew by 7 pulls per refresh: 11 steps after the first observation.
      assertThat(fromA).contains("\"name\":\"r1\"").contains("\"pulls\":77");
    }
  }

  @Test
  void aReplicaSeesWhatTheOtherRecordedBeforeItsNextWrite() throws Exception {
    HistoryLocation where = Histories.newDatabase();
    try (HistoryStore a = open(where);
        HistoryStore b = open(where)) {
      a.record(refresh(3, 0));
      b.record(refresh(3, 1));
      a.record(refresh(3, 2));
      // The running total of each repository stays one line whoever wrote each point.
      assertThat(report(a)).contains("\"pulls\":14").isEqualTo(report(b));
      assertThat(a.latest(List.of(Target.organization("acme"))))
          .extracting(Observation::pullCount)
          .containsExactly(14L, 1_014L, 2_014L);
    }
  }

  @Test
  void aLostConnectionIsOpenedAgainForTheNextWrite() throws Exception {
    HistoryLocation where = Histories.newDatabase();
    try (HistoryStore store = open(where)) {
      store.record(refresh(2, 0));
      // What a server restart or a failover does to the writer's connection.
      try (Connection c = HistoryDatabase.openReader(where);
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                      + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
        r.next();
        assertThat(r.getLong(1)).isEqualTo(1);
      }
      store.record(refresh(2, 1));
      assertThat(store.latest(List.of(Target.organization("acme"))))
          .extracting(Observation::pullCount)
          .containsExactly(7L, 1_007L);
    }
  }

  @Test
  void anotherProgramsTablesAreRefusedAndLeftUntouched() throws Exception {
    HistoryLocation where = Histories.newDatabase();
    try (Connection c = HistoryDatabase.openReader(where);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE repository (id integer, owner text)");
      s.execute("INSERT INTO repository VALUES (1, 'someone')");
    }
    assertThatThrownBy(() -> open(where))
        .isInstanceOf(HistoryException.class)
        .hasMessageContaining("another program's tables")
        .satisfies(
            e ->
                assertThat(((HistoryException) e).kind())
                    .isEqualTo(HistoryException.Kind.UNUSABLE));
    try (Connection c = HistoryDatabase.openReader(where);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM repository WHERE owner = 'someone'")) {
      r.next();
      assertThat(r.getLong(1)).isEqualTo(1);
    }
  }

  @Test
  void aWrongPasswordIsOneLineWithoutThePassword() {
    RealPostgres server = RealPostgres.shared();
    HistoryLocation wrong = HistoryLocation.postgresql(server.url("postgres"), "not-the-secret");
    assertThatThrownBy(() -> open(wrong))
        .isInstanceOf(HistoryException.class)
        .hasMessage(
            "cannot open the history "
                + server.url("postgres")
                + ": PostgreSQL refused the user or the password")
        .hasMessageNotContaining("not-the-secret");
  }

  @Test
  void aServerThatIsNotThereIsOneLine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    HistoryLocation nowhere =
        HistoryLocation.postgresql(
            "postgresql://127.0.0.1:" + port + "/db?user=x&connect_timeout=2", "secret");
    assertThatThrownBy(() -> open(nowhere))
        .isInstanceOf(HistoryException.class)
        .hasMessageStartingWith(
            "cannot open the history postgresql://127.0.0.1:"
                + port
                + "/db?user=x&connect_timeout=2: PostgreSQL cannot be reached")
        .hasMessageNotContaining("secret")
        .satisfies(
            e ->
                assertThat(((HistoryException) e).kind())
                    .isEqualTo(HistoryException.Kind.UNWRITABLE));
  }

  @Test
  void aDatabaseThatDoesNotExistSaysSo() {
    RealPostgres server = RealPostgres.shared();
    HistoryLocation missing =
        HistoryLocation.postgresql(server.url("no_such_database"), server.password());
    assertThatThrownBy(() -> open(missing))
        .hasMessageEndingWith(
            "the database does not exist (create it first, for example with createdb)");
  }
}
