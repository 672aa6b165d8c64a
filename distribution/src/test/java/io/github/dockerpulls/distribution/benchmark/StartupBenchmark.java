package io.github.dockerpulls.distribution.benchmark;

import com.sun.net.httpserver.HttpServer;
import io.github.dockerpulls.distribution.CdsTraining;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How long {@code dockerpulls export --repo library/httpd} takes from the shell's point of view,
 * against a local Hub that answers at once ({@link CdsTraining#simulatedHub()}): the unpacked
 * tarball's launcher with its CDS archive, without it, a bare {@code java -jar}, and a Python
 * script making the same request for scale.
 *
 * <p>Arguments: the tarball, the number of runs per variant (after 2 warm-up runs).
 */
public final class StartupBenchmark {
  private static final String PYTHON =
      "import json,sys,urllib.request\n"
          + "r=json.load(urllib.request.urlopen(sys.argv[1]+'/v2/namespaces/library/repositories/httpd'))\n"
          + "print('%s/%s %s %s %s'%(r['namespace'],r['name'],f\"{r['pull_count']:,}\","
          + "r['star_count'],r['last_updated']))\n";

  public static void main(String[] args) throws Exception {
    Path tarball = Path.of(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path dir = Files.createTempDirectory("dockerpulls-startup");
    exec(dir, Map.of(), "tar", "-xzf", tarball.toString(), "-C", dir.toString());
    Path home;
    try (var list = Files.list(dir)) {
      home = list.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    String launcher = home.resolve("bin/dockerpulls").toString();
    String jar = home.resolve("lib/dockerpulls.jar").toString();
    Path cache = dir.resolve("cache");

    HttpServer server = CdsTraining.simulatedHub();
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    String[] export = {"export", "--hub-url", url, "--repo", "library/httpd"};
    try {
      // Train the archive the way a first run does, and wait for it.
      Map<String, String> withCds = Map.of("DOCKERPULLS_CACHE_DIR", cache.toString());
      exec(dir, withCds, concat(launcher, export));
      for (int i = 0; i < 600 && !hasArchive(cache); i++) {
        Thread.sleep(100);
      }
      System.out.printf(Locale.ROOT, "%-44s %8s %8s %8s%n", "variant", "median", "min", "max");
      measure("launcher, CDS archive (default)", runs, dir, withCds, concat(launcher, export));
      measure(
          "launcher, DOCKERPULLS_CDS=off",
          runs,
          dir,
          Map.of("DOCKERPULLS_CDS", "off"),
          concat(launcher, export));
      measure("java -jar, no options", runs, dir, Map.of(), concat("java", "-jar", jar, export));
      measure("launcher, --version (CDS)", runs, dir, withCds, launcher, "--version");
      // The system's Python, as bench/compare.sh uses: a version manager's shim on the PATH
      // (pyenv's is a shell script) would add its own start-up to Python's.
      String python =
          Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
      if (exec(dir, Map.of(), python, "-c", "pass") == 0) {
        measure(python + " script, same request", runs, dir, Map.of(), python, "-c", PYTHON, url);
      }
    } finally {
      server.stop(0);
    }
  }

  private static boolean hasArchive(Path cache) throws IOException {
    if (!Files.isDirectory(cache)) {
      return false;
    }
    try (var files = Files.list(cache)) {
      return files.anyMatch(f -> f.toString().endsWith(".jsa.stamp"));
    }
  }

  private static void measure(
      String name, int runs, Path dir, Map<String, String> env, String... command)
      throws Exception {
    for (int i = 0; i < 2; i++) {
      exec(dir, env, command);
    }
    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      int code = exec(dir, env, command);
      seconds.add((System.nanoTime() - start) / 1e9);
      if (code != 0) {
        throw new IllegalStateException(name + ": exit " + code);
      }
    }
    Collections.sort(seconds);
    System.out.printf(
        Locale.ROOT,
        "%-44s %7.3fs %7.3fs %7.3fs%n",
        name,
        seconds.get(runs / 2),
        seconds.get(0),
        seconds.get(runs - 1));
  }

  private static int exec(Path dir, Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish");
    }
    return p.exitValue();
  }

  private static String[] concat(String first, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private static String[] concat(String a, String b, String c, String... rest) {
    return concat(a, concat(b, concat(c, rest)));
  }
}
