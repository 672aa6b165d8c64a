package io.github.dockerpulls.hub;

import java.time.Instant;
import java.util.Optional;

/**
 * What went wrong while talking to Docker Hub. The family is sealed, so a caller can act on each
 * kind: ask for credentials on {@link Unauthorized}, wait until {@link RateLimited#retryAt()},
 * report {@link NotFound} to the user, and so on.
 *
 * <p>Messages are single lines meant for people and never contain a secret.
 */
public abstract sealed class HubException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private HubException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The namespace or repository does not exist, or is private and the caller may not see it. */
  public static final class NotFound extends HubException {
    private static final long serialVersionUID = 1L;

    public NotFound(String message) {
      super(message, null);
    }
  }

  /** The Hub refused the credentials, or the request needs credentials it was not given. */
  public static final class Unauthorized extends HubException {
    private static final long serialVersionUID = 1L;
    private final boolean credentialsSent;

    public Unauthorized(String message, boolean credentialsSent) {
      super(message, null);
      this.credentialsSent = credentialsSent;
    }

    /** Whether the refused request carried credentials (false: authenticating would help). */
    public boolean credentialsSent() {
      return credentialsSent;
    }
  }

  /** The Hub answered 429 and the wait it asked for is longer than the client may wait. */
  public static final class RateLimited extends HubException {
    private static final long serialVersionUID = 1L;
    private final transient Instant retryAt;

    public RateLimited(String message, Instant retryAt) {
      super(message, null);
      this.retryAt = retryAt;
    }

    /** The earliest time the Hub accepts another request. */
    public Instant retryAt() {
      return retryAt;
    }
  }

  /** The Hub answered 5xx, and kept doing so through every retry. */
  public static final class ServerError extends HubException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ServerError(String message, int status) {
      super(message, null);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /**
   * An answer the client cannot read: an HTML or text page instead of JSON (a Cloudflare challenge,
   * a proxy's error page), a JSON document of the wrong shape, or an unexpected status.
   */
  public static final class UnexpectedResponse extends HubException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String excerpt;

    public UnexpectedResponse(String message, int status, String excerpt) {
      super(message, null);
      this.status = status;
      this.excerpt = excerpt;
    }

    public int status() {
      return status;
    }

    /** The first characters of the body, on one line; empty when there was none. */
    public String excerpt() {
      return excerpt;
    }
  }

  /** A namespace or repository name that breaks Docker Hub's naming rules; nothing was sent. */
  public static final class InvalidName extends HubException {
    private static final long serialVersionUID = 1L;

    public InvalidName(String message) {
      super(message, null);
    }
  }

  /** The Hub could not be reached: DNS, refused or cut connections, timeouts, after retries. */
  public static final class Unreachable extends HubException {
    private static final long serialVersionUID = 1L;

    public Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * A namespace's listing kept changing while it was read (repositories created or deleted between
   * pages), so no complete list could be taken. Trying again later usually works.
   */
  public static final class ListingChanged extends HubException {
    private static final long serialVersionUID = 1L;

    public ListingChanged(String message) {
      super(message, null);
    }
  }

  /**
   * A namespace holds more repositories than this client is set to read ({@link
   * DockerHub.Builder#maxRepositoriesPerTarget}): nothing is fetched beyond the first page, since
   * the Hub's count alone would decide how many requests are sent and how much is kept.
   */
  public static final class TooManyRepositories extends HubException {
    private static final long serialVersionUID = 1L;
    private final long claimed;
    private final int ceiling;

    public TooManyRepositories(String message, long claimed, int ceiling) {
      super(message, null);
      this.claimed = claimed;
      this.ceiling = ceiling;
    }

    /** How many repositories the Hub said the namespace has. */
    public long claimed() {
      return claimed;
    }

    /** The most this client reads of one namespace. */
    public int ceiling() {
      return ceiling;
    }
  }

  /** The retry time when this is {@link RateLimited}, so schedulers need no type test. */
  public Optional<Instant> retryTime() {
    return this instanceof RateLimited r ? Optional.ofNullable(r.retryAt()) : Optional.empty();
  }
}
