package io.github.dockerpulls.exporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import io.github.dockerpulls.exporter.ExporterServer;
import io.github.dockerpulls.exporter.metrics.SnapshotCollector;
import io.github.dockerpulls.exporter.metrics.TagCollector;
import io.github.dockerpulls.exporter.testing.Chromium;
import io.github.dockerpulls.exporter.testing.Snapshots;
import io.github.dockerpulls.history.Granularity;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.InsightFigure;
import io.github.dockerpulls.history.InsightsBatch;
import io.github.dockerpulls.history.Observation;
import io.github.dockerpulls.history.Retention;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Tag;
import io.github.dockerpulls.hub.TagsJson;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.text.CompactNumbers;
import io.github.dockerpulls.text.testing.CompactNumbersTable;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in a real browser: Debian's Chromium, headless, with every address but loopback
 * unreachable. Screenshots go to {@code target/screenshots/} for people to look at.
 */
class DashboardBrowserTest {
  static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  private static final Moshi MOSHI = new Moshi.Builder().build();

  @TempDir static Path dir;
  static HistoryStore store;
  static ExporterServer server;
  static ChromeDriver browser;
  static String origin;

  /** 40 days of daily observations of three repositories, then the exporter over them. */
  @BeforeAll
  static void start() throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    store = HistoryStore.open(dir.resolve("history"), Retention.DEFAULT, clock);
    List<Observation> observations = new ArrayList<>();
    long[] perDay = {1_500, 120, 40_000};
    String[][] names = {{"camunda", "zeebe"}, {"camunda", "operate"}, {"library", "httpd"}};
    List<RepositoryStats> latest = new ArrayList<>();
    for (int day = 40; day >= 0; day--) {
      Instant at = NOW.minus(Duration.ofDays(day)).minusSeconds(3600);
      for (int i = 0; i < names.length; i++) {
        if (i == 1 && day >= GAP_FROM_DAY && day < GAP_FROM_DAY + GAP_DAYS) {
          continue; // camunda/operate was not observed for three days
        }
        long count = 1_000_000L * (i + 1) + perDay[i] * (40 - day) + (day % 7) * 10L;
        // camunda/zeebe gains a star every ten days and is pushed 25 and 12 days before NOW.
        boolean zeebe = i == 0;
        long stars = 10L * (i + 1) + (zeebe ? (40 - day) / 10 : 0);
        Instant pushed =
            zeebe && day < 12
                ? Instant.parse("2026-11-21T09:00:00Z")
                : zeebe && day < 25
                    ? Instant.parse("2026-11-08T09:00:00Z")
                    : Instant.parse("2026-11-0" + (i + 1) + "T08:00:00Z");
        RepositoryStats r =
            new RepositoryStats(
                names[i][0],
                names[i][1],
                count,
                OptionalLong.of(stars),
                Optional.of(pushed),
                OptionalLong.empty(),
                zeebe ? Optional.of(DESCRIPTION) : Optional.empty());
        observations.add(Observation.of(at, r));
        if (day == 0) {
          latest.add(r);
        }
      }
    }
    store.record(observations);
    // Twelve complete weeks of Insights for camunda/zeebe: 8.7.0 taking over from 8.6.0, and
    // eleven more tags that the history sums as (other) beyond the ten it keeps.
    try (InsightsBatch batch = store.insights(InsightsBatch.Source.TRENDS_FILE)) {
      java.time.LocalDate monday = java.time.LocalDate.parse("2026-11-23");
      for (int w = 0; w < WEEKS; w++) {
        java.time.LocalDate week = monday.minusWeeks(WEEKS - 1 - w);
        long total = 0;
        for (int t = 0; t < 14; t++) {
          String tag =
              t == 0
                  ? "8.7.0"
                  : t == 1 ? "8.6.0" : t == 2 ? "latest" : "8." + (t + 2) / 3 + "." + t;
          long downloads = t == 0 ? 400L * w : t == 1 ? 4_000 - 300L * w : t == 2 ? 900 : 20 + t;
          long checks = downloads / 4;
          total += downloads + checks;
          batch.add(
              new InsightFigure(
                  Granularity.WEEK,
                  week,
                  "camunda",
                  "zeebe",
                  InsightFigure.Dimension.TAG,
                  tag,
                  downloads,
                  checks,
                  downloads + checks,
                  null));
        }
        batch.add(
            new InsightFigure(
                Granularity.WEEK,
                week,
                "camunda",
                "zeebe",
                InsightFigure.Dimension.REPOSITORY,
                "",
                total * 4 / 5,
                total / 5,
                total,
                300L + w));
      }
      batch.commit();
    }
    SnapshotCollector collector = new SnapshotCollector(true, null);
    collector.onSnapshot(
        Snapshots.of(
            NOW.minusSeconds(3600),
            Snapshots.ok("camunda", latest.get(0), latest.get(1)),
            Snapshots.ok("library/httpd", latest.get(2))));
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(collector);
    TagCollector tags = new TagCollector();
    tags.refreshed(
        Map.of(
            "camunda/zeebe",
            new TagsJson.Repository(
                "camunda",
                "zeebe",
                List.of(
                    tag("8.7.0", "2026-11-20T00:00:00Z", "2026-12-03T10:00:00Z"),
                    tag("8.6.0", "2026-08-01T00:00:00Z", "2026-11-30T00:00:00Z"),
                    tag("1.0.0", "2021-01-01T00:00:00Z", null)))),
        List.of(),
        List.of("camunda/zeebe", "camunda/operate", "library/httpd"),
        NOW);
    registry.register(tags);
    server =
        ExporterServer.builder()
            .host("127.0.0.1")
            .port(0)
            .collector(collector)
            .tags(tags)
            .registry(registry)
            .version("test")
            .clock(clock)
            .history(store, List.of(Target.parse("camunda"), Target.parse("library/httpd")))
            .start();
    origin = "http://127.0.0.1:" + server.port();

    browser = Chromium.start();
  }

  static final int WEEKS = 12;

  /** What Docker Hub says of camunda/zeebe, markup included: the page must show it as text. */
  static final String DESCRIPTION =
      "Workflow engine <script>window.injected = true</script> & \"more\"";

  static final int GAP_FROM_DAY = 15;
  static final int GAP_DAYS = 3;

  private static Tag tag(String name, String pushed, String pulled) {
    return new Tag(
        name,
        Optional.of("sha256:" + "ab".repeat(32)),
        OptionalLong.of(210_000_000),
        Optional.of(Instant.parse(pushed)),
        Optional.ofNullable(pulled).map(Instant::parse),
        Optional.of("active"),
        List.of(
            new Tag.Image(
                Optional.of("amd64"),
                Optional.of("linux"),
                OptionalLong.of(210_000_000),
                Optional.ofNullable(pulled).map(Instant::parse)),
            new Tag.Image(
                Optional.of("arm64"),
                Optional.of("linux"),
                OptionalLong.of(200_000_000),
                Optional.empty())));
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private static Object js(String script, Object... args) {
    return Chromium.js(browser, script, args);
  }

  private static void open(String path) {
    browser.get(origin + path);
    awaitReady();
  }

  private static void awaitReady() {
    Chromium.awaitReady(browser);
  }

  private static void shot(String name) throws IOException {
    Chromium.shot(browser, name);
  }

  private static Map<String, Object> api(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(origin + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    JsonAdapter<Map<String, Object>> adapter =
        MOSHI.adapter(Types.newParameterizedType(Map.class, String.class, Object.class));
    return adapter.fromJson(r.body());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> json, String key) {
    return (List<Map<String, Object>>) json.get(key);
  }

  /** Every resource the page loaded came from the exporter. */
  private static void onlyLoopbackWasAsked() {
    @SuppressWarnings("unchecked")
    List<String> urls =
        (List<String>)
            js(
                "return performance.getEntriesByType('resource').map(function (e) { return e.name; })");
    assertThat(urls).isNotEmpty().allSatisfy(u -> assertThat(u).startsWith(origin + "/"));
  }

  @Test
  void theOverviewDrawsTheApisFiguresWithNothingFromOutside() throws Exception {
    open("/");
    Map<String, Object> totals = api("/api/v1/history?series=total&since=30d&by=day");
    assertThat(((Number) js("return window.dockerpulls.points")).intValue())
        .isEqualTo(list(totals, "total").size())
        .isGreaterThanOrEqualTo(30);
    assertThat(browser.findElements(By.cssSelector(".chart canvas"))).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("table.chart-data tbody tr")))
        .hasSize(list(totals, "total").size());
    // The figures equal the API's: the total and each row's pulls in the window.
    Map<String, Object> status = api("/api/v1/status");
    long total =
        list(status, "repositories").stream()
            .mapToLong(r -> ((Number) r.get("pull_count")).longValue())
            .sum();
    assertThat(browser.findElement(By.cssSelector(".figures")).getText())
        .contains(String.format(java.util.Locale.ENGLISH, "%,d", total));
    for (Map<String, Object> r : list(totals, "repositories")) {
      String full = r.get("namespace") + "/" + r.get("name");
      WebElement row = browser.findElement(By.cssSelector("tr[data-repo='" + full + "']"));
      assertThat(row.findElements(By.tagName("td")).get(2).getText())
          .isEqualTo(
              String.format(
                  java.util.Locale.ENGLISH, "%,d", ((Number) r.get("pulls")).longValue()));
    }
    assertThat(browser.findElement(By.cssSelector("ul.targets")).getText())
        .contains("library/httpd: up, 1 repository")
        .contains("camunda: up, 2 repositories");
    onlyLoopbackWasAsked();
    shot("overview");

    // Dark follows the browser.
    browser.executeCdpCommand(
        "Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    open("/");
    assertThat(js("return getComputedStyle(document.body).backgroundColor"))
        .isEqualTo("rgb(13, 17, 23)");
    shot("overview-dark");
    browser.executeCdpCommand(
        "Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "light"))));
  }

  @Test
  void theTableSortsByAnyColumnFiltersByNameAndWorksFromTheKeyboard() throws Exception {
    open("/");
    List<String> byWindow = rowNames();
    assertThat(byWindow).containsExactly("library/httpd", "camunda/zeebe", "camunda/operate");
    WebElement stars = browser.findElement(By.cssSelector("button[data-sort='star_count']"));
    stars.click();
    assertThat(rowNames()).containsExactly("library/httpd", "camunda/operate", "camunda/zeebe");
    // Enter on the focused header sorts the other way.
    browser.findElement(By.cssSelector("button[data-sort='star_count']")).sendKeys(Keys.ENTER);
    assertThat(rowNames()).containsExactly("camunda/zeebe", "camunda/operate", "library/httpd");
    assertThat(
            browser
                .findElement(By.cssSelector("th[aria-sort='ascending'] button"))
                .getAttribute("data-sort"))
        .isEqualTo("star_count");
    WebElement filter = browser.findElement(By.cssSelector("input[type='search']"));
    long asked = ((Number) js("return window.dockerpulls.trendRequests || 0")).longValue();
    filter.sendKeys("camunda/");
    assertThat(rowNames()).containsExactly("camunda/zeebe", "camunda/operate");
    // The rows follow every key; their trends are asked for when the typing pauses.
    for (int i = 0;
        i < 100 && ((Number) js("return window.dockerpulls.trends")).intValue() < 2;
        i++) {
      Thread.sleep(20);
    }
    assertThat(((Number) js("return window.dockerpulls.trends")).intValue()).isEqualTo(2);
    assertThat(((Number) js("return window.dockerpulls.trendRequests")).longValue() - asked)
        .as("trend requests for 8 keys")
        .isLessThan(8);
    assertThat(browser.findElement(By.cssSelector(".page-info")).getText())
        .contains("2 of 3 repositories");
    shot("overview-filtered");
    filter.clear();
    filter.sendKeys("nothing-like-it");
    assertThat(rowNames()).isEmpty();
  }

  private static List<String> rowNames() {
    return browser.findElements(By.cssSelector("table.repositories tbody tr")).stream()
        .map(r -> r.getAttribute("data-repo"))
        .toList();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aRepositoryPageOpensFromItsRowWithItsChartAndDailyTable() throws Exception {
    open("/");
    browser.findElement(By.linkText("camunda/zeebe")).click();
    awaitReady();
    assertThat(browser.getCurrentUrl()).isEqualTo(origin + "/r/camunda/zeebe");
    Map<String, Object> history = api("/api/v1/history?repo=camunda/zeebe&since=30d&by=day");
    List<Map<String, Object>> series =
        (List<Map<String, Object>>) (Object) list(history, "repositories").get(0).get("series");
    assertThat(((Number) js("return window.dockerpulls.points")).intValue())
        .isEqualTo(series.size());
    List<WebElement> days = browser.findElements(By.cssSelector("table.chart-data tbody tr"));
    assertThat(days).hasSize(series.size());
    Object lastPulls = series.get(series.size() - 2).get("pulls");
    assertThat(days.get(series.size() - 2).findElements(By.tagName("td")).get(1).getText())
        .isEqualTo(
            String.format(java.util.Locale.ENGLISH, "%,d", ((Number) lastPulls).longValue()));
    assertThat(browser.findElement(By.tagName("main")).getText()).contains("All repositories");
    // Today is still running at NOW (noon): its bar is the pale one and its row says so; the
    // 30 days before are covered whole and carry no note.
    int last = series.size() - 1;
    assertThat(days.get(last).findElements(By.tagName("td")).get(2).getText())
        .isEqualTo("running, so far");
    for (int i = 0; i < last; i++) {
      assertThat(days.get(i).findElements(By.tagName("td")).get(2).getText())
          .as("row " + i)
          .isEmpty();
    }
    assertThat(((Number) js("return window.dockerpulls.marked")).intValue()).isEqualTo(1);
    // The Hub's description, as text: its markup is shown, not run.
    assertThat(browser.findElement(By.cssSelector("p.description")).getText())
        .isEqualTo(DESCRIPTION);
    assertThat(js("return window.injected === undefined")).isEqualTo(true);
    // Its pushes on the time axis and its stars over the window, as /api/v1/events has them.
    Map<String, Object> events = api("/api/v1/events?repo=camunda/zeebe&since=30d");
    assertThat((List<Object>) (Object) events.get("pushes"))
        .containsExactly("2026-11-08T09:00:00Z", "2026-11-21T09:00:00Z");
    assertThat(((Number) js("return window.dockerpulls.pushes")).intValue()).isEqualTo(2);
    assertThat(browser.findElement(By.cssSelector("p.pushes")).getText())
        .contains("2026-11-08, 2026-11-21");
    List<Map<String, Object>> stars = list(events, "stars");
    assertThat(stars.get(0).get("stars")).isEqualTo(11.0);
    assertThat(stars.get(stars.size() - 1).get("stars")).isEqualTo(14.0);
    assertThat(((Number) js("return window.dockerpulls.stars")).intValue()).isEqualTo(stars.size());
    onlyLoopbackWasAsked();
    shot("repository");
    js("document.querySelector('.stars-chart').scrollIntoView({block: 'center'})");
    shot("repository-pushes-and-stars");
    browser.findElement(By.linkText("\u2190 All repositories")).click();
    awaitReady();
    assertThat(browser.getCurrentUrl()).isEqualTo(origin + "/");
  }

  @Test
  void aRepositoryPageDrawsTheShareOfEachVersionAndListsItsTags() throws Exception {
    open("/r/camunda/zeebe");
    @SuppressWarnings("unchecked")
    Map<String, Object> versions = (Map<String, Object>) js("return window.dockerpulls.versions");
    assertThat(((Number) versions.get("weeks")).intValue()).isEqualTo(WEEKS);
    @SuppressWarnings("unchecked")
    List<String> legend = (List<String>) versions.get("tags");
    // The eight largest tags over the window, then what the rest sum to.
    assertThat(legend).hasSize(9).startsWith("8.6.0", "8.7.0", "latest").endsWith("other");
    List<WebElement> weeks = browser.findElements(By.cssSelector("table.versions-data tbody tr"));
    assertThat(weeks).hasSize(WEEKS);
    // The last week: 8.7.0 at 4,400 downloads and 1,100 version checks.
    List<WebElement> cells = weeks.get(WEEKS - 1).findElements(By.tagName("td"));
    assertThat(cells.get(0).getText()).isEqualTo("2026-11-23");
    assertThat(cells.get(4 + legend.indexOf("8.7.0")).getText()).isEqualTo("5,500");
    assertThat(browser.findElements(By.cssSelector("svg.versions rect"))).hasSizeGreaterThan(WEEKS);
    assertThat(browser.findElements(By.cssSelector("svg.checks rect"))).hasSize(2 * WEEKS);
    List<WebElement> tagRows = browser.findElements(By.cssSelector("table.tags tbody tr"));
    assertThat(tagRows).hasSize(3);
    assertThat(tagRows.get(0).getText()).contains("8.7.0").contains("linux/amd64, linux/arm64");
    assertThat(tagRows.get(2).findElements(By.tagName("td")).get(2).getText()).isEqualTo("–");
    assertThat(((Number) js("return window.dockerpulls.tags")).intValue()).isEqualTo(3);
    onlyLoopbackWasAsked();
    js("document.querySelector('svg.checks').scrollIntoView({block: 'end'})");
    shot("repository-versions");
    js("document.querySelector('table.tags').scrollIntoView()");
    shot("repository-tags");
  }

  private static String pressed(String value) {
    return browser
        .findElement(By.cssSelector("button[data-value='" + value + "']"))
        .getAttribute("aria-pressed");
  }

  /** The periods of a totals answer the chart shows: from the one in which the history begins. */
  private static int keptPeriods(Map<String, Object> totals) {
    Instant from =
        list(totals, "repositories").stream()
            .map(r -> Instant.parse((String) r.get("covered_from")))
            .min(Instant::compareTo)
            .orElseThrow();
    return (int)
        list(totals, "total").stream()
            .filter(p -> Instant.parse((String) p.get("end")).isAfter(from))
            .count();
  }

  private static int chartRows() {
    return browser.findElements(By.cssSelector("table.chart-data tbody tr")).size();
  }

  @Test
  void aUrlWithEachParameterShowsThatView() throws Exception {
    open("/?org=camunda&window=90d&by=week&q=zee&sort=-star_count");
    assertThat(pressed("90d")).isEqualTo("true");
    assertThat(pressed("week")).isEqualTo("true");
    assertThat(
            browser
                .findElement(By.cssSelector("select[aria-label='Organization']"))
                .getAttribute("value"))
        .isEqualTo("camunda");
    assertThat(browser.findElement(By.cssSelector("input[type='search']")).getAttribute("value"))
        .isEqualTo("zee");
    assertThat(rowNames()).containsExactly("camunda/zeebe");
    assertThat(
            browser
                .findElement(By.cssSelector("th[aria-sort='descending'] button"))
                .getAttribute("data-sort"))
        .isEqualTo("star_count");
    Map<String, Object> totals = api("/api/v1/history?series=total&org=camunda&since=90d&by=week");
    assertThat(chartRows()).isEqualTo(keptPeriods(totals));

    open("/?from=2026-11-10&to=2026-11-20");
    assertThat(chartRows()).isEqualTo(11);
    assertThat(browser.findElement(By.cssSelector(".figures")).getText())
        .contains("pulls in the 2026-11-10 to 2026-11-20");
    assertThat(pressed("30d")).isEqualTo("false");

    open("/r/camunda/zeebe?window=7d&by=day");
    assertThat(pressed("7d")).isEqualTo("true");
    assertThat(((Number) js("return window.dockerpulls.points")).intValue()).isEqualTo(8);
  }

  @Test
  void changingTheViewUpdatesTheUrlAndBackGoesBackToTheViewBefore() throws Exception {
    open("/");
    browser.findElement(By.cssSelector("button[data-value='7d']")).click();
    awaitReady();
    assertThat(browser.getCurrentUrl()).isEqualTo(origin + "/?window=7d");
    browser.findElement(By.cssSelector("button[data-value='week']")).click();
    awaitReady();
    assertThat(browser.getCurrentUrl()).isEqualTo(origin + "/?window=7d&by=week");
    browser.findElement(By.cssSelector("button[data-sort='name']")).click();
    assertThat(browser.getCurrentUrl()).isEqualTo(origin + "/?window=7d&by=week&sort=name");
    browser.navigate().back();
    awaitReady();
    browser.navigate().back();
    awaitReady();
    assertThat(browser.getCurrentUrl()).isEqualTo(origin + "/?window=7d");
    assertThat(pressed("day")).isEqualTo("true");
    assertThat(pressed("7d")).isEqualTo("true");
    assertThat(chartRows()).isEqualTo(8);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theOverviewComparesOrganizationsOrThePickedRepositoriesWithTheirOwnSeries()
      throws Exception {
    open("/");
    @SuppressWarnings("unchecked")
    Map<String, Object> compare = (Map<String, Object>) js("return window.dockerpulls.compare");
    // Two organizations under "All organizations": one series each.
    assertThat(compare.get("what")).isEqualTo("organizations");
    assertThat((List<Object>) compare.get("labels")).containsExactly("camunda", "library");
    // Every row has its trend.
    assertThat(((Number) js("return window.dockerpulls.trends")).intValue()).isEqualTo(3);
    assertThat(browser.findElements(By.cssSelector("td.trend svg.spark polyline"))).hasSize(3);
    // Until hovered, the legend names the latest complete day by its date.
    assertThat(browser.findElement(By.cssSelector(".u-legend")).getText()).contains("2026-12-02");

    browser.findElement(By.cssSelector("input[data-pick='camunda/operate']")).click();
    awaitReady();
    assertThat(browser.getCurrentUrl()).isEqualTo(origin + "/?repos=camunda/operate");
    @SuppressWarnings("unchecked")
    Map<String, Object> picked = (Map<String, Object>) js("return window.dockerpulls.compare");
    assertThat((List<Object>) picked.get("labels")).containsExactly("camunda/operate");
    Map<String, Object> history = api("/api/v1/history?repo=camunda/operate&since=30d&by=day");
    List<Object> expected = new ArrayList<>();
    for (Map<String, Object> p : list(list(history, "repositories").get(0), "series")) {
      expected.add(p.get("pulls") == null ? null : ((Number) p.get("pulls")).longValue());
    }
    @SuppressWarnings("unchecked")
    List<List<Object>> values = (List<List<Object>>) picked.get("values");
    assertThat(
            values.get(0).stream().map(v -> v == null ? null : ((Number) v).longValue()).toList())
        .isEqualTo(expected);
    String csv = (String) picked.get("csv");
    assertThat(csv).startsWith("period_start,period_end,camunda/operate,note\r\n");
    assertThat(csv.split("\r\n")).hasSize(expected.size() + 1);
    assertThat(browser.findElement(By.cssSelector("a[data-action='csv']")).getAttribute("download"))
        .isEqualTo("dockerpulls-30d-by-day.csv");
    browser.findElement(By.cssSelector("button[data-value='stacked']")).click();
    awaitReady();
    assertThat(browser.getCurrentUrl()).isEqualTo(origin + "/?repos=camunda/operate&mode=stacked");
    js("document.querySelector('.compare').scrollIntoView()");
    shot("overview-compare-picked");

    open("/?repos=camunda/zeebe,library/httpd&mode=stacked");
    @SuppressWarnings("unchecked")
    Map<String, Object> two = (Map<String, Object>) js("return window.dockerpulls.compare");
    assertThat((List<Object>) two.get("labels")).containsExactly("camunda/zeebe", "library/httpd");
    js("document.querySelector('.compare').scrollIntoView()");
    shot("overview-compare-stacked");
    open("/?org=camunda");
    @SuppressWarnings("unchecked")
    Map<String, Object> top = (Map<String, Object>) js("return window.dockerpulls.compare");
    assertThat(top.get("what")).isEqualTo("top");
    assertThat((List<Object>) top.get("labels"))
        .containsExactly("camunda/zeebe", "camunda/operate");
  }

  @Test
  void periodsTheHistoryCoversInPartAreMarkedNotDrawnAsAFall() throws Exception {
    open("/?window=90d");
    Map<String, Object> totals = api("/api/v1/history?series=total&since=90d&by=day");
    Instant from =
        list(totals, "repositories").stream()
            .map(r -> Instant.parse((String) r.get("covered_from")))
            .min(Instant::compareTo)
            .orElseThrow();
    long kept =
        list(totals, "total").stream()
            .filter(p -> Instant.parse((String) p.get("end")).isAfter(from))
            .count();
    browser.findElement(By.cssSelector("details summary")).click();
    List<WebElement> days = browser.findElements(By.cssSelector("table.chart-data tbody tr"));
    // The window is longer than the history: the chart starts with the day collecting began.
    assertThat(kept).isLessThan(list(totals, "total").size());
    assertThat(days).hasSize((int) kept);
    assertThat(browser.findElement(By.cssSelector("p.history-start")).getText())
        .startsWith("The history begins ")
        .contains("so the chart starts there");
    List<String> notes =
        days.stream().map(r -> r.findElements(By.tagName("td")).get(2).getText()).toList();
    // Collecting began 40 days before NOW, at 11:00: that day, the first row, is counted in part;
    // today is running.
    assertThat(notes.get(0)).startsWith("partly covered (collecting began ");
    assertThat(notes.stream().filter(n -> n.startsWith("partly"))).hasSize(1);
    assertThat(notes.get(notes.size() - 1)).isEqualTo("running, so far");
    long estimated =
        list(totals, "total").stream()
            .filter(p -> Instant.parse((String) p.get("end")).isAfter(from))
            .filter(p -> Boolean.TRUE.equals(p.get("estimated")))
            .count();
    assertThat(estimated).isPositive();
    assertThat(notes.stream().filter(n -> n.startsWith("estimated across a gap")))
        .hasSize((int) estimated);
    assertThat(((Number) js("return window.dockerpulls.marked")).intValue())
        .isEqualTo(2 + (int) estimated);
    shot("overview-90-days-partly-covered");
  }

  @Test
  @SuppressWarnings("unchecked")
  void daysSplitAcrossAGapInTheObservationsAreMarkedAsEstimates() throws Exception {
    open("/r/camunda/operate");
    Map<String, Object> history = api("/api/v1/history?repo=camunda/operate&since=30d&by=day");
    List<Map<String, Object>> series =
        (List<Map<String, Object>>) (Object) list(history, "repositories").get(0).get("series");
    List<WebElement> days = browser.findElements(By.cssSelector("table.chart-data tbody tr"));
    assertThat(days).hasSize(series.size());
    int estimated = 0;
    for (int i = 0; i < series.size(); i++) {
      boolean flagged = Boolean.TRUE.equals(series.get(i).get("estimated"));
      String note = days.get(i).findElements(By.tagName("td")).get(2).getText();
      if (flagged) {
        estimated++;
        assertThat(note).as("day " + i).isEqualTo("estimated across a gap in the observations");
      } else {
        assertThat(note).as("day " + i).doesNotStartWith("estimated");
      }
    }
    // Three days without an observation, between observations at 11:00: the three days and the
    // two whose other part was observed are split by a straight line, estimates.
    assertThat(estimated).isEqualTo(GAP_DAYS + 2);
    js("document.querySelector('table.chart-data').scrollIntoView({block: 'center'})");
    shot("repository-estimated-across-a-gap");
  }

  @Test
  void theBadgeRenders() throws Exception {
    browser.get(origin + "/badge/camunda/zeebe.svg");
    assertThat(browser.getPageSource()).contains("docker pulls").contains("1.1M");
    shot("badge");
    browser.get(origin + "/badge/camunda/nothing.svg");
    assertThat(browser.getPageSource()).contains("not tracked");
  }

  @Test
  void theDashboardWritesCountsByTheSameRuleAsCompactNumbers() throws Exception {
    open("/");
    Map<Long, String> table = CompactNumbersTable.read();
    for (Map.Entry<Long, String> row : table.entrySet()) {
      assertThat(js("return window.dockerpulls.compact(arguments[0]);", row.getKey()))
          .as("compact(%d)", row.getKey())
          .isEqualTo(row.getValue());
      assertThat(CompactNumbers.format(row.getKey())).isEqualTo(row.getValue());
    }
  }

  @Test
  void aFreshHistorySaysSinceWhenItCollectsAndDrawsNoChartOfZeros() throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    RepositoryStats zeebe =
        new RepositoryStats(
            "camunda",
            "zeebe",
            1_000_000,
            OptionalLong.of(5),
            Optional.empty(),
            OptionalLong.empty());
    try (HistoryStore fresh = HistoryStore.open(dir.resolve("fresh"), Retention.DEFAULT, clock)) {
      // One refresh so far: nothing is known of any period.
      fresh.record(List.of(Observation.of(NOW.minusSeconds(60), zeebe)));
      SnapshotCollector collector = new SnapshotCollector(true, null).clock(clock);
      collector.onSnapshot(Snapshots.of(NOW.minusSeconds(60), Snapshots.ok("camunda", zeebe)));
      PrometheusRegistry registry = new PrometheusRegistry();
      registry.register(collector);
      try (ExporterServer s =
          ExporterServer.builder()
              .host("127.0.0.1")
              .port(0)
              .collector(collector)
              .registry(registry)
              .version("test")
              .clock(clock)
              .history(fresh, List.of(Target.parse("camunda")))
              .start()) {
        browser.get("http://127.0.0.1:" + s.port() + "/");
        awaitReady();
        String text = browser.findElement(By.tagName("main")).getText();
        assertThat(text)
            .contains("The history has collected since 2026-12-03 11:59:00 UTC")
            .contains("dockerpulls import prometheus");
        assertThat(js("return window.dockerpulls.points;")).isEqualTo(0L);
        shot("fresh-install");
      }
    }
  }
}
