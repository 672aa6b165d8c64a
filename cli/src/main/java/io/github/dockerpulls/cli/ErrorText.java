package io.github.dockerpulls.cli;

import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.text.Messages;

/**
 * The text of a problem as the commands print it: one line, and for the lower modules' errors the
 * command-line option that would help, since the libraries name no flags. Every command and the log
 * go through here, so that nothing in the CLI imports a command for its wording.
 */
final class ErrorText {
  private ErrorText() {}

  /** A message for stderr: one line, no control characters, at most 2,000 characters. */
  static String oneLine(String s) {
    return Messages.oneLine(s, 2000);
  }

  /** The Hub error's message, with the command-line way to authenticate where that would help. */
  static String hub(HubException e) {
    return hub(e, "--hub-url names a mirror");
  }

  /**
   * The same, naming {@code mirrorHint} (the option of this command that points elsewhere) where
   * the Hub cannot be reached.
   */
  static String hub(HubException e, String mirrorHint) {
    if (e instanceof HubException.Unauthorized u && !u.credentialsSent()) {
      return e.getMessage()
          + " (--username NAME --token-file FILE, or env DOCKERHUB_USERNAME and DOCKERHUB_TOKEN)";
    }
    if (e instanceof HubException.Unreachable && !e.getMessage().startsWith("interrupted")) {
      return e.getMessage()
          + " (check the network, DNS and any proxy: HTTPS_PROXY, or -Dhttps.proxyHost in"
          + " JAVA_OPTS; "
          + mirrorHint
          + ")";
    }
    if (e instanceof HubException.TooManyRepositories) {
      return e.getMessage() + " (--max-repositories or DOCKERPULLS_MAX_REPOSITORIES raises it)";
    }
    return e.getMessage();
  }
}
