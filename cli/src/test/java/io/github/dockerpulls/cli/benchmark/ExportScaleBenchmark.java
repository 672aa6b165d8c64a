package io.github.dockerpulls.cli.benchmark;

import io.github.dockerpulls.hub.benchmark.SlowHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What 5,000 repositories cost over one, end to end: the launcher exports {@code --org bigorg}
 * (5,000 repositories, 50 pages) and {@code --repo bigorg/repo-00001} from a simulated Hub that
 * answers every request after the same delay, alternately, in one run, and prints both medians and
 * their difference. See docs/benchmarks.md.
 *
 * <p>Arguments: the project's root directory (default: the current one), the runs of each (default
 * 11), the Hub's delay in milliseconds (default 50).
 */
public final class ExportScaleBenchmark {
  private ExportScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 11;
    long delay = args.length > 2 ? Long.parseLong(args[2]) : 50;
    Path work = Files.createTempDirectory("dockerpulls-scale-bench-");
    List<Double> org = new ArrayList<>();
    List<Double> one = new ArrayList<>();
    try (SlowHub hub = new SlowHub("bigorg", 5000, delay)) {
      for (int i = 0; i < runs + 2; i++) {
        double a = export(root, hub, work, "--org", "bigorg");
        double b = export(root, hub, work, "--repo", "bigorg/repo-00001");
        if (i >= 2) {
          org.add(a);
          one.add(b);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "Hub delay %d ms: --org bigorg (5,000 repositories) median %.3f s (min %.3f, max %.3f);"
            + " --repo median %.3f s (min %.3f, max %.3f); difference %.3f s (%d runs each,"
            + " after 2 warm-ups)%n",
        delay,
        Timed.median(org),
        Collections.min(org),
        Collections.max(org),
        Timed.median(one),
        Collections.min(one),
        Collections.max(one),
        Timed.median(org) - Timed.median(one),
        runs);
  }

  private static double export(Path root, SlowHub hub, Path work, String... what) throws Exception {
    List<String> command =
        new ArrayList<>(List.of(root.resolve("dockerpulls").toString(), "export"));
    command.addAll(List.of(what));
    command.addAll(List.of("--hub-url", hub.url(), "--no-history"));
    return Timed.seconds(new ProcessBuilder(command), work.resolve("export.log"));
  }
}
