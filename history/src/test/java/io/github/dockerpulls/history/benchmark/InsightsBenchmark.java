package io.github.dockerpulls.history.benchmark;

import io.github.dockerpulls.history.Granularity;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.InsightFigure;
import io.github.dockerpulls.history.InsightFigure.Dimension;
import io.github.dockerpulls.history.InsightsBatch;
import io.github.dockerpulls.history.Retention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * Fills a history with a year of weekly Insights of {@code repositories} repositories, each week
 * with {@code tags} tags pulled, 10 countries, 4 cloud providers and 2 clients (more than the
 * history keeps, so every kept figure and every {@code (other)} is there: the worst case of the
 * bound), and prints the time and the file's size. A report over it is then timed through the jar:
 * see docs/benchmarks.md.
 *
 * <p>Arguments: {@code [repositories] [weeks] [tags] [directory]}.
 */
public final class InsightsBenchmark {
  private InsightsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repositories = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int weeks = args.length > 1 ? Integer.parseInt(args[1]) : 52;
    int tags = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    Path dir =
        args.length > 3
            ? Files.createDirectories(Path.of(args[3]))
            : Files.createTempDirectory("dockerpulls-insights-bench-");
    String[] countries = {"US", "DE", "IN", "GB", "FR", "BR", "JP", "CN", "NL", "CA"};
    String[] clouds = {"aws", "gcp", "azure", "no csp"};
    String[] clients = {"docker", "containerd"};
    LocalDate last =
        LocalDate.now().minusWeeks(1).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    long figures = 0;
    long t0 = System.nanoTime();
    try (HistoryStore store = HistoryStore.open(dir, Retention.DEFAULT, Clock.systemUTC())) {
      for (int w = weeks - 1; w >= 0; w--) {
        LocalDate week = last.minusWeeks(w);
        try (InsightsBatch batch = store.insights(InsightsBatch.Source.TRENDS_FILE)) {
          for (int r = 0; r < repositories; r++) {
            String name = "repo" + r;
            long total = 0;
            for (int t = 0; t < tags; t++) {
              long dl = (r * 31L + t * 7L + w) % 1000;
              long vc = (r + t) % 300;
              total += dl + vc;
              batch.add(fig(week, name, Dimension.TAG, "1." + t + ".0", dl, vc));
              figures++;
            }
            for (int i = 0; i < countries.length; i++) {
              batch.add(fig(week, name, Dimension.COUNTRY, countries[i], total / 10 + i, 0));
            }
            for (int i = 0; i < clouds.length; i++) {
              batch.add(fig(week, name, Dimension.CLOUD, clouds[i], total / 4 + i, 0));
            }
            for (int i = 0; i < clients.length; i++) {
              batch.add(fig(week, name, Dimension.CLIENT, clients[i], total / 2 + i, 0));
            }
            batch.add(fig(week, name, Dimension.REPOSITORY, "", total, 0));
            figures += countries.length + clouds.length + clients.length + 1;
          }
          batch.commit();
        }
      }
    }
    double took = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "%,d repositories x %d weeks x %d tags: %,d figures stored in %.1f s (%,.0f a second),"
            + " history %,d bytes in %s%n",
        repositories,
        weeks,
        tags,
        figures,
        took,
        figures / took,
        Files.size(dir.resolve(HistoryStore.FILE_NAME)),
        dir);
  }

  private static InsightFigure fig(
      LocalDate week, String name, Dimension d, String key, long downloads, long checks) {
    return new InsightFigure(
        Granularity.WEEK,
        week,
        "bigorg",
        name,
        d,
        key,
        downloads,
        checks,
        downloads + checks,
        null);
  }
}
