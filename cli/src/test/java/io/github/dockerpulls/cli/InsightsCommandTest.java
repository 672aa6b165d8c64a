package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import io.github.dockerpulls.hub.testing.FakeInsights;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import insights} and {@code report --tags}, through the command line. */
class InsightsCommandTest {
  private static final LocalDate FIRST = LocalDate.parse("2026-09-28");
  private final FakeClock clock = new FakeClock(Instant.parse("2026-12-04T12:00:00Z"));
  private final FakeHub hub = new FakeHub().credentials("ci", "secret-token");
  private final FakeInsights insights =
      new FakeInsights(
          hub.url(), "acme", List.of("app", "worker"), List.of("1.0", "2.0"), FIRST, 10);
  @TempDir Path data;

  @AfterEach
  void close() throws Exception {
    hub.close();
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("DOCKERPULLS_DATA_DIR", data.resolve("history").toString());
    env.put("DOCKERHUB_TOKEN", "secret-token");
    return env;
  }

  @Test
  void importsAnOrganizationTwiceAndReportsItsTagsWeekByWeek() throws Exception {
    hub.hook(insights).organization("acme", 0);
    hub.organizationItems(
        "acme",
        List.of(
            FakeHub.listItem("acme", "app", 10, 0, "2026-11-01T00:00:00Z"),
            FakeHub.listItem("acme", "worker", 5, 0, "2026-11-01T00:00:00Z")));
    CliRun run =
        CliRun.run(
            clock,
            env(),
            "import",
            "insights",
            "--org",
            "acme",
            "--username",
            "ci",
            "--hub-url",
            hub.url());
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out)
        .isEqualTo(
            "imported the Insights of acme: 54 figures, 36 repository periods, from 18 exported"
                + " files (54 rows) and the JSON pulls of 2 repositories (for the weeks and months no"
                + " export covers), 2026-09-28 to 2026-11-23\n");
    assertThat(run.err).isEmpty();
    CliRun json =
        CliRun.run(
            clock, env(), "report", "--by", "week", "--since", "10w", "--tags", "-f", "json");
    CliRun again =
        CliRun.run(
            clock,
            env(),
            "import",
            "insights",
            "--org",
            "acme",
            "--username",
            "ci",
            "--hub-url",
            hub.url());
    assertThat(again.out).contains("9 periods done before");
    CliRun json2 =
        CliRun.run(
            clock, env(), "report", "--by", "week", "--since", "10w", "--tags", "-f", "json");
    assertThat(json2.out).isEqualTo(json.out);
    LocalDate week = FIRST.plusWeeks(4);
    long dl = FakeInsights.downloads("worker", "2.0", week);
    long vc = FakeInsights.versionChecks("worker", "2.0", week);
    assertThat(json.out)
        .contains(
            "{\"start\":\""
                + week
                + "T00:00:00Z\",\"end\":\""
                + week.plusWeeks(1)
                + "T00:00:00Z\",\"pulls\":"
                + (dl + vc)
                + ",\"downloads\":"
                + dl
                + ",\"version_checks\":"
                + vc
                + "}");

    CliRun csv =
        CliRun.run(
            clock, env(), "report", "--by", "week", "--since", "10w", "--tag", "2.*", "-f", "csv");
    assertThat(csv.out)
        .startsWith("namespace,name,tag,start,end,pulls,downloads,version_checks,unique_ips\r\n")
        .contains(
            "acme,worker,2.0,"
                + week
                + "T00:00:00Z,"
                + week.plusWeeks(1)
                + "T00:00:00Z,"
                + (dl + vc)
                + ","
                + dl
                + ","
                + vc
                + ",\r\n")
        .doesNotContain(",1.0,");
    CliRun table = CliRun.run(clock, env(), "report", "--by", "week", "--since", "10w", "--tags");
    assertThat(table.exitCode).as(table.toString()).isZero();
    assertThat(table.out)
        .contains("acme/app")
        .contains("  insights, 9 periods")
        .contains("    2.0");
  }

  @Test
  void importsDownloadedFilesAndSaysWhatItSkipped() throws Exception {
    StringWriter trends = new StringWriter();
    insights.writeTrends(trends);
    Path gz = data.resolve("acme-trends.csv.gz");
    Files.write(gz, FakeInsights.gzip(trends.toString()));
    Path notAReport = data.resolve("pulls.csv");
    Files.writeString(notAReport, "when,what\n2026-11-16,3\n", StandardCharsets.UTF_8);
    CliRun run =
        CliRun.run(
            clock,
            env(),
            "import",
            "insights",
            "--file",
            gz.toString(),
            "--file",
            notAReport.toString());
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.PARTIAL);
    assertThat(run.out)
        .startsWith(
            "imported 108 of 120 rows of the trends report acme-trends.csv.gz: 18 repository"
                + " periods, 2026-09-28 to 2026-11-23; skipped 12 rows of a period not complete yet");
    assertThat(run.err)
        .isEqualTo(
            "dockerpulls: pulls.csv: columns when, what are not a Docker Hub Insights summary or"
                + " trends report\n");
    CliRun json =
        CliRun.run(
            clock, env(), "report", "--by", "week", "--since", "10w", "--tags", "-f", "json");
    long dl = FakeInsights.downloads("app", "1.0", FIRST);
    long vc = FakeInsights.versionChecks("app", "1.0", FIRST);
    // Sorted by the counter, the repositories known only from Insights still come, after the rest.
    CliRun sorted =
        CliRun.run(
            clock, env(), "report", "--by", "week", "--since", "10w", "--tags", "-s", "pulls", "-f",
            "json");
    assertThat(sorted.out).contains("\"name\": \"app\"").contains("\"name\": \"worker\"");
    assertThat(json.out)
        .contains("\"pull_count\": null")
        .contains(
            "{\"start\":\""
                + FIRST
                + "T00:00:00Z\",\"end\":\""
                + FIRST.plusWeeks(1)
                + "T00:00:00Z\",\"pulls\":"
                + (dl + vc)
                + ",\"downloads\":"
                + dl
                + ",\"version_checks\":"
                + vc
                + "}");
  }

  @Test
  void anOrganizationWithoutInsightsIsOneLineAndExitOne() {
    hub.hook(insights).organization("other", 1);
    CliRun run =
        CliRun.run(
            clock,
            env(),
            "import",
            "insights",
            "--org",
            "other",
            "--username",
            "ci",
            "--hub-url",
            hub.url());
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(run.err)
        .isEqualTo(
            "dockerpulls: no Insights for 'other': Docker Hub offers them to Docker Verified"
                + " Publishers and Docker-Sponsored Open Source namespaces, to their members\n"
                + "dockerpulls: nothing was imported\n");
  }

  @Test
  void badInputIsOneLineAndExitTwo() {
    Map<List<String>, String> cases =
        Map.of(
            List.of("import", "insights"), "say what to import: --org NAMESPACE or --file FILE",
            List.of("import", "insights", "--org", "Not Valid"), "--org: invalid namespace",
            List.of("report", "--tags"), "--tags: Insights are totals of weeks or months",
            List.of("report", "--tag", "", "--by", "week"), "--tag: give a tag",
            List.of("report", "--tags", "--by", "week", "-f", "html"),
                "the HTML report has no tags");
    cases.forEach((args, message) -> CliRun.assertBadInput(hub, clock, args, message));
  }
}
