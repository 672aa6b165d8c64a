package io.github.dockerpulls.elasticsearch;

/**
 * Elasticsearch could not be used: unreachable, refusing the credentials, an untrusted certificate
 * or an unexpected answer. The message is one line meant for the user and never holds a secret.
 */
public final class SinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why, in categories a caller can act on. */
  public enum Kind {
    /** No connection, a timeout, or 5xx and 429 after the retries: worth trying later. */
    UNAVAILABLE,
    /** 401 or 403: the credentials are wrong or lack a privilege. */
    CREDENTIALS,
    /** The server's certificate is not trusted, or TLS failed. */
    TLS,
    /** Any other refusal, such as a bad request: retrying will not help. */
    REFUSED
  }

  private final Kind kind;

  public SinkException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether the same request may succeed later without any change on our side. */
  public boolean transientFailure() {
    return kind == Kind.UNAVAILABLE;
  }
}
