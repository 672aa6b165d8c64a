package io.github.dockerpulls.cli;

import io.github.dockerpulls.hub.DockerHub;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the project's version and the Java running it. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "dockerpulls " + DockerHub.version(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
