package io.github.dockerpulls.cli.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Whole processes timed from the outside, as a shell times them, for the CLI's benchmarks. */
final class Timed {
  private Timed() {}

  /**
   * Runs {@code process} to its end, its output and errors into {@code log}, and returns how many
   * seconds it took; a failure or a run of over two minutes throws with the log.
   */
  static double seconds(ProcessBuilder process, Path log) throws Exception {
    process.redirectErrorStream(true).redirectOutput(log.toFile());
    long start = System.nanoTime();
    Process p = process.start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(Files.readString(log));
    }
    return (System.nanoTime() - start) / 1e9;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
