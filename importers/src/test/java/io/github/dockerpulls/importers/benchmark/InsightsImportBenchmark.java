package io.github.dockerpulls.importers.benchmark;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a DVP Core trends report of {@code rows} rows (repositories x tags x weeks x 10 rows per
 * country, cloud and client), gzipped as Docker Hub's web page may give it, and imports it with
 * {@code dockerpulls import insights --file} in a JVM held to a 64 MB heap with the launcher's
 * flags, into a new history each run; prints the wall time, the peak heap the JVM reports and the
 * history's size. See docs/benchmarks.md.
 *
 * <p>Arguments: {@code jar [rows] [runs]}.
 */
public final class InsightsImportBenchmark {
  private InsightsImportBenchmark() {}

  private static final String[][] SPLITS = {
    {"US", "aws", "docker"}, {"US", "gcp", "containerd"}, {"DE", "no csp", "docker"},
    {"DE", "azure", "containerd"}, {"IN", "aws", "docker"}, {"GB", "no csp", "docker"},
    {"FR", "gcp", "docker"}, {"BR", "aws", "containerd"}, {"JP", "no csp", "docker"},
    {"CN", "azure", "docker"}
  };

  public static void main(String[] args) throws Exception {
    String jar = args[0];
    long rows = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int weeks = 10;
    int tags = 20;
    long repositories = Math.max(1, rows / (weeks * tags * SPLITS.length));
    Path work = Files.createTempDirectory("dockerpulls-insights-bench-");
    Path file = work.resolve("trends.csv.gz");
    LocalDate last =
        LocalDate.now().minusWeeks(1).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    long written = 0;
    try (Writer out =
        new BufferedWriter(
            new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file), 65_536), StandardCharsets.UTF_8),
            65_536)) {
      out.write(
          "DATE_GRANULARITY,DATE_REFERENCE,PUBLISHER_NAME,IMAGE_REPOSITORY,NAMESPACE,IP_COUNTRY,"
              + "CLOUD_SERVICE_PROVIDER,USER_AGENT,TAG,DATA_DOWNLOADS,VERSION_CHECKS,PULLS,"
              + "UNIQUE_AUTHENTICATED_USERS,UNIQUE_UNAUTHENTICATED_USERS\n");
      for (int w = weeks - 1; w >= 0; w--) {
        LocalDate week = last.minusWeeks(w);
        for (long r = 0; r < repositories; r++) {
          for (int t = 0; t < tags; t++) {
            for (String[] s : SPLITS) {
              long dl = (r * 31 + t * 7 + w) % 1000;
              long vc = (r + t) % 300;
              out.write(
                  "weekly,"
                      + week
                      + ",Big Org,bigorg/repo"
                      + r
                      + ",bigorg,"
                      + s[0]
                      + ","
                      + s[1]
                      + ","
                      + s[2]
                      + ",1."
                      + t
                      + ".0,"
                      + dl
                      + ","
                      + vc
                      + ","
                      + (dl + vc)
                      + ",1,3\n");
              written++;
            }
          }
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "trends report: %,d rows (%d repositories x %d tags x %d weeks x %d), %,d bytes gzipped%n",
        written,
        repositories,
        tags,
        weeks,
        SPLITS.length,
        Files.size(file));
    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i < runs + 1; i++) {
      Path dir = Files.createTempDirectory(work, "history-");
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(
                  "java",
                  "-XX:MaxRAM=256m",
                  "-Xmx64m",
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-Xlog:gc:file=" + dir.resolve("gc.log"),
                  "-jar",
                  jar,
                  "import",
                  "insights",
                  "--file",
                  file.toString(),
                  "--data-dir",
                  dir.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes()).strip();
      if (p.waitFor() != 0) {
        throw new IllegalStateException(output);
      }
      double took = (System.nanoTime() - t0) / 1e9;
      long peak = 0;
      for (String line : Files.readAllLines(dir.resolve("gc.log"))) {
        // "... Pause Young (Allocation Failure) 20M->3M(61M) 1.234ms"
        int arrow = line.indexOf("->");
        if (arrow > 0) {
          int start = line.lastIndexOf(' ', arrow) + 1;
          String before = line.substring(start, arrow).replace("M", "");
          try {
            peak = Math.max(peak, Long.parseLong(before));
          } catch (NumberFormatException ignored) {
            // another kind of line
          }
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%s (-Xmx64m): %s in %.3f s, heap at most %d MB before a collection, history %,d bytes%n",
          i == 0 ? "warm-up" : "run " + i,
          output,
          took,
          peak,
          Files.size(dir.resolve("dockerpulls.db")));
      if (i > 0) {
        seconds.add(took);
      }
    }
    Collections.sort(seconds);
    System.out.printf(
        Locale.ROOT,
        "median %.3f s, min %.3f s, max %.3f s: %,.0f rows per second%n",
        seconds.get(seconds.size() / 2),
        seconds.get(0),
        seconds.get(seconds.size() - 1),
        written / seconds.get(seconds.size() / 2));
  }
}
