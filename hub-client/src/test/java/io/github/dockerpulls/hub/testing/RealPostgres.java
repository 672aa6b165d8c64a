package io.github.dockerpulls.hub.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server (Debian's {@code postgresql} package, installed by {@link RealServers}
 * when missing) that this test JVM starts once, on loopback and a free port, in a data directory of
 * its own, and stops when the JVM ends, whether the tests passed or failed.
 *
 * <p>It runs as the {@code postgres} user when the tests run as root ({@code initdb} refuses root),
 * and asks for a password ({@code scram-sha-256}) as a production server would.
 */
public final class RealPostgres {
  /** The user the tests connect as. */
  public static final String USER = "dockerpulls";

  private static RealPostgres shared;

  private final Path bin;
  private final Path home;
  private final Path data;
  private final int port;
  private final String password;
  private final boolean asPostgres;

  private RealPostgres(Path bin, Path home, int port, String password, boolean asPostgres) {
    this.bin = bin;
    this.home = home;
    this.data = home.resolve("data");
    this.port = port;
    this.password = password;
    this.asPostgres = asPostgres;
  }

  /**
   * The server of this JVM, started on first use; a failure when it cannot be (CI=true), a skipped
   * test otherwise.
   */
  public static synchronized RealPostgres shared() {
    if (shared == null) {
      Path initdb = RealServers.require("initdb");
      try {
        // pg_ctl and postgres sit beside the real initdb (PATH may hold a link to it).
        RealPostgres server = start(initdb.toRealPath().getParent());
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-stop"));
        shared = server;
      } catch (IOException e) {
        throw new AssertionError("PostgreSQL could not be started: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while starting PostgreSQL", e);
      }
    }
    return shared;
  }

  public int port() {
    return port;
  }

  public String password() {
    return password;
  }

  /** {@code postgresql://127.0.0.1:PORT/DATABASE?user=dockerpulls}, without the password. */
  public String url(String database) {
    return "postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
  }

  /** The JDBC URL of {@code database}, for the tests' own connections. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  private static RealPostgres start(Path bin) throws IOException, InterruptedException {
    boolean root = "root".equals(System.getProperty("user.name"));
    Path home = Files.createTempDirectory("dockerpulls-postgres-");
    String password = UUID.randomUUID().toString();
    Path pwfile = home.resolve("password");
    Files.writeString(pwfile, password + "\n");
    if (root) {
      UserPrincipal postgres =
          home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(home, postgres);
      Files.setOwner(pwfile, postgres);
    }
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    RealPostgres server = new RealPostgres(bin, home, port, password, root);
    Path log = home.resolve("initdb.log");
    int initdb =
        server.run(
            List.of(
                bin.resolve("initdb").toString(),
                "-D",
                server.data.toString(),
                "-U",
                USER,
                "--auth=scram-sha-256",
                "--pwfile=" + pwfile,
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync"),
            log);
    if (initdb != 0) {
      throw new IOException("initdb failed: " + tail(log));
    }
    // A test server: no durability needed, and the socket in its own directory.
    String options =
        "-p "
            + port
            + " -k "
            + home
            + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
            + " -c full_page_writes=off -c max_connections=200";
    Path serverLog = home.resolve("server.log");
    int started =
        server.run(
            List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                server.data.toString(),
                "-l",
                serverLog.toString(),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start"),
            home.resolve("pg_ctl.log"));
    if (started != 0) {
      throw new IOException(
          "pg_ctl start failed: " + tail(home.resolve("pg_ctl.log")) + " " + tail(serverLog));
    }
    return server;
  }

  /** Stops the server at once and removes its files. */
  public void stop() {
    try {
      run(
          List.of(
              bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"),
          home.resolve("pg_ctl.log"));
    } catch (IOException | InterruptedException ignored) {
      // The JVM is ending; the directory below is what is left to clean.
    }
    try (var walk = Files.walk(home)) {
      walk.sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // A leftover in the temporary directory.
                }
              });
    } catch (IOException ignored) {
      // Already gone.
    }
  }

  /** Runs a PostgreSQL program, as the postgres user when this JVM is root. */
  private int run(List<String> command, Path log) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    ProcessBuilder builder =
        new ProcessBuilder(full)
            .directory(home.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = builder.start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8).strip();
      return text.length() > 600 ? text.substring(text.length() - 600) : text;
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
