package io.github.dockerpulls.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.FakeHub;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile. There is no Docker engine on the build machines, so this reads the file and then
 * does what its run stage does, on the unpacked tarball: trains the CDS archive with its command,
 * starts its ENTRYPOINT and CMD with the Flask exporter's DOCKERHUB_ORGANIZATION, and runs its
 * HEALTHCHECK.
 */
class DockerfileIT {
  private static final Path DOCKERFILE = Path.of("..", "Dockerfile");
  private static final String IMAGE_HOME = "/opt/dockerpulls";
  private static final String IMAGE_DATA = "/var/lib/dockerpulls";

  @TempDir Path dir;

  /** The instructions, continuation lines joined, comments left out. */
  private static List<String[]> instructions() throws Exception {
    List<String[]> list = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(DOCKERFILE)) {
      if (line.strip().startsWith("#") || (current.isEmpty() && line.isBlank())) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      String text = current.toString().strip().replaceAll("\\s+", " ");
      current.setLength(0);
      int space = text.indexOf(' ');
      list.add(new String[] {text.substring(0, space), text.substring(space + 1)});
    }
    return list;
  }

  /** The instructions of the last stage: what the image runs. */
  private static Map<String, List<String>> runStage() throws Exception {
    Map<String, List<String>> stage = new LinkedHashMap<>();
    for (String[] i : instructions()) {
      if (i[0].equals("FROM")) {
        stage.clear();
      }
      stage.computeIfAbsent(i[0], k -> new ArrayList<>()).add(i[1]);
    }
    return stage;
  }

  @Test
  void buildsInOneStageAndRunsOnAJreAsANonRootUser() throws Exception {
    List<String> froms = new ArrayList<>();
    for (String[] i : instructions()) {
      if (i[0].equals("FROM")) {
        froms.add(i[1]);
      }
    }
    assertThat(froms).hasSize(2);
    assertThat(froms.get(0)).startsWith("maven:").endsWith(" AS build");
    assertThat(froms.get(1)).contains("-jre");
    Map<String, List<String>> run = runStage();
    String user = run.get("USER").get(0);
    assertThat(user).matches("[1-9][0-9]*:[1-9][0-9]*");
    assertThat(run.get("EXPOSE")).containsExactly(Integer.toString(ExporterFacts.defaultPort()));
    assertThat(run.get("HEALTHCHECK").get(0)).contains("/-/healthy");
    assertThat(run.get("ENTRYPOINT")).containsExactly("[\"" + IMAGE_HOME + "/bin/dockerpulls\"]");
    assertThat(run.get("CMD")).containsExactly("[\"serve\"]");
    assertThat(String.join("\n", run.get("COPY"))).contains("--from=build /dist " + IMAGE_HOME);
    // The history lives on a volume the image's user can write.
    assertThat(String.join("\n", run.get("ENV"))).contains("DOCKERPULLS_DATA_DIR=" + IMAGE_DATA);
    assertThat(run.get("VOLUME")).containsExactly("[\"" + IMAGE_DATA + "\"]");
    String[] uidGid = user.split(":");
    assertThat(String.join("\n", run.get("RUN")))
        .contains("install -d -o " + uidGid[0] + " -g " + uidGid[1] + " -m 0750 " + IMAGE_DATA);
  }

  @Test
  void theRunStageServesTheOrganizationFromDockerhubOrganizationAndIsHealthy() throws Exception {
    Installed installed = Installed.unpack(dir);
    Map<String, List<String>> stage = runStage();

    // RUN java ... -XX:ArchiveClassesAtExit=... CdsTraining && ln -s ...: the training part.
    String training =
        stage.get("RUN").stream().filter(r -> r.contains("CdsTraining")).findFirst().orElseThrow();
    training =
        training
            .substring(0, training.indexOf(" && "))
            .replace(IMAGE_HOME, installed.home.toString());
    Installed.Result trained = Installed.run(dir, Map.of(), "sh", "-c", training);
    assertThat(trained.exit()).as(trained.toString()).isZero();
    assertThat(installed.home.resolve("lib/dockerpulls.jsa")).isRegularFile();

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (FakeHub hub = new FakeHub()) {
      hub.documentedExamples();
      Map<String, String> env =
          Map.of(
              "DOCKERHUB_ORGANIZATION",
              "camunda",
              "DOCKERHUB_API_URL",
              hub.url(),
              "DOCKERPULLS_PORT",
              Integer.toString(port),
              "DOCKERPULLS_DATA_DIR",
              dir.resolve("var-lib-dockerpulls").toString(),
              // The image's launcher uses the archive in lib/; -Xshare:on fails if it cannot.
              "JAVA_OPTS",
              "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:on");
      List<String> command = new ArrayList<>();
      command.add(
          entry(stage.get("ENTRYPOINT").get(0)).replace(IMAGE_HOME, installed.home.toString()));
      command.add(entry(stage.get("CMD").get(0)));
      Installed.Running serve = Installed.start(dir, env, command.toArray(String[]::new));
      try {
        String metrics = serve.awaitMetrics(port);
        assertThat(metrics)
            .contains("# TYPE docker_image_pulls gauge\n")
            .contains(
                "docker_image_pulls{organization=\"camunda\",image=\"camunda-bpm-platform\"} 123456789\n");

        // HEALTHCHECK CMD ...: run by the image's shell, with the container's environment.
        String check = stage.get("HEALTHCHECK").get(0);
        check = check.substring(check.indexOf("CMD ") + 4);
        Installed.Result healthy =
            Installed.run(
                dir, Map.of("DOCKERPULLS_PORT", Integer.toString(port)), "sh", "-c", check);
        assertThat(healthy.exit()).as(healthy.toString()).isZero();
        assertThat(dir.resolve("var-lib-dockerpulls/dockerpulls.db")).isRegularFile();
      } finally {
        serve.stop();
      }
      assertThat(serve.err()).doesNotContain("[warning]").contains("stopping");
    }
  }

  /** The one word of an exec-form instruction: {@code ["serve"]} is {@code serve}. */
  private static String entry(String execForm) {
    Matcher m = Pattern.compile("^\\[\"([^\"]+)\"]$").matcher(execForm);
    assertThat(m.matches()).as(execForm).isTrue();
    return m.group(1);
  }
}
