package io.github.dockerpulls.hub.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The binaries of real servers the tests run (Prometheus, promtool, node_exporter, Chromium and its
 * driver, PostgreSQL), installed from Debian's packages on first use when they are missing and the
 * tests run as root.
 *
 * <p>The installation runs here, in the test JVM, rather than in a Maven plugin execution: {@code
 * apt-get} gets {@code /dev/null} as its standard input and a log file as its output, so nothing
 * depends on how Maven pumps a child's streams. A binary that is still missing fails the test when
 * {@code CI=true} and skips it otherwise, with one line that says what to install.
 */
public final class RealServers {
  /** Which Debian package ships each binary the tests use. */
  private static final Map<String, String> PACKAGES =
      Map.of(
          "prometheus", "prometheus",
          "promtool", "prometheus",
          "prometheus-node-exporter", "prometheus-node-exporter",
          "chromium", "chromium",
          "chromedriver", "chromium-driver",
          "initdb", "postgresql",
          "pg_ctl", "postgresql");

  /** Per package: null when installed by this JVM, else why it could not be. */
  private static final Map<String, String> attempts = new HashMap<>();

  private static boolean updated;

  private RealServers() {}

  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * The binary on PATH, installed first when it is missing and this user may install it; else a
   * failure when CI=true, a skipped test otherwise.
   */
  public static Path require(String binary) {
    Optional<Path> found = find(binary);
    if (found.isPresent()) {
      return found.get();
    }
    String pkg = PACKAGES.get(binary);
    String why;
    if (pkg == null) {
      why = binary + " is not installed";
    } else {
      why = install(pkg);
      found = find(binary);
      if (found.isPresent()) {
        return found.get();
      }
      if (why == null) {
        why = "Debian's " + pkg + " package was installed but holds no " + binary;
      }
    }
    if (inCi()) {
      fail(why + "; CI=true, so this test fails instead of skipping");
    }
    Assumptions.abort(why);
    throw new AssertionError("unreachable");
  }

  public static Optional<Path> find(String binary) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    List<String> dirs = new ArrayList<>(List.of(path.split(":")));
    dirs.add("/usr/bin");
    dirs.add("/usr/sbin");
    // Debian keeps PostgreSQL's server programs per major version, off PATH.
    Path versions = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(versions)) {
      try (var listing = Files.list(versions)) {
        listing
            .sorted(java.util.Comparator.reverseOrder())
            .forEach(v -> dirs.add(v.resolve("bin").toString()));
      } catch (IOException ignored) {
        // Then PostgreSQL is not found there.
      }
    }
    for (String dir : dirs) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, binary);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Installs {@code pkg} once per JVM; null on success, else one line saying why not. */
  private static synchronized String install(String pkg) {
    if (attempts.containsKey(pkg)) {
      return attempts.get(pkg);
    }
    String why = tryInstall(pkg);
    attempts.put(pkg, why);
    return why;
  }

  private static String tryInstall(String pkg) {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root || find("apt-get").isEmpty()) {
      return "Debian's "
          + pkg
          + " package is not installed, and this user cannot install it (as root: apt-get install "
          + pkg
          + ")";
    }
    Path log = Path.of(System.getProperty("java.io.tmpdir"), "dockerpulls-apt-" + pkg + ".log");
    Path policy = Path.of("/usr/sbin/policy-rc.d");
    boolean createdPolicy = false;
    try {
      // Keep the package's service from starting: the tests start their own servers on loopback.
      if (!Files.exists(policy)) {
        Files.writeString(policy, "#!/bin/sh\nexit 101\n");
        policy.toFile().setExecutable(true);
        createdPolicy = true;
      }
      System.err.println("[real servers] installing Debian's " + pkg + " (log: " + log + ")");
      List<String> installCommand =
          List.of(
              "apt-get",
              "install",
              "-y",
              "-q",
              "--no-install-recommends",
              "-o",
              "DPkg::Lock::Timeout=300",
              pkg);
      if (run(installCommand, log) != 0 && !updated) {
        updated = true;
        run(List.of("apt-get", "update", "-q", "-o", "DPkg::Lock::Timeout=300"), log);
        if (run(installCommand, log) != 0) {
          return "apt-get install " + pkg + " failed (see " + log + ")";
        }
      }
      return null;
    } catch (IOException e) {
      return "apt-get install " + pkg + " could not run: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while installing " + pkg;
    } finally {
      if (createdPolicy) {
        try {
          Files.deleteIfExists(policy);
        } catch (IOException ignored) {
          // A leftover policy only keeps package services from starting on their own.
        }
      }
    }
  }

  /** Runs a command with no standard input and its output appended to {@code log}. */
  private static int run(List<String> command, Path log) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process process = builder.start();
    if (!process.waitFor(15, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }
}
