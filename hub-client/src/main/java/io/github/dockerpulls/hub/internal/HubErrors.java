package io.github.dockerpulls.hub.internal;

import io.github.dockerpulls.hub.HubException;

/** Turns answers the transport handed back (2xx and 4xx other than 429) into results or errors. */
final class HubErrors {
  private HubErrors() {}

  /**
   * Throws {@link HubException.UnexpectedResponse} unless the answer is a JSON document: a
   * Cloudflare challenge page comes with status 200 and {@code text/html}.
   */
  static void requireJson(HubHttp.Answer answer, String what) {
    if (!HubHttp.isJson(answer)) {
      String type = answer.contentType().isBlank() ? "no content type" : answer.contentType();
      throw new HubException.UnexpectedResponse(
          "Docker Hub answered "
              + what
              + " with status "
              + answer.status()
              + " and "
              + type
              + " instead of JSON (a proxy or a Cloudflare challenge page?): "
              + HubHttp.excerpt(answer),
          answer.status(),
          HubHttp.excerpt(answer));
    }
  }

  /**
   * The error for a non-2xx answer.
   *
   * @param what the request in words, such as "the repository library/httpd"
   * @param credentialsSent whether the request carried a token
   */
  static HubException toException(HubHttp.Answer answer, String what, boolean credentialsSent) {
    int status = answer.status();
    if (!HubHttp.isJson(answer)) {
      requireJson(answer, what);
    }
    String message = HubJson.errorMessage(answer.body());
    String reason = message.isEmpty() ? "" : ": " + HubHttp.oneLine(message, 160);
    switch (status) {
      case 404:
        return new HubException.NotFound(
            "Docker Hub does not know "
                + what
                + (credentialsSent ? "" : " (or it is private: authenticate to see it)"));
      case 401:
        return new HubException.Unauthorized(
            "Docker Hub refused " + what + " (401" + reason + ")", credentialsSent);
      case 403:
        if (message.contains("anonymous")) {
          return new HubException.Unauthorized(
              "Docker Hub shows anonymous callers only the first 100 repositories of a namespace;"
                  + " authenticate (a username with a personal access token, or an organization"
                  + " with an organization access token) to read "
                  + what
                  + " whole",
              false);
        }
        return new HubException.Unauthorized(
            "Docker Hub forbids " + what + " (403" + reason + ")", credentialsSent);
      default:
        return new HubException.UnexpectedResponse(
            "Docker Hub answered " + what + " with status " + status + reason,
            status,
            HubHttp.excerpt(answer));
    }
  }
}
