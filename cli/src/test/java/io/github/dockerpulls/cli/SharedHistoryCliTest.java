package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.history.Histories;
import io.github.dockerpulls.history.HistoryLocation;
import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import io.github.dockerpulls.hub.testing.RealPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The commands on a history in a real PostgreSQL: two {@code serve} replicas on one database, a
 * history copied from SQLite and reported from PostgreSQL.
 */
class SharedHistoryCliTest {
  private final FakeHub fake = new FakeHub();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<ServeCommand> serving = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (ServeCommand s : serving) {
      s.stop.countDown();
    }
    for (Thread t : threads) {
      t.join(10_000);
    }
    fake.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The database as the environment names it: DOCKERPULLS_HISTORY_URL and PGPASSWORD. */
  private static Map<String, String> env(HistoryLocation db) {
    Map<String, String> env = new HashMap<>();
    env.put("DOCKERPULLS_HISTORY_URL", db.toString());
    env.put("PGPASSWORD", RealPostgres.shared().password());
    return env;
  }

  private int startServe(Map<String, String> env, StringWriter err) throws Exception {
    int port = freePort();
    CommandLine cl = CliRun.commandLine(Clock.systemUTC(), env);
    cl.setErr(new PrintWriter(err, true));
    ServeCommand serve = cl.getSubcommands().get("serve").getCommand();
    String[] args = {
      "serve",
      "--hub-url",
      fake.url(),
      "--port",
      Integer.toString(port),
      "--listen-address",
      "127.0.0.1",
      "--org",
      "camunda",
      "--interval",
      "1s"
    };
    Thread t = new Thread(() -> DockerPulls.execute(cl, args));
    t.start();
    serving.add(serve);
    threads.add(t);
    assertThat(serve.listening.await(10, TimeUnit.SECONDS)).as(err.toString()).isTrue();
    return port;
  }

  private String get(int port, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void twoServeReplicasOnOneDatabaseRecordEachObservationOnceAndAnswerAlike() throws Exception {
    fake.organizationItems(
        "camunda",
        List.of(
            FakeHub.listItem("camunda", "zeebe", 9_876_543L, 120, "2026-11-21T17:45:30Z"),
            FakeHub.listItem("camunda", "operate", 1_234L, 5, "2026-11-21T17:45:30Z")));
    HistoryLocation db = Histories.newDatabase();
    StringWriter errA = new StringWriter();
    StringWriter errB = new StringWriter();
    int a = startServe(env(db), errA);
    int b = startServe(env(db), errB);
    Thread.sleep(3_500);
    for (ServeCommand s : serving) {
      s.stop.countDown();
    }
    for (Thread t : threads) {
      t.join(10_000);
    }
    assertThat(errA.toString()).contains("recording history in " + db);
    long rows;
    long distinct;
    long seconds;
    Properties p = new Properties();
    p.setProperty("user", RealPostgres.USER);
    p.setProperty("password", RealPostgres.shared().password());
    String name = db.toString().replaceAll(".*/([^/?]+)\\?.*", "$1");
    try (Connection c = DriverManager.getConnection(RealPostgres.shared().jdbcUrl(name), p);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT count(*), count(DISTINCT (repository_id, observed_at)),"
                    + " count(DISTINCT observed_at) FROM recent")) {
      r.next();
      rows = r.getLong(1);
      distinct = r.getLong(2);
      seconds = r.getLong(3);
    }
    // Both replicas refreshed each second; each aligned second is stored once per repository.
    assertThat(seconds).isGreaterThanOrEqualTo(2);
    assertThat(rows).isEqualTo(distinct).isEqualTo(2 * seconds);
    // Restarted, each answers the history API with the same figures.
    StringWriter err2 = new StringWriter();
    serving.clear();
    threads.clear();
    int c = startServe(env(db), err2);
    int d = startServe(env(db), new StringWriter());
    String since = "/api/v1/history?org=camunda&since=1d&by=day";
    // Asked a few milliseconds apart: all but "until" (now) is the same.
    String untilIsNow = "\"until\":\"[^\"]*\"";
    assertThat(get(c, since).replaceAll(untilIsNow, ""))
        .contains("\"name\":\"zeebe\"")
        .isEqualTo(get(d, since).replaceAll(untilIsNow, ""));
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void aReplicaStartedBeforeItsDatabaseRecordsOnceTheDatabaseIsThere() throws Exception {
    fake.organizationItems(
        "camunda",
        List.of(FakeHub.listItem("camunda", "zeebe", 1_000L, 1, "2026-11-21T17:45:30Z")));
    String name = "later_" + System.nanoTime();
    HistoryLocation db = Histories.database(name);
    StringWriter err = new StringWriter();
    startServe(env(db), err);
    for (int i = 0; i < 100 && !err.toString().contains("recording starts"); i++) {
      Thread.sleep(20);
    }
    assertThat(err.toString())
        .contains(
            "history: cannot open the history "
                + db
                + ": the database does not exist (create it first, for example with createdb);"
                + " recording starts when it can be reached");
    Thread.sleep(1_500); // a refresh or two without the database
    Histories.create(name);
    long rows = 0;
    for (int i = 0; i < 100 && rows == 0; i++) {
      Thread.sleep(100);
      try (Connection c = Histories.connect(db);
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT count(*) FROM information_schema.tables WHERE table_name = 'recent'")) {
        r.next();
        if (r.getLong(1) > 0) {
          try (ResultSet n = s.executeQuery("SELECT count(*) FROM recent")) {
            n.next();
            rows = n.getLong(1);
          }
        }
      }
    }
    assertThat(rows).as(err.toString()).isPositive();
    for (int i = 0; i < 100 && !err.toString().contains("recording again"); i++) {
      Thread.sleep(20);
    }
    assertThat(err.toString()).contains("history: recording again in " + db);
  }

  @Test
  void aHistoryCopiedFromSqliteIsReportedFromPostgresqlAlike(@TempDir Path data) throws Exception {
    fake.organizationItems(
        "camunda",
        List.of(FakeHub.listItem("camunda", "zeebe", 1_000L, 1, "2026-11-21T17:45:30Z")));
    FakeClock clock = new FakeClock(Instant.parse("2026-11-20T00:00:00Z"));
    Map<String, String> sqlite = Map.of("DOCKERPULLS_DATA_DIR", data.toString());
    for (int i = 0; i < 8; i++) {
      fake.organizationItems(
          "camunda",
          List.of(
              FakeHub.listItem("camunda", "zeebe", 1_000L + 250L * i, 1, "2026-11-21T17:45:30Z")));
      CliRun export =
          CliRun.run(clock, sqlite, "export", "--hub-url", fake.url(), "--org", "camunda");
      assertThat(export.exitCode).as(export.toString()).isZero();
      clock.advance(Duration.ofHours(12));
    }
    String[] report = {"report", "--org", "camunda", "--since", "7d", "-f", "json"};
    CliRun fromSqlite = CliRun.run(clock, sqlite, report);
    assertThat(fromSqlite.exitCode).as(fromSqlite.toString()).isZero();

    HistoryLocation db = Histories.newDatabase();
    Path password = data.resolve("pg-password");
    Files.writeString(password, RealPostgres.shared().password() + "\n");
    CliRun copy = copy(clock, data, db, password);
    assertThat(copy.exitCode).as(copy.toString()).isZero();
    assertThat(copy.out)
        .isEqualTo(
            "copied 1 repository, 8 observations and 0 Insights figures from "
                + data.resolve("dockerpulls.db")
                + " to "
                + db
                + "; the counts of every table agree\n");
    CliRun fromPostgresql = CliRun.run(clock, env(db), report);
    assertThat(fromPostgresql.exitCode).as(fromPostgresql.toString()).isZero();
    assertThat(fromPostgresql.out).isEqualTo(fromSqlite.out).contains("\"pulls\": 1750,");

    CliRun again = copy(clock, data, db, password);
    assertThat(again.exitCode).isEqualTo(ExitCode.FAILED);
    assertThat(again.err)
        .isEqualTo(
            "dockerpulls: "
                + db
                + " already holds a history (1 repository); copy into an empty"
                + " one\n");
  }

  /** {@code history copy} of the SQLite history in {@code data} to {@code db}. */
  private static CliRun copy(Clock clock, Path data, HistoryLocation db, Path password) {
    return CliRun.run(
        clock,
        Map.of(),
        "history",
        "copy",
        "--from",
        "sqlite:" + data,
        "--to",
        db.toString(),
        "--to-password-file",
        password.toString());
  }

  @Test
  void aBackfillWithoutElasticsearchOrWithABadSinceIsBadInput() {
    CliRun noUrl =
        CliRun.run(Clock.systemUTC(), Map.of(), "history", "backfill", "--to", "elasticsearch");
    assertThat(noUrl.exitCode).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(noUrl.err)
        .startsWith("dockerpulls: --to elasticsearch needs --es-url URL (or env ES_URL)\n");
    CliRun since =
        CliRun.run(
            Clock.systemUTC(),
            Map.of(),
            "history",
            "backfill",
            "--to",
            "elasticsearch",
            "--since",
            "someday");
    assertThat(since.exitCode).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(since.err).startsWith("dockerpulls: --since: ");
    CliRun where = CliRun.run(Clock.systemUTC(), Map.of(), "history", "backfill", "--to", "kafka");
    assertThat(where.exitCode).isEqualTo(ExitCode.BAD_INPUT);
  }

  @Test
  void aHistoryUrlThatIsNoPostgresqlUrlIsBadInput() {
    CliRun run =
        CliRun.run(
            Clock.systemUTC(),
            Map.of(),
            "report",
            "--org",
            "camunda",
            "--history-url",
            "postgresql://db.example/?user=x");
    assertThat(run.exitCode).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(run.err)
        .startsWith(
            "dockerpulls: --history-url: the history URL names no database:"
                + " postgresql://db.example/DATABASE\n");
    CliRun noFile =
        CliRun.run(
            Clock.systemUTC(),
            Map.of(),
            "report",
            "--org",
            "camunda",
            "--history-url",
            "postgresql://db.example/pulls?user=x",
            "--history-password-file",
            "/nonexistent/pg-password");
    assertThat(noFile.exitCode).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(noFile.err).startsWith("dockerpulls: --history-password-file: the file does not");
    CliRun copyNoFile =
        CliRun.run(
            Clock.systemUTC(),
            Map.of(),
            "history",
            "copy",
            "--from",
            "postgresql://db.example/a?user=x",
            "--to",
            "postgresql://db.example/b?user=x",
            "--from-password-file",
            "/nonexistent/pg-password");
    assertThat(copyNoFile.exitCode).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(copyNoFile.err).startsWith("dockerpulls: --from-password-file: the file does not");
    CliRun copyBadUrl =
        CliRun.run(
            Clock.systemUTC(),
            Map.of(),
            "history",
            "copy",
            "--from",
            "postgresql://h/",
            "--to",
            "postgresql://h/b");
    assertThat(copyBadUrl.err)
        .startsWith(
            "dockerpulls: --from: the history URL names no database: postgresql://h/DATABASE");
    CliRun noUrl =
        CliRun.run(
            Clock.systemUTC(),
            Map.of(),
            "report",
            "--org",
            "camunda",
            "--history-password-file",
            "/nonexistent/pg-password");
    assertThat(noUrl.exitCode).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(noUrl.err)
        .startsWith(
            "dockerpulls: --history-password-file is the password of --history-url's user: give"
                + " the URL too\n");
  }
}
