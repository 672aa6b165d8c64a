package io.github.dockerpulls.distribution;

import com.sun.net.httpserver.HttpServer;
import io.github.dockerpulls.cli.DockerPulls;
import io.github.dockerpulls.cli.ExitCode;
import io.github.dockerpulls.cli.Format;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The training run for a class data sharing archive: {@code java -XX:ArchiveClassesAtExit=FILE -cp
 * dockerpulls.jar io.github.dockerpulls.distribution.CdsTraining}. It answers like Docker Hub on a
 * loopback port and runs {@code export} against it in each format, so that the archive holds the
 * classes a real export loads. It prints nothing and sends nothing beyond the loopback interface.
 *
 * <p>The launcher and the Docker image build run it; people do not need to.
 */
public final class CdsTraining {
  private static final String REPOSITORY =
      "{\"user\":\"library\",\"name\":\"httpd\",\"namespace\":\"library\","
          + "\"repository_type\":\"image\",\"status\":1,\"is_private\":false,"
          + "\"star_count\":3318,\"pull_count\":2242267726,"
          + "\"last_updated\":\"2021-01-12T13:42:29.184204Z\",\"collaborator_count\":0}";

  private static final String PAGE =
      "{\"count\":1,\"next\":null,\"previous\":null,\"results\":[{\"name\":\"zeebe\","
          + "\"namespace\":\"camunda\",\"repository_type\":\"image\",\"status\":1,"
          + "\"is_private\":false,\"star_count\":120,\"pull_count\":9876543,"
          + "\"last_updated\":\"2026-11-21T17:45:30Z\"}]}";

  private CdsTraining() {}

  /**
   * A started server on a loopback port that answers like Docker Hub at once: library/httpd for any
   * single-repository request, one page with camunda/zeebe for any listing. The start-up benchmark
   * uses it too.
   */
  public static HttpServer simulatedHub() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          byte[] body =
              (path.contains("/repositories/httpd") ? REPOSITORY : PAGE)
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return server;
  }

  public static void main(String[] args) throws IOException {
    HttpServer server = simulatedHub();
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    // A history of its own, deleted afterwards: the training records (so that the archive holds
    // the history's classes too) but never into the user's.
    Path history = Files.createTempDirectory("dockerpulls-cds-history-");
    int failures = 0;
    try {
      for (Format format : Format.values()) {
        CommandLine cl = DockerPulls.commandLine();
        cl.setOut(new PrintWriter(Writer.nullWriter()));
        cl.setErr(new PrintWriter(Writer.nullWriter()));
        int code =
            DockerPulls.execute(
                cl,
                "export",
                "--hub-url",
                url,
                "--repo",
                "library/httpd",
                "--org",
                "camunda",
                "--format",
                format.toString(),
                "--data-dir",
                history.toString());
        if (code != ExitCode.OK) {
          failures++;
        }
      }
    } finally {
      server.stop(0);
      try (Stream<Path> files = Files.walk(history)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(failures == 0 ? 0 : 1);
  }
}
