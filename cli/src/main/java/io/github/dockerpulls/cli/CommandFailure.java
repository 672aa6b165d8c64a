package io.github.dockerpulls.cli;

/**
 * A command cannot do its work; the message is the one line the user sees, and the exit code is
 * {@link ExitCode#FAILED}.
 */
final class CommandFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CommandFailure(String message) {
    super(message);
  }
}
