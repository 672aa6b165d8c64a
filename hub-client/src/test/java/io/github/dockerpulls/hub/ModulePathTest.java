package io.github.dockerpulls.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.testing.FakeHub;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The library as a consumer on the module path sees it: a module that {@code requires
 * io.github.dockerpulls.hub} compiles and runs against the exported API (Moshi reads the Hub's
 * answers through the module's qualified {@code opens}), and one that reaches into {@code
 * io.github.dockerpulls.hub.internal} does not compile.
 */
class ModulePathTest {
  private final FakeHub fake = new FakeHub();

  @AfterEach
  void close() {
    fake.close();
  }

  /**
   * The library's compiled module and the modules it requires, as the test's class path has them.
   */
  private static String modulePath() {
    Path classes = Path.of("target", "classes").toAbsolutePath();
    assertThat(classes.resolve("module-info.class")).exists();
    List<String> path = new ArrayList<>(List.of(classes.toString()));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (name.matches("(okhttp-jvm|okio-jvm|moshi|kotlin-stdlib|annotations)-[0-9.]+\\.jar")) {
        path.add(entry);
      }
    }
    assertThat(path).hasSize(6);
    return String.join(File.pathSeparator, path);
  }

  private static Path consumer(String main) throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "module-path-test"));
    Path src = Files.createTempDirectory(dir.toAbsolutePath(), "consumer-");
    Files.createDirectories(src.resolve("src/consumer"));
    Files.writeString(
        src.resolve("src/module-info.java"),
        "module consumer { requires io.github.dockerpulls.hub; }\n");
    Files.writeString(src.resolve("src/consumer/Main.java"), main);
    return src;
  }

  private static String compile(Path consumer) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    List<String> args =
        new ArrayList<>(
            List.of(
                "--module-path",
                modulePath(),
                // Not the test's own class path, which holds the library's classes too.
                "--class-path",
                consumer.resolve("src").toString(),
                "-d",
                consumer.resolve("out").toString(),
                "-Xlint:-options"));
    try (Stream<Path> files = Files.walk(consumer.resolve("src"))) {
      args.addAll(files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    int code =
        javac.run(
            null,
            new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
            new java.io.PrintStream(
                new java.io.OutputStream() {
                  @Override
                  public void write(int b) {
                    diagnostics.write(b);
                  }
                },
                true,
                StandardCharsets.UTF_8),
            args.toArray(String[]::new));
    return code == 0 ? null : diagnostics.toString();
  }

  @Test
  void aConsumerOnTheModulePathUsesTheExportedApi() throws Exception {
    fake.repository(
        "library",
        "httpd",
        FakeHub.repositoryJson("library", "httpd", 2242267726L, 3318, 0, "2021-01-12T13:42:29Z"));
    Path consumer =
        consumer(
            """
            package consumer;

            import io.github.dockerpulls.hub.DockerHub;
            import io.github.dockerpulls.hub.RepositoryStats;

            public class Main {
              public static void main(String[] args) {
                try (DockerHub hub = DockerHub.builder().baseUrl(args[0]).build()) {
                  RepositoryStats httpd = hub.getRepository("library", "httpd");
                  System.out.println(httpd.fullName() + " " + httpd.pullCount());
                  System.out.println(DockerHub.class.getModule().getName());
                }
              }
            }
            """);
    assertThat(compile(consumer)).isNull();

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "--module-path",
                consumer.resolve("out") + File.pathSeparator + modulePath(),
                "-m",
                "consumer/consumer.Main",
                fake.url())
            .redirectErrorStream(true)
            .start();
    String output;
    try (var in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output.lines().collect(Collectors.toList()))
        .containsExactly("library/httpd 2242267726", "io.github.dockerpulls.hub");
  }

  @Test
  void theInternalPackageIsNotReachableFromAConsumer() throws Exception {
    Path consumer =
        consumer(
            """
            package consumer;

            public class Main {
              public static void main(String[] args) {
                System.out.println(io.github.dockerpulls.hub.internal.HubJson.class);
              }
            }
            """);
    assertThat(compile(consumer))
        .isNotNull()
        .contains("package io.github.dockerpulls.hub.internal is not visible")
        .contains("does not export it");
  }

  @Test
  void theModuleExportsOnlyTheApiPackage() {
    Module module = DockerHub.class.getModule();
    // On the class path the tests run in the unnamed module; the descriptor is read from the jar's
    // classes instead.
    java.lang.module.ModuleDescriptor descriptor;
    try (var in = Files.newInputStream(Path.of("target", "classes", "module-info.class"))) {
      descriptor = java.lang.module.ModuleDescriptor.read(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(module).isNotNull();
    assertThat(descriptor.name()).isEqualTo("io.github.dockerpulls.hub");
    assertThat(descriptor.exports())
        .extracting(java.lang.module.ModuleDescriptor.Exports::source)
        .containsExactly("io.github.dockerpulls.hub");
    assertThat(descriptor.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    assertThat(descriptor.opens())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.source()).isEqualTo("io.github.dockerpulls.hub.internal");
              assertThat(o.targets()).containsExactly("com.squareup.moshi");
            });
  }
}
