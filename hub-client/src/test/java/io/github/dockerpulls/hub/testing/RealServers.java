package io.github.dockerpulls.hub.testing;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Finds the binaries of real servers; skips the test without them, except in CI where it fails. */
public final class RealServers {
  private RealServers() {}

  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** The binary on PATH, or: a failure when CI=true, a skipped test otherwise. */
  public static Path require(String binary) {
    Optional<Path> found = find(binary);
    if (found.isEmpty()) {
      String message = binary + " is not installed (.ci/ensure-prometheus installs it as root)";
      if (inCi()) {
        fail(message + "; CI=true, so this test fails instead of skipping");
      }
      Assumptions.abort(message);
    }
    return found.get();
  }

  public static Optional<Path> find(String binary) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, binary);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
