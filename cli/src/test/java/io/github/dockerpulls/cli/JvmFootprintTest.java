package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code serve} sets the heap's shrinking options at start unless the command line did. Each case
 * runs {@code serve} in a JVM of its own: the options belong to the whole process.
 */
class JvmFootprintTest {

  /** Starts serve with the JVM options {@code jvm}; returns its first log line naming the jvm. */
  private static String jvmLine(String... jvm) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvm));
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            DockerPulls.class.getName(),
            "serve",
            "--hub-url",
            "http://127.0.0.1:9",
            "--repo",
            "library/httpd",
            "--listen-address",
            "127.0.0.1",
            "--port",
            Integer.toString(freePort()),
            "--no-history",
            "--interval",
            "1h"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    Process p = pb.start();
    StringBuilder seen = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      // The jvm line comes before the first refresh, whose failure (nothing listens on port 9)
      // is logged after it; a line about the refresh therefore means no jvm line was written.
      while ((line = r.readLine()) != null) {
        seen.append(line).append('\n');
        if (line.contains("jvm: ")) {
          return line;
        }
        if (line.contains("refresh")) {
          return "";
        }
      }
      return "exited: " + seen;
    } finally {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void serveSetsTheShrinkingOptionsTheCommandLineLeftAlone() throws Exception {
    String line = jvmLine("-XX:+UseG1GC");
    assertThat(line)
        .contains("jvm: set MinHeapFreeRatio=10, MaxHeapFreeRatio=30, G1PeriodicGCInterval=3000")
        .contains("not on the command line");
  }

  @Test
  void anOptionOnTheCommandLineIsLeftAsItIs() throws Exception {
    String line = jvmLine("-XX:+UseG1GC", "-XX:MaxHeapFreeRatio=50", "-XX:G1PeriodicGCInterval=0");
    assertThat(line).contains("jvm: set MinHeapFreeRatio=10 (");
    assertThat(line).doesNotContain("MaxHeapFreeRatio=").doesNotContain("G1PeriodicGCInterval");
  }

  @Test
  void withAnotherCollectorOnlyTheFreeRatiosAreSet() throws Exception {
    String line = jvmLine("-XX:+UseSerialGC");
    assertThat(line).contains("jvm: set MinHeapFreeRatio=10, MaxHeapFreeRatio=30 (");
    assertThat(line).doesNotContain("G1PeriodicGCInterval");
  }

  @Test
  void nothingIsLoggedWhenTheCommandLineSetThemAll() throws Exception {
    String line =
        jvmLine(
            "-XX:+UseG1GC",
            "-XX:MinHeapFreeRatio=40",
            "-XX:MaxHeapFreeRatio=70",
            "-XX:G1PeriodicGCInterval=0");
    assertThat(line).isEmpty();
  }
}
