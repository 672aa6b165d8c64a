package io.github.dockerpulls.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The tarball unpacked into a directory, and runs of what it holds. */
final class Installed {
  static final Path TARBALL = Path.of(System.getProperty("dockerpulls.tarball"));
  static final String VERSION = System.getProperty("dockerpulls.version");

  final Path home;

  private Installed(Path home) {
    this.home = home;
  }

  /** Unpacks the tarball into {@code dir} with tar, as a user would. */
  static Installed unpack(Path dir) throws Exception {
    assertThat(TARBALL).as("the build's tarball").exists();
    Result tar = run(dir, Map.of(), "tar", "-xzf", TARBALL.toString(), "-C", dir.toString());
    assertThat(tar.exit).as(tar.toString()).isZero();
    return new Installed(dir.resolve("dockerpulls-" + VERSION));
  }

  Path launcher() {
    return home.resolve("bin/dockerpulls");
  }

  /** What a finished process printed. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  /**
   * Runs {@code command} in {@code dir} with a clean environment: the PATH, JAVA_HOME and {@code
   * env}, nothing of the developer's Docker Hub identity.
   */
  static Result run(Path dir, Map<String, String> env, String... command) throws Exception {
    Running r = start(dir, env, command);
    assertThat(r.process().waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    return new Result(r.process().exitValue(), r.out(), r.err());
  }

  /** A started process and the files its output goes to. */
  record Running(Process process, Path stdout, Path stderr) {
    String out() throws IOException {
      return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    String err() throws IOException {
      return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /**
     * Waits (30 s at most) until the exporter this process runs answers /-/ready with 200, then
     * returns its /metrics as a plain request gets it.
     */
    String awaitMetrics(int port) throws Exception {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/-/ready")).build();
      for (int i = 0; i < 300 && process.isAlive(); i++) {
        try {
          if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return http.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
          }
        } catch (IOException notListeningYet) {
          // the JVM is still starting
        }
        Thread.sleep(100);
      }
      throw new AssertionError("the exporter did not become ready on " + port + ":\n" + err());
    }

    /** Stops the process as SIGTERM does, and waits for it. */
    void stop() throws InterruptedException {
      process.destroy();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
    }
  }

  static Running start(Path dir, Map<String, String> env, String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile());
    Map<String, String> e = pb.environment();
    List<String> keep = new ArrayList<>(List.of("PATH", "JAVA_HOME", "LANG", "TMPDIR"));
    e.keySet().removeIf(k -> !keep.contains(k));
    e.put("HOME", dir.toString());
    e.putAll(env);
    Path out = Files.createTempFile(dir, "stdout-", ".txt");
    Path err = Files.createTempFile(dir, "stderr-", ".txt");
    return new Running(
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start(), out, err);
  }
}
