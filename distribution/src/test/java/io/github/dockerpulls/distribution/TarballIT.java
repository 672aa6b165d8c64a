package io.github.dockerpulls.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.FakeHub;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tarball people download: its layout, its launcher, and the jar inside. */
class TarballIT {
  @TempDir Path dir;

  @Test
  void holdsTheLauncherTheJarTheDocsAndAnExampleConfig() throws Exception {
    Installed installed = Installed.unpack(dir);
    for (String file :
        List.of(
            "bin/dockerpulls",
            "lib/dockerpulls.jar",
            "README.md",
            "LICENSE",
            "CHANGELOG.md",
            "docs/configuration.md",
            "config/dockerpulls.conf.example",
            "dashboards/grafana/dockerpulls.json",
            "dashboards/kibana/docker-pulls.ndjson",
            "kubernetes/deployment.yaml")) {
      assertThat(installed.home.resolve(file)).as(file).isRegularFile();
    }
    assertThat(Files.getPosixFilePermissions(installed.launcher()))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(Files.readString(installed.launcher())).startsWith("#!/bin/sh\n");
  }

  @Test
  void everyRelativeLinkOfTheShippedDocsResolvesInsideTheTarball() throws Exception {
    Installed installed = Installed.unpack(dir);
    assertThat(installed.home.resolve("docs/configuration.md")).isRegularFile();
    Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    List<Path> docs;
    try (Stream<Path> files = Files.walk(installed.home)) {
      docs = files.filter(p -> p.toString().endsWith(".md")).toList();
    }
    int checked = 0;
    for (Path doc : docs) {
      Matcher m = link.matcher(Files.readString(doc));
      while (m.find()) {
        String href = m.group(1);
        if (href.matches("^[a-z]+:.*")) {
          continue; // https:, mailto: and the like leave the tarball on purpose
        }
        String file = href.replaceFirst("#.*", "");
        String anchor = href.contains("#") ? href.substring(href.indexOf('#') + 1) : "";
        Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
        String where = installed.home.relativize(doc) + " links to " + href;
        assertThat(resolved).as(where).startsWith(installed.home).exists();
        if (!anchor.isEmpty()) {
          assertThat(headingAnchors(Files.readString(resolved))).as(where).contains(anchor);
        }
        checked++;
      }
    }
    assertThat(checked).as("relative links checked").isGreaterThan(10);
  }

  /** The anchors GitHub gives a Markdown file's headings. */
  private static List<String> headingAnchors(String markdown) {
    return markdown
        .lines()
        .filter(l -> l.startsWith("#"))
        .map(
            l ->
                l.replaceFirst("^#+\\s*", "")
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9 _-]", "")
                    .replace(' ', '-'))
        .toList();
  }

  @Test
  void theJarIsRunnableMultiReleaseAndReproducible() throws Exception {
    Path jar = Path.of(System.getProperty("dockerpulls.jar"));
    Instant stamp = Instant.parse(System.getProperty("dockerpulls.outputTimestamp"));
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      assertThat(manifest.getMainAttributes().getValue("Main-Class"))
          .isEqualTo("io.github.dockerpulls.cli.Main");
      assertThat(manifest.getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
      // Reproducible: the project's own entries carry its fixed timestamp, never the build's
      // time; the dependencies' entries keep the times of the jars they come from.
      int own = 0;
      for (JarEntry entry : Collections.list(file.entries())) {
        String name = entry.getName();
        if (name.startsWith("io/github/dockerpulls/") || name.equals("META-INF/MANIFEST.MF")) {
          own++;
          assertThat(entry.getLastModifiedTime().toInstant())
              .as(name)
              .isBetween(stamp.minusSeconds(14 * 3600), stamp.plusSeconds(14 * 3600));
        }
      }
      assertThat(own).isGreaterThan(50);
    }
  }

  @Test
  void theClassFileStepOfTheBuildSaysNothingWhenItSucceeds() throws Exception {
    // Run again on the built jar (where nothing is left to rewrite but the one class it keeps):
    // a build that succeeds prints nothing, so neither may this step.
    Path jar = Path.of(System.getProperty("dockerpulls.jar"));
    Path copy = Files.createTempFile("dockerpulls-copy", ".jar");
    try {
      Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  Path.of("target", "build-tools").toAbsolutePath() + "/*",
                  Path.of("src", "build", "ModernClassFiles.java").toAbsolutePath().toString(),
                  copy.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).as(output).isZero();
      assertThat(output).isEmpty();
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  @Test
  void theJarHoldsNoClassFileThatClassDataSharingRefuses() throws Exception {
    // Class data sharing archives no class file older than Java 6 (version 50); the build
    // rewrites them (src/build/ModernClassFiles.java). The one left needs log4j, which is absent.
    Path jar = Path.of(System.getProperty("dockerpulls.jar"));
    List<String> old = new ArrayList<>();
    int picocli = 0;
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry : Collections.list(file.entries())) {
        if (!entry.getName().endsWith(".class") || entry.getName().startsWith("META-INF/")) {
          continue;
        }
        byte[] head;
        try (InputStream in = file.getInputStream(entry)) {
          head = in.readNBytes(8);
        }
        int major = ((head[6] & 0xff) << 8) | (head[7] & 0xff);
        if (major < 50) {
          old.add(entry.getName());
        }
        if (entry.getName().startsWith("picocli/")) {
          picocli++;
          assertThat(major).as(entry.getName()).isEqualTo(52);
        }
      }
    }
    assertThat(picocli).isGreaterThan(200);
    assertThat(old).containsExactly("org/apache/commons/logging/impl/Log4JLogger.class");
  }

  @Test
  void theLauncherPrintsTheVersionAndTheCommit() throws Exception {
    Installed installed = Installed.unpack(dir);
    Installed.Result run =
        Installed.run(
            dir, Map.of("DOCKERPULLS_CDS", "off"), installed.launcher().toString(), "--version");
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out().lines().findFirst().orElseThrow())
        .matches("dockerpulls " + Pattern.quote(Installed.VERSION) + " \\(commit [0-9a-f]{12}\\)");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void theLauncherWorksThroughASymbolicLinkAndSaysWhenJavaIsMissing() throws Exception {
    Installed installed = Installed.unpack(dir);
    Path bin = Files.createDirectories(dir.resolve("usr/local/bin"));
    Path link = Files.createSymbolicLink(bin.resolve("dockerpulls"), installed.launcher());
    Installed.Result viaLink =
        Installed.run(dir, Map.of("DOCKERPULLS_CDS", "off"), link.toString(), "--version");
    assertThat(viaLink.exit()).as(viaLink.toString()).isZero();
    assertThat(viaLink.out()).startsWith("dockerpulls " + Installed.VERSION);

    Installed.Result noJava =
        Installed.run(dir, Map.of("JAVA_HOME", "/nonexistent/jdk"), link.toString(), "--version");
    assertThat(noJava.exit()).isEqualTo(1);
    assertThat(noJava.out()).isEmpty();
    assertThat(noJava.err())
        .isEqualTo("dockerpulls: JAVA_HOME is /nonexistent/jdk, which has no bin/java\n");
  }

  @Test
  void commandsThatEndStartWithTheirHeapAndServeStartsSmall() throws Exception {
    Installed installed = Installed.unpack(dir);
    // A Java that prints what it was given, one argument a line.
    Path fakeHome = fakeJdk("fake-jdk", "printf '%s\\n' \"$@\"");
    Map<String, String> env = Map.of("JAVA_HOME", fakeHome.toString(), "DOCKERPULLS_CDS", "off");
    String launcher = installed.launcher().toString();

    Installed.Result export =
        Installed.run(dir, env, launcher, "export", "--repo", "library/httpd");
    assertThat(export.exit()).as(export.toString()).isZero();
    assertThat(export.out().lines())
        .contains("-Xms64m", "-XX:+UseSerialGC", "-XX:MaxHeapFreeRatio=30", "-jar")
        .endsWith("export", "--repo", "library/httpd");

    Installed.Result serve = Installed.run(dir, env, launcher, "serve", "--org", "camunda");
    assertThat(serve.out().lines()).contains("-XX:+UseSerialGC").doesNotContain("-Xms64m");

    Map<String, String> own = new java.util.HashMap<>(env);
    own.put("JAVA_OPTS", "-Xmx32m");
    Installed.Result replaced = Installed.run(dir, own, launcher, "export", "--repo", "a/b");
    assertThat(replaced.out().lines())
        .contains("-Xmx32m")
        .doesNotContain("-Xms64m", "-XX:+UseSerialGC");
  }

  @Test
  void theLauncherReadsJavasVersionAndFollowsARelativeLink() throws Exception {
    Installed installed = Installed.unpack(dir);
    Path jdk = fakeJdk("old-jdk", "echo started");
    Path java = jdk.resolve("bin/java");
    Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"11.0.2\"\n");
    Map<String, String> env = Map.of("JAVA_HOME", jdk.toString(), "DOCKERPULLS_CDS", "off");
    Installed.Result old = Installed.run(dir, env, installed.launcher().toString(), "--version");
    assertThat(old.exit()).isEqualTo(1);
    assertThat(old.err())
        .isEqualTo(
            "dockerpulls: Java 11 at " + java + " is too old: dockerpulls needs 17 or newer\n");

    Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"25.0.3\"\nOS_NAME=\"Linux\"\n");
    // Reached through a relative symbolic link, as package managers install commands.
    Path bin = Files.createDirectories(dir.resolve("usr/bin"));
    Path link =
        Files.createSymbolicLink(bin.resolve("dockerpulls"), bin.relativize(installed.launcher()));
    Installed.Result fine = Installed.run(dir, env, link.toString(), "--version");
    assertThat(fine.exit()).as(fine.toString()).isZero();
    assertThat(fine.out()).isEqualTo("started\n");
  }

  /**
   * A directory laid out as a JDK whose {@code bin/java} is a shell script running {@code body}.
   */
  private Path fakeJdk(String name, String body) throws Exception {
    Path home = Files.createDirectories(dir.resolve(name + "/bin")).getParent();
    Path java = home.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }

  @Test
  void theFirstRunTrainsAClassDataSharingArchiveThatTheNextRunsUse() throws Exception {
    Installed installed = Installed.unpack(dir);
    Path cache = dir.resolve("cache");
    Map<String, String> env = Map.of("DOCKERPULLS_CACHE_DIR", cache.toString());
    try (FakeHub hub = new FakeHub()) {
      hub.documentedExamples();
      String[] export = {
        installed.launcher().toString(),
        "export",
        "--hub-url",
        hub.url(),
        "--repo",
        "library/httpd",
        "--no-history" // the runs are compared: the second would add the history's columns
      };
      Installed.Result first = Installed.run(dir, env, export);
      assertThat(first.exit()).as(first.toString()).isZero();
      assertThat(first.out()).startsWith("REPOSITORY ").contains("library/httpd  2,242,267,726");

      // The training runs in the background, renames its archive into place when done, and
      // then removes its lock.
      boolean done = false;
      for (int i = 0; i < 600 && !done; i++) {
        try (Stream<Path> files = Files.list(cache)) {
          List<String> names = files.map(f -> f.getFileName().toString()).toList();
          done =
              names.stream().anyMatch(n -> n.endsWith(".jsa.stamp"))
                  && names.stream().noneMatch(n -> n.endsWith(".lock"));
        }
        if (!done) {
          Thread.sleep(100);
        }
      }
      assertThat(done).as("the CDS archive trained in " + cache).isTrue();
      try (Stream<Path> files = Files.list(cache)) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .anyMatch(n -> n.matches("dockerpulls-\\d+\\.jsa"));
      }
      // The training's exports record into a history of their own, never the user's.
      assertThat(dir.resolve(".local/share/dockerpulls")).doesNotExist();

      // -Xshare:on makes the JVM fail rather than run without the archive: it is used.
      Map<String, String> strict =
          Map.of(
              "DOCKERPULLS_CACHE_DIR",
              cache.toString(),
              "JAVA_OPTS",
              "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:on");
      Installed.Result next = Installed.run(dir, strict, export);
      assertThat(next.exit()).as(next.toString()).isZero();
      assertThat(next.out())
          .isEqualTo(
              first
                  .out()
                  .replaceAll(
                      "observed \\S+", next.out().replaceAll("(?s).*(observed \\S+).*", "$1")));
      assertThat(next.err()).isEmpty();
    }
  }

  @Test
  void withCdsOffNothingIsWritten() throws Exception {
    Installed installed = Installed.unpack(dir);
    Path cache = dir.resolve("cache");
    Installed.Result run =
        Installed.run(
            dir,
            Map.of("DOCKERPULLS_CDS", "off", "DOCKERPULLS_CACHE_DIR", cache.toString()),
            installed.launcher().toString(),
            "--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("export", "serve", "ratelimit");
    Thread.sleep(500);
    assertThat(cache).doesNotExist();
  }

  @Test
  void theExampleConfigurationRunsTheExporter() throws Exception {
    Installed installed = Installed.unpack(dir);
    Path config = installed.home.resolve("config/dockerpulls.conf.example");
    int port;
    try (java.net.ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (FakeHub hub = new FakeHub().documentedExamples()) {
      // The file's targets and interval; the command line's port wins over the file's 2113.
      Installed.Running serve =
          Installed.start(
              dir,
              Map.of("DOCKERPULLS_CDS", "off", "DOCKERHUB_API_URL", hub.url()),
              installed.launcher().toString(),
              "serve",
              "--config",
              config.toString(),
              "--port",
              Integer.toString(port));
      try {
        // Ready once a refresh has read a target; both are read in the same refresh.
        String body = serve.awaitMetrics(port);
        assertThat(body)
            .contains("dockerhub_target_up{target=\"camunda\"} 1")
            .contains("docker_image_pulls{organization=\"camunda\",image=\"zeebe\"} 9876543");
        assertThat(serve.err()).contains("every 5m");
      } finally {
        serve.stop();
      }
    }
  }
}
