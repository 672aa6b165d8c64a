package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.exporter.testing.Chromium;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Observation;
import io.github.dockerpulls.history.Retention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/** {@code report -f html} writes one file that opens from disk with no request at all. */
class ReportHtmlBrowserTest {
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  @TempDir Path dir;

  @Test
  void theHtmlReportOpensFromAFileWithoutARequestAndDrawsTheHistory() throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    Path data = dir.resolve("data");
    try (HistoryStore store = HistoryStore.open(data, Retention.DEFAULT, clock)) {
      List<Observation> observations = new ArrayList<>();
      for (int day = 100; day >= 0; day--) {
        Instant at = NOW.minus(Duration.ofDays(day)).minusSeconds(600);
        observations.add(
            new Observation(
                "camunda",
                "zeebe",
                at,
                5_000_000L + 2_000L * (100 - day),
                OptionalLong.of(42),
                Optional.of(Instant.parse("2026-11-30T10:00:00Z"))));
        observations.add(
            new Observation(
                "camunda",
                "operate",
                at,
                800_000L + 300L * (100 - day),
                OptionalLong.of(7),
                Optional.empty()));
      }
      store.record(observations);
    }
    Path page = dir.resolve("report.html");
    CliRun run =
        CliRun.run(
            clock,
            Map.of("DOCKERPULLS_DATA_DIR", data.toString()),
            "report",
            "--org",
            "camunda",
            "-f",
            "html",
            "--output",
            page.toString());
    assertThat(run.exitCode).as(run.toString()).isZero();
    String html = Files.readString(page);
    assertThat(html)
        .doesNotContain("src=\"http", "href=\"http://", "<link", "<script src")
        .contains("<script type=\"application/json\" id=\"dockerpulls-data\">");

    ChromeDriver browser = Chromium.start();
    try {
      browser.get(page.toUri().toString());
      Chromium.awaitReady(browser);
      // Nothing was fetched: data, script and styles are all in the file.
      assertThat(Chromium.js(browser, "return performance.getEntriesByType('resource').length"))
          .isEqualTo(0L);
      assertThat(Chromium.js(browser, "return window.dockerpulls.error || ''")).isEqualTo("");
      // The last 30 days by day: 31 periods (the first and the current one are partial).
      assertThat(((Number) Chromium.js(browser, "return window.dockerpulls.points")).intValue())
          .isEqualTo(31);
      assertThat(browser.findElements(By.cssSelector("table.repositories tbody tr"))).hasSize(2);
      assertThat(browser.findElement(By.cssSelector(".figures")).getText())
          .contains("6,030,000") // 5,200,000 + 830,000
          .contains("49"); // stars: 42 + 7
      assertThat(
              browser.findElements(By.cssSelector("button[data-value]")).stream()
                  .map(b -> b.getAttribute("data-value"))
                  .toList())
          .containsExactly("7d", "30d", "90d", "1y");
      // When it was made, to the second.
      assertThat(browser.findElement(By.cssSelector("header p.muted")).getText())
          .matches(".*, made \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC\\.");
      Chromium.shot(browser, "report-30d");
      browser.findElement(By.cssSelector("button[data-value='1y']")).click();
      Chromium.awaitReady(browser);
      assertThat(browser.findElement(By.tagName("h2")).getText()).isEqualTo("Pulls per week");
      // The year is longer than the history: the chart starts with the week it began, and says so.
      assertThat(((Number) Chromium.js(browser, "return window.dockerpulls.points")).intValue())
          .isBetween(2, 51);
      assertThat(browser.findElement(By.cssSelector("p.history-start")).getText())
          .contains("so the chart starts there");
      Chromium.shot(browser, "report-1y");
      assertThat(Chromium.js(browser, "return performance.getEntriesByType('resource').length"))
          .isEqualTo(0L);
    } finally {
      browser.quit();
    }
  }
}
