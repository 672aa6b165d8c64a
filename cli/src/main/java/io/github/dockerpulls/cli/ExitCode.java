package io.github.dockerpulls.cli;

/** The exit codes of every dockerpulls command. */
public final class ExitCode {
  /** Everything asked for was done. */
  public static final int OK = 0;

  /** Docker Hub (or an output) could not be read or written; nothing usable came out. */
  public static final int FAILED = 1;

  /** The command line or a file it names is wrong; nothing was sent anywhere. */
  public static final int BAD_INPUT = 2;

  /** Some targets failed; the others' data was still written. */
  public static final int PARTIAL = 3;

  private ExitCode() {}
}
