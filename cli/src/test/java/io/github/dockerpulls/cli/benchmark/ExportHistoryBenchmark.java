package io.github.dockerpulls.cli.benchmark;

import io.github.dockerpulls.history.benchmark.HistoryBenchmark;
import io.github.dockerpulls.hub.benchmark.SlowHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the history adds to {@code export}, end to end: the launcher exports an organization of
 * 5,000 repositories from a simulated Hub that answers at once, with {@code --no-history} and with
 * a year-old history of those repositories, alternately, in one run. See docs/benchmarks.md.
 *
 * <p>Arguments: the project's root directory (default: the current one), then the runs of each.
 */
public final class ExportHistoryBenchmark {
  private ExportHistoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 11;
    Path work = Files.createTempDirectory("dockerpulls-export-bench-");
    Path year = Files.createDirectories(work.resolve("year"));
    long t0 = System.nanoTime();
    HistoryBenchmark.fill(year, 5000, 365, Instant.now().truncatedTo(ChronoUnit.HOURS));
    System.out.printf(
        Locale.ROOT,
        "a year of history for 5,000 repositories in %.0f s%n",
        (System.nanoTime() - t0) / 1e9);
    // Every run records one more refresh into the year-old history, as a cron job's would. The
    // file is in place and on disk before the first run: copying 100 MB before each run would
    // measure the disk's write-back of the copy, not the history.
    Path data = Files.createDirectories(work.resolve("data"));
    Files.copy(
        year.resolve("dockerpulls.db"),
        data.resolve("dockerpulls.db"),
        StandardCopyOption.REPLACE_EXISTING);
    new ProcessBuilder("sync").inheritIO().start().waitFor();
    List<Double> without = new ArrayList<>();
    List<Double> with = new ArrayList<>();
    try (SlowHub hub = new SlowHub("bigorg", 5000, 0)) {
      for (int i = 0; i < runs + 2; i++) {
        double a = export(root, hub, work, null);
        double b = export(root, hub, work, data);
        if (i >= 2) {
          without.add(a);
          with.add(b);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "export --no-history: median %.3f s; with the history: median %.3f s; difference %.3f s"
            + " (%d runs each, after 2 warm-ups)%n",
        Timed.median(without),
        Timed.median(with),
        Timed.median(with) - Timed.median(without),
        runs);
  }

  private static double export(Path root, SlowHub hub, Path work, Path data) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                root.resolve("dockerpulls").toString(),
                "export",
                "--org",
                "bigorg",
                "--username",
                "bench",
                "--hub-url",
                hub.url(),
                "-f",
                "json",
                "-o",
                work.resolve("out.json").toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("DOCKERHUB_TOKEN", "secret");
    if (data == null) {
      command.add("--no-history");
      pb.command(command);
    } else {
      pb.environment().put("DOCKERPULLS_DATA_DIR", data.toString());
    }
    return Timed.seconds(pb, work.resolve("export.log"));
  }
}
