package io.github.dockerpulls.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.FakeHub;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the commands README.md shows, as written, against a scripted Docker Hub: the variables
 * DOCKERHUB_API_URL and DOCKERHUB_REGISTRY(_AUTH)_URL point the unchanged commands at it. What
 * cannot run on the build machines is listed with the reason and where it is tested instead.
 */
class ReadmeIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** Commands left out, by how they start, with why. */
  private static final Map<String, String> NOT_HERE =
      Map.of(
          "./mvnw verify", "the test command itself: CI runs it",
          "docker ", "no Docker engine here; DockerfileIT replays the image's run stage",
          "kubectl ", "no cluster here; KubernetesManifestsTest checks the manifests",
          "./dockerpulls export --org camunda --to elasticsearch",
              "needs the reader's Elasticsearch; ElasticsearchCliTest runs these options against a real one");

  @TempDir Path dir;

  /** A README code block: its language and lines, continuation lines joined. */
  record Block(String language, List<String> lines) {}

  static List<Block> blocks() throws Exception {
    List<Block> blocks = new ArrayList<>();
    List<String> lines = null;
    String language = null;
    StringBuilder pending = new StringBuilder();
    for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
      if (line.startsWith("```")) {
        if (lines == null) {
          language = line.substring(3).strip();
          lines = new ArrayList<>();
        } else {
          blocks.add(new Block(language, lines));
          lines = null;
        }
      } else if (lines != null) {
        if (line.endsWith("\\")) {
          pending.append(line, 0, line.length() - 1);
        } else {
          lines.add(pending + line);
          pending.setLength(0);
        }
      }
    }
    return blocks;
  }

  @Test
  void everyShellCommandInTheReadmeRunsAsWritten() throws Exception {
    List<Block> blocks = blocks();
    List<String> ran = new ArrayList<>();
    try (FakeHub hub = new FakeHub()) {
      hub.documentedExamples();
      Map<String, String> env = new HashMap<>();
      env.put("DOCKERHUB_API_URL", hub.url());
      env.put("DOCKERHUB_REGISTRY_URL", hub.url());
      env.put("DOCKERHUB_REGISTRY_AUTH_URL", hub.url());
      env.put("DOCKERPULLS_CDS", "off");
      Installed.Running serve = null;
      long lastSecond = -1;
      try {
        for (int b = 0; b < blocks.size(); b++) {
          Block block = blocks.get(b);
          if (!block.language().equals("sh")) {
            continue;
          }
          for (String command : block.lines()) {
            if (command.isBlank() || skipped(command)) {
              continue;
            }
            String runnable =
                command
                    .replace("./dockerpulls ", ROOT.resolve("dockerpulls") + " ")
                    .replace("distribution/target/", ROOT.resolve("distribution/target") + "/")
                    .replace("/opt", dir.resolve("opt").toString());
            Files.createDirectories(dir.resolve("opt"));
            // The history keeps one observation per repository and second: two exports within
            // one second are one observation, and the CSV's recent-pulls columns, which need two,
            // would be left out. Each command starts in a second of its own.
            long second = System.currentTimeMillis() / 1000;
            if (second == lastSecond) {
              Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 5);
            }
            if (runnable.endsWith("&")) {
              serve =
                  Installed.start(dir, env, "sh", "-c", "exec " + runnable.replaceAll("&$", ""));
              serve.awaitMetrics(2113);
              ran.add(command);
              continue;
            }
            Installed.Result result = Installed.run(dir, env, "sh", "-c", runnable);
            assertThat(result.exit()).as(command + "\n" + result).isZero();
            // A plain block right after a command's block is what the command prints.
            if (b + 1 < blocks.size() && blocks.get(b + 1).language().isEmpty()) {
              for (String expected : blocks.get(b + 1).lines()) {
                if (!expected.equals("...")) {
                  assertThat(result.out()).as(command).contains(expected);
                }
              }
            }
            ran.add(command);
            lastSecond = System.currentTimeMillis() / 1000;
          }
        }
      } finally {
        if (serve != null) {
          serve.stop();
        }
      }
    }
    assertThat(Files.readString(dir.resolve("camunda.csv")))
        // Earlier commands of the README recorded a history: the recent pulls come after.
        .startsWith("namespace,name,pull_count,star_count,last_updated,observed_at,pulls_24h,");
    assertThat(Files.readString(dir.resolve("dockerhub.prom")))
        .contains("docker_image_pulls{organization=\"camunda\",image=\"zeebe\"} 9876543\n");
    assertThat(ran)
        .anyMatch(c -> c.startsWith("./dockerpulls export --org camunda"))
        .anyMatch(c -> c.startsWith("./dockerpulls ratelimit"))
        .anyMatch(c -> c.startsWith("./dockerpulls serve"))
        .anyMatch(c -> c.startsWith("curl"))
        .anyMatch(c -> c.startsWith("tar -xzf"))
        .anyMatch(c -> c.contains("bin/dockerpulls --version"));
  }

  private static boolean skipped(String command) {
    return NOT_HERE.keySet().stream().anyMatch(command::startsWith);
  }

  @Test
  void theJavaExampleCompilesAgainstTheLibrary() throws Exception {
    String example =
        blocks().stream()
            .filter(b -> b.language().equals("java"))
            .map(b -> String.join("\n", b.lines()))
            .findFirst()
            .orElseThrow();
    String source =
        "import io.github.dockerpulls.hub.*;\n"
            + "class ReadmeExample {\n  void run() throws Exception {\n"
            + example
            + "\n  }\n}\n";
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    JavaFileObject file =
        new SimpleJavaFileObject(
            URI.create("string:///ReadmeExample.java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    StringWriter diagnostics = new StringWriter();
    boolean ok =
        compiler
            .getTask(
                diagnostics,
                null,
                null,
                List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path")),
                null,
                List.of(file))
            .call();
    assertThat(ok).as(diagnostics.toString()).isTrue();
  }
}
