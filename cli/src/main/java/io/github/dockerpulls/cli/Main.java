package io.github.dockerpulls.cli;

/**
 * The runnable jar's entry point. {@code dockerpulls --version} alone is answered here, before
 * {@link DockerPulls} and picocli are even loaded: the run then loads 579 classes, most of them
 * from the JDK's archive, instead of about 1,300. Everything else goes to {@link DockerPulls#main}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      for (String line : new VersionProvider().getVersion()) {
        System.out.println(line);
      }
      System.exit(System.out.checkError() ? ExitCode.FAILED : ExitCode.OK);
    }
    DockerPulls.main(args);
  }
}
