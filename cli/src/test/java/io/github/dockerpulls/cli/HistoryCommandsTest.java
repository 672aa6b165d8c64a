package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.squareup.moshi.Moshi;
import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export and serve record the history; report reads it back. */
class HistoryCommandsTest {
  private final FakeHub fake = new FakeHub();
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-20T00:00:00Z"));

  @TempDir Path data;

  @AfterEach
  void close() {
    fake.close();
  }

  private Map<String, String> env() {
    return Map.of("DOCKERPULLS_DATA_DIR", data.toString());
  }

  private CliRun run(String command, String... args) {
    Stream<String> head =
        command.equals("report") ? Stream.of(command) : Stream.of(command, "--hub-url", fake.url());
    return CliRun.run(clock, env(), Stream.concat(head, Stream.of(args)).toArray(String[]::new));
  }

  private void httpdHas(long pulls) {
    fake.repository(
        "library",
        "httpd",
        FakeHub.repositoryJson("library", "httpd", pulls, 3318, 0, "2021-01-12T13:42:29Z"));
  }

  /** Exports library/httpd every 6 hours for {@code days}, 1,000 pulls per 6 hours. */
  private void exportEverySixHours(int days) {
    for (int i = 0; i <= days * 4; i++) {
      httpdHas(1_000_000L + 1000L * i);
      CliRun run = run("export", "--repo", "library/httpd", "-f", "json");
      assertThat(run.exitCode).as(run.toString()).isZero();
      if (i < days * 4) {
        clock.advance(Duration.ofHours(6));
      }
    }
  }

  @Test
  void exportGainsTheRecentPullsOnceTheHistoryKnowsThem() {
    httpdHas(1_000_000L);
    CliRun first = run("export", "--repo", "library/httpd");
    assertThat(first.exitCode).as(first.toString()).isZero();
    assertThat(first.out).doesNotContain("24H");
    assertThat(data.resolve("dockerpulls.db")).isRegularFile();

    clock.advance(Duration.ofHours(24));
    httpdHas(1_002_400L);
    CliRun table = run("export", "--repo", "library/httpd");
    assertThat(table.out.lines().findFirst().orElseThrow())
        .matches("REPOSITORY\\s+PULLS\\s+24H\\s+7D\\s+30D\\s+STARS\\s+LAST UPDATED");
    assertThat(table.out).containsPattern("library/httpd\\s+1,002,400\\s+2,400\\s+2,400\\s+2,400");

    clock.advance(Duration.ofHours(1));
    CliRun json = run("export", "--repo", "library/httpd", "-f", "ndjson");
    assertThat(json.out).contains("\"pulls_24h\":2300,\"pulls_7d\":2400,\"pulls_30d\":2400}");
    CliRun csv = run("export", "--repo", "library/httpd", "-f", "csv");
    assertThat(csv.out)
        .startsWith(
            "namespace,name,pull_count,star_count,last_updated,observed_at,pulls_24h,pulls_7d,"
                + "pulls_30d\r\n");
  }

  @Test
  void whatTheLibrariesLogIsOneLineInTheCommandsOwnStyle() {
    httpdHas(1_000_000L);
    assertThat(run("export", "--repo", "library/httpd").exitCode).isZero();
    clock.advance(Duration.ofHours(1));
    httpdHas(999_000L); // Docker Hub corrects the count downwards: the history logs a warning
    CliRun run = run("export", "--repo", "library/httpd");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.err.lines())
        .singleElement()
        .asString()
        .startsWith("dockerpulls: warning: the pull count of library/httpd 1000000 -> 999000 went")
        .doesNotContain("WARNING:");
  }

  @Test
  void aHistoryWhoseContentIsDamagedFailsTheExportAfterPrintingIt() throws Exception {
    httpdHas(1_000_000L);
    assertThat(run("export", "--repo", "library/httpd").exitCode).isZero();
    Path file = data.resolve("dockerpulls.db");
    byte[] bytes = java.nio.file.Files.readAllBytes(file);
    // The header stays valid; every page after the first becomes noise.
    java.util.Random noise = new java.util.Random(7);
    for (int i = 4096; i < bytes.length; i++) {
      bytes[i] = (byte) noise.nextInt();
    }
    java.nio.file.Files.write(file, bytes);
    clock.advance(Duration.ofHours(1));
    CliRun run = run("export", "--repo", "library/httpd");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(run.out).contains("library/httpd");
    assertThat(run.err).contains("is damaged or not a database").contains("--no-history");
    CliRun report = run("report", "--repo", "library/httpd");
    assertThat(report.exitCode).as(report.toString()).isEqualTo(ExitCode.FAILED);
  }

  @Test
  void reportWithoutTargetsReportsEveryRepositoryOfTheHistory() throws Exception {
    exportEverySixHours(2);
    CliRun all = run("report", "--since", "2d", "-f", "csv");
    assertThat(all.exitCode).as(all.toString()).isZero();
    assertThat(all.out).contains("library,httpd,");
  }

  @Test
  void reportShowsThePullsPerDayAsJsonTableAndCsv() throws Exception {
    exportEverySixHours(3);
    CliRun json = run("report", "--repo", "library/httpd", "--since", "3d", "-f", "json");
    assertThat(json.exitCode).as(json.toString()).isZero();
    Map<?, ?> doc = new Moshi.Builder().build().adapter(Map.class).fromJson(json.out);
    assertThat(doc.get("by")).isEqualTo("day");
    assertThat(doc.get("since")).isEqualTo("2026-11-20T00:00:00Z");
    assertThat(doc.get("until")).isEqualTo("2026-11-23T00:00:00Z");
    Map<?, ?> httpd = (Map<?, ?>) ((List<?>) doc.get("repositories")).get(0);
    assertThat(httpd.get("pull_count")).isEqualTo(1_012_000.0);
    assertThat(httpd.get("pulls")).isEqualTo(12_000.0);
    List<Object> perDay =
        ((List<?>) httpd.get("series"))
            .stream().map(p -> (Object) ((Map<?, ?>) p).get("pulls")).toList();
    assertThat(perDay).containsExactly(4000.0, 4000.0, 4000.0);

    CliRun table = run("report", "--org", "library", "--since", "3d");
    assertThat(table.exitCode).as(table.toString()).isZero();
    assertThat(table.out.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
    assertThat(table.out)
        .contains("Pulls per day, 2026-11-20 00:00 to 2026-11-23 00:00 UTC")
        .containsPattern("library/httpd\\s+1M\\s+12k\\s+4k\\s+-\\s+▄▄▄")
        .containsPattern("library \\(1 repo\\)\\s+1M\\s+12k");

    CliRun csv = run("report", "--repo", "library/httpd", "--since", "2d", "-f", "csv");
    assertThat(csv.out.split("\r\n"))
        .containsExactly(
            "namespace,name,start,end,pulls,coverage",
            "library,httpd,2026-11-21T00:00:00Z,2026-11-22T00:00:00Z,4000,1",
            "library,httpd,2026-11-22T00:00:00Z,2026-11-23T00:00:00Z,4000,1");
  }

  @Test
  void reportNeverCallsDockerHub() {
    exportEverySixHours(1);
    int before = fake.requests().size();
    CliRun run = run("report", "--repo", "library/httpd", "--by", "week");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(fake.requests()).hasSize(before);
  }

  @Test
  void aDamagedHistoryStopsTheExportBeforeDockerHubIsAskedAndIsNotOverwritten() throws Exception {
    byte[] junk = "not a database\n".repeat(200).getBytes(StandardCharsets.UTF_8);
    Files.write(data.resolve("dockerpulls.db"), junk);
    httpdHas(1);
    CliRun run = run("export", "--repo", "library/httpd");
    assertThat(run.exitCode).isEqualTo(ExitCode.FAILED);
    assertThat(run.err.lines().toList())
        .singleElement()
        .asString()
        .contains("is damaged or not a database")
        .contains("--no-history");
    assertThat(fake.requests()).isEmpty();
    assertThat(Files.readAllBytes(data.resolve("dockerpulls.db"))).isEqualTo(junk);

    CliRun report = run("report", "--repo", "library/httpd");
    assertThat(report.exitCode).isEqualTo(ExitCode.FAILED);
    assertThat(report.err.lines().toList()).singleElement();

    CliRun without = run("export", "--repo", "library/httpd", "--no-history");
    assertThat(without.exitCode).as(without.toString()).isZero();
  }

  @Test
  void aHistoryDamagedBehindAGoodHeaderIsReportedAfterTheExportWasPrinted() throws Exception {
    httpdHas(1);
    assertThat(run("export", "--repo", "library/httpd").exitCode).isZero();
    Path file = data.resolve("dockerpulls.db");
    byte[] bytes = Files.readAllBytes(file);
    java.util.Arrays.fill(bytes, 100, bytes.length, (byte) 0x5a); // the header stays as it was
    Files.write(file, bytes);
    httpdHas(2);
    CliRun run = run("export", "--repo", "library/httpd");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(run.out).contains("library/httpd");
    assertThat(run.err.lines().toList())
        .singleElement()
        .asString()
        .contains("is damaged or not a database")
        .contains("--no-history");
    assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
  }

  @Test
  void aHistoryThatCannotBeWrittenCostsOneLineAndTheExportStillPrints() throws Exception {
    Path file = Files.writeString(data.resolve("in-the-way"), "x");
    httpdHas(42);
    CliRun run =
        CliRun.run(
            clock,
            Map.of("DOCKERPULLS_DATA_DIR", file.resolve("history").toString()),
            "export",
            "--hub-url",
            fake.url(),
            "--repo",
            "library/httpd");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).contains("library/httpd");
    assertThat(run.err.lines().toList())
        .singleElement()
        .asString()
        .startsWith("dockerpulls: warning: no history recorded: cannot create the history");
  }

  @Test
  void noHistoryRecordsNothing() {
    httpdHas(1);
    CliRun run = run("export", "--repo", "library/httpd", "--no-history");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(data.resolve("dockerpulls.db")).doesNotExist();
  }

  @Test
  void reportWithoutAHistorySaysWhereItLooked() {
    CliRun run = run("report", "--org", "camunda");
    assertThat(run.exitCode).isEqualTo(ExitCode.FAILED);
    assertThat(run.err.lines().toList())
        .singleElement()
        .asString()
        .isEqualTo(
            "dockerpulls: no history in "
                + data
                + " yet: export or serve record one (or give --data-dir where they did)");
  }

  @Test
  void reportRejectsBadInputWithOneLine() {
    Map<List<String>, String> cases =
        Map.of(
            List.of("report", "--org", "camunda", "--since", "tomorrow"), "--since: 'tomorrow'",
            List.of("report", "--org", "camunda", "--by", "year"), "--by",
            List.of("report", "--org", "camunda", "--timezone", "Mars/Olympus"), "--timezone",
            List.of("report", "--org", "camunda", "-f", "html5"), "--format",
            List.of("report", "--repo", "a/b/c"), "a/b/c",
            List.of("report", "--org", "camunda", "--since", "0001-01-01"),
                "--since: '0001-01-01' is before 2013, when Docker Hub began",
            List.of("report", "--org", "camunda", "--since", "-999999999-01-01T00:00:00Z"),
                "--since: '-999999999-01-01T00:00:00Z' is before 2013");
    cases.forEach((args, message) -> CliRun.assertBadInput(fake, clock, args, message));
  }

  @Test
  void theSparklineAveragesItsPeriodsSoUnevenSharesShowNoFalsePattern() {
    List<io.github.dockerpulls.history.Period> days = new java.util.ArrayList<>();
    Instant t = Instant.parse("2026-10-24T00:00:00Z");
    for (int d = 0; d < 31; d++) {
      days.add(new io.github.dockerpulls.history.Period(t, t.plus(Duration.ofDays(1)), 4000L));
      t = t.plus(Duration.ofDays(1));
    }
    // 31 equal days in 18 characters: a flat line, although characters hold 1 or 2 days.
    assertThat(ReportFormat.sparkline(days, 18, t)).isEqualTo("▄".repeat(18));
    days.set(
        0, new io.github.dockerpulls.history.Period(days.get(0).start(), days.get(0).end(), null));
    days.set(
        30, new io.github.dockerpulls.history.Period(days.get(30).start(), days.get(30).end(), 0L));
    // From the smallest to the largest; a blank where nothing is known.
    assertThat(ReportFormat.sparkline(days, 31, t)).startsWith(" █").endsWith("█▁");
    days.set(
        15,
        new io.github.dockerpulls.history.Period(days.get(15).start(), days.get(15).end(), 2000L));
    assertThat(ReportFormat.sparkline(days, 31, t).charAt(15)).isEqualTo('▅');
    // The last day a quarter over with a quarter of its pulls: at full pace, not low.
    days.set(
        30,
        new io.github.dockerpulls.history.Period(days.get(30).start(), days.get(30).end(), 1000L));
    Instant quarter = days.get(30).start().plus(Duration.ofHours(6));
    assertThat(ReportFormat.sparkline(days, 31, quarter)).endsWith("█");
  }
}
