package io.github.dockerpulls.cli;

import io.github.dockerpulls.hub.DockerHub;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the project's version, the commit it was built from and the Java running it.
 */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    // String.join rather than +: string concatenation is linked at run time (invokedynamic), which
    // costs a tenth of the whole --version run.
    return new String[] {
      String.join("", "dockerpulls ", DockerHub.version(), " (commit ", commit(), ")"),
      String.join(
          "",
          "Java ",
          System.getProperty("java.version"),
          " (",
          System.getProperty("java.vendor"),
          ")")
    };
  }

  /** The abbreviated commit the build saw, or {@code unknown} for a build outside a git clone. */
  static String commit() {
    Properties properties = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException ignored) {
      // No build information: say so below.
    }
    String commit = properties.getProperty("git.commit.id.abbrev", "").strip();
    return commit.isEmpty() ? "unknown" : commit;
  }
}
