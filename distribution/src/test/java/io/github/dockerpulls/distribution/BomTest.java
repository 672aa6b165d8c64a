package io.github.dockerpulls.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** dockerpulls-bom manages every module a project may depend on, at the build's version. */
class BomTest {
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");

  @Test
  void theBomListsEveryLibraryModuleAndHasNoParent() throws Exception {
    String parent = Files.readString(Path.of("..", "pom.xml"));
    String bom = Files.readString(Path.of("..", "bom", "pom.xml"));
    List<String> artifacts = new ArrayList<>();
    Matcher m = MODULE.matcher(parent);
    while (m.find()) {
      String module = m.group(1);
      if (module.equals("bom") || module.equals("distribution")) {
        continue;
      }
      Matcher a = ARTIFACT.matcher(Files.readString(Path.of("..", module, "pom.xml")));
      a.find(); // the parent's
      a.find();
      artifacts.add(a.group(1));
    }
    assertThat(artifacts).hasSizeGreaterThanOrEqualTo(7);
    for (String artifact : artifacts) {
      assertThat(bom)
          .as(artifact)
          .contains(
              "<artifactId>"
                  + artifact
                  + "</artifactId>\n        <version>${project.version}</version>");
    }
    // Importing it must not bring the build's third-party versions along.
    assertThat(bom).doesNotContain("<parent>");
    String version =
        parent.substring(parent.indexOf("<version>") + 9, parent.indexOf("</version>"));
    assertThat(bom).contains("<version>" + version + "</version>");
  }
}
