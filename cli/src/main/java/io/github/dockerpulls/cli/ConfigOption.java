package io.github.dockerpulls.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}, for the help of every command that takes it. The file itself is read by
 * {@link DockerPulls#execute} before picocli sees the arguments (see {@link ConfigFile}).
 */
public final class ConfigOption {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Read options from FILE first: the same options as on the command line, one or more per"
              + " line, # for comments. The command line wins over the file.")
  Path config;
}
