package io.github.dockerpulls.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.Target;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer killed with SIGKILL in the middle of its writes loses nothing it had committed. */
class CrashTest {
  @TempDir Path dir;

  @Test
  void killNineMidWriteLosesNothingCommittedAndLeavesAReadableFile() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // Recent enough that no thinning applies: every committed row must still be there.
    Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(2));
    Process writer =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashingWriter.class.getName(),
                dir.toString(),
                start.toString())
            .redirectErrorStream(true)
            .start();
    int committed = 0;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        assertThat(line).startsWith("committed ");
        committed = Integer.parseInt(line.substring("committed ".length()));
        if (committed >= 30) {
          writer.destroyForcibly(); // SIGKILL: no shutdown hook, no close, mid-transaction
          break;
        }
      }
    } finally {
      writer.destroyForcibly();
      assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(committed).isEqualTo(30);

    Path file = dir.resolve(HistoryStore.FILE_NAME);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
        assertThat(r.getString(1)).isEqualTo("ok");
      }
      try (ResultSet r =
          s.executeQuery(
              "SELECT (SELECT count(*) FROM observation) + (SELECT count(*) FROM recent)")) {
        long rows = r.getLong(1);
        // Every transaction it reported, and none in part.
        assertThat(rows).isGreaterThanOrEqualTo(30 * 500L);
        assertThat(rows % 500).isZero();
      }
    }
    try (HistoryStore store = HistoryStore.open(dir, Retention.DEFAULT, Clock.systemUTC())) {
      HistoryReport report =
          store.report(
              List.of(Target.parse("crash")),
              start,
              start.plus(Duration.ofMinutes(29)),
              Granularity.DAY,
              ZoneOffset.UTC);
      assertThat(report.repositories()).hasSize(500);
      assertThat(report.repositories().get(0).pulls()).isEqualTo(29);
    }
  }
}
