package io.github.dockerpulls.hub;

import io.github.dockerpulls.hub.internal.HubClient;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import okhttp3.HttpUrl;

/**
 * A Docker Hub API client: the repositories of a namespace, one repository, and the registry's pull
 * rate limit.
 *
 * <pre>{@code
 * try (DockerHub hub = DockerHub.builder().build()) {
 *   for (RepositoryStats repo : hub.listRepositories("camunda").repositories()) {
 *     System.out.println(repo.fullName() + " " + repo.pullCount());
 *   }
 * }
 * }</pre>
 *
 * <p>A client is thread-safe and meant to be shared: it keeps connections, the access token and the
 * Hub's rate-limit state. Every method throws a {@link HubException} on failure.
 */
public final class DockerHub implements AutoCloseable {
  /** Docker Hub's API. */
  public static final String DEFAULT_BASE_URL = "https://hub.docker.com";

  /** The registry's token service, for the pull rate limit. */
  public static final String DEFAULT_REGISTRY_AUTH_URL = "https://auth.docker.io";

  /** The registry, for the pull rate limit. */
  public static final String DEFAULT_REGISTRY_URL = "https://registry-1.docker.io";

  /** Requests in flight at once by default. */
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 10;

  /**
   * The default ceiling of repositories read from one namespace: a namespace the Hub says holds
   * more fails with {@link HubException.TooManyRepositories} after its first page.
   */
  public static final int DEFAULT_MAX_REPOSITORIES_PER_TARGET = 10_000;

  private final HubClient client;
  private final HttpUrl baseUrl;
  private final Clock clock;

  private DockerHub(HubClient client, HttpUrl baseUrl, Clock clock) {
    this.client = client;
    this.baseUrl = baseUrl;
    this.clock = clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** This library's version, as in its User-Agent. */
  public static String version() {
    Properties properties = new Properties();
    try (InputStream in = DockerHub.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException ignored) {
      // Built without the resource: say so through the version.
    }
    return properties.getProperty("version", "unknown");
  }

  /**
   * Every repository of a namespace (an organization or a user; {@code library} for official
   * images). The pages after the first are fetched in parallel; the result is complete or an
   * exception is thrown, never a silently partial list.
   *
   * @throws HubException.InvalidName before any request when the name breaks the Hub's rules
   * @throws HubException.Unauthorized when the namespace has more than 100 repositories and the
   *     client is anonymous
   */
  public RepositoryListing listRepositories(String namespace) {
    return client.listRepositories(namespace);
  }

  /**
   * Like {@link #listRepositories(String)}, given up after {@code within}: no request starts and no
   * wait (a retry's backoff, a 429's Retry-After) reaches past it, and an exchange under way is cut
   * off there. Running out of time ends in {@link HubException.Unreachable}; a wait the Hub asks
   * for that does not fit ends in {@link HubException.RateLimited} at once.
   */
  public RepositoryListing listRepositories(String namespace, Duration within) {
    return client.listRepositories(namespace, deadline(within));
  }

  /** Like {@link #getRepository(String, String)}, given up after {@code within}. */
  public RepositoryStats getRepository(String namespace, String name, Duration within) {
    return client.getRepository(namespace, name, deadline(within));
  }

  private Instant deadline(Duration within) {
    if (within == null || within.isNegative() || within.isZero()) {
      throw new IllegalArgumentException("the time allowed must be positive");
    }
    return clock.instant().plus(within);
  }

  /**
   * One repository, including its collaborator count.
   *
   * @throws HubException.NotFound when it does not exist or is private to others
   */
  public RepositoryStats getRepository(String namespace, String name) {
    return client.getRepository(namespace, name);
  }

  /** The most tags {@link #listTags} reads of one repository unless asked for fewer. */
  public static final int DEFAULT_MAX_TAGS = 1_000;

  /**
   * The tags of one repository, newest first as the Hub orders them, at most {@code max}: with each
   * tag's digest, size, last push and last pull, and per platform its architecture, OS, size and
   * last pull. The walk stops at the first short page or at {@code max}, whatever the Hub's count
   * says.
   *
   * @throws HubException.NotFound when the repository does not exist or is private to others
   */
  public List<Tag> listTags(String namespace, String name, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, not " + max);
    }
    return client.listTags(namespace, name, max, null);
  }

  /**
   * Docker Hub's DVP Data API (Insights of Verified Publishers and Sponsored Open Source), through
   * this client's credentials and connections.
   */
  public PublisherAnalytics analytics() {
    return new PublisherAnalytics(client);
  }

  /**
   * The registry's pull rate limit for this client's caller: its IP address when anonymous, its
   * account otherwise. Sends one token request and one manifest {@code HEAD}, which does not count
   * as a pull.
   */
  public PullLimit pullLimit() {
    return client.pullLimit();
  }

  /** The Hub API's budget as its latest answer announced it, if any answer did. */
  public Optional<RateLimit> rateLimit() {
    return client.lastRateLimit();
  }

  /** The API this client talks to. */
  public String baseUrl() {
    return baseUrl.toString();
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "DockerHub[" + baseUrl + "]";
  }

  /** Configures a {@link DockerHub}; every setting has a sensible default. */
  public static final class Builder {
    private HttpUrl baseUrl = HttpUrl.get(DEFAULT_BASE_URL);
    private HttpUrl registryAuthUrl = HttpUrl.get(DEFAULT_REGISTRY_AUTH_URL);
    private HttpUrl registryUrl = HttpUrl.get(DEFAULT_REGISTRY_URL);
    private Credentials credentials;
    private String userAgent =
        "dockerpulls/" + version() + " (+https://github.com/dockerpulls/dockerpulls)";
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;
    private int maxRepositories = DEFAULT_MAX_REPOSITORIES_PER_TARGET;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private HubListener listener = HubListener.NONE;
    private boolean legacyPaths;
    private java.net.ProxySelector proxySelector;

    private Builder() {}

    /**
     * Chooses the proxy for each request (default: the JVM's, which honours {@code
     * https.proxyHost}, {@code http.proxyHost} and {@code http.nonProxyHosts}).
     */
    public Builder proxySelector(java.net.ProxySelector selector) {
      this.proxySelector = selector;
      return this;
    }

    /** The Hub API's address (default {@value #DEFAULT_BASE_URL}), for a proxy or a test. */
    public Builder baseUrl(String url) {
      this.baseUrl = httpUrl(url, "Docker Hub URL");
      return this;
    }

    /** The registry token service (default {@value #DEFAULT_REGISTRY_AUTH_URL}). */
    public Builder registryAuthUrl(String url) {
      this.registryAuthUrl = httpUrl(url, "registry auth URL");
      return this;
    }

    /** The registry (default {@value #DEFAULT_REGISTRY_URL}). */
    public Builder registryUrl(String url) {
      this.registryUrl = httpUrl(url, "registry URL");
      return this;
    }

    /** Authenticate with these; null (the default) for anonymous requests. */
    public Builder credentials(Credentials credentials) {
      this.credentials = credentials;
      return this;
    }

    /** The User-Agent sent with every request (Cloudflare blocks requests without one). */
    public Builder userAgent(String userAgent) {
      Objects.requireNonNull(userAgent, "userAgent");
      if (userAgent.isBlank()) {
        throw new IllegalArgumentException("the User-Agent must not be empty");
      }
      this.userAgent = userAgent;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connect timeout");
      return this;
    }

    /** The longest one HTTP exchange may take, body included (default 30 s). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "request timeout");
      return this;
    }

    /** How many requests may be in flight at once (default 10). */
    public Builder maxConcurrentRequests(int max) {
      if (max < 1 || max > 64) {
        throw new IllegalArgumentException(
            "maxConcurrentRequests must be from 1 to 64, not " + max);
      }
      this.maxConcurrentRequests = max;
      return this;
    }

    /**
     * The most repositories read from one namespace (default {@value
     * #DEFAULT_MAX_REPOSITORIES_PER_TARGET}): the Hub's count is a claim, and a namespace said to
     * hold more fails at once instead of deciding how many pages are requested.
     */
    public Builder maxRepositoriesPerTarget(int max) {
      if (max < 1 || max > 10_000_000) {
        throw new IllegalArgumentException(
            "maxRepositoriesPerTarget must be from 1 to 10,000,000, not " + max);
      }
      this.maxRepositories = max;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How the client waits; the default sleeps. Tests pass one that moves a fake clock. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
      return this;
    }

    public Builder listener(HubListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Use the deprecated {@code /v2/repositories/...} paths instead of {@code /v2/namespaces/...},
     * for mirrors and proxies that only know the old API. Note that the Hub refuses organization
     * access tokens on the old listing.
     */
    public Builder legacyPaths(boolean legacy) {
      this.legacyPaths = legacy;
      return this;
    }

    public DockerHub build() {
      HubClient client =
          new HubClient(
              new HubClient.Config(
                  baseUrl,
                  registryAuthUrl,
                  registryUrl,
                  credentials,
                  userAgent,
                  connectTimeout,
                  requestTimeout,
                  maxConcurrentRequests,
                  maxRepositories,
                  clock,
                  sleeper,
                  retryPolicy,
                  listener,
                  legacyPaths,
                  proxySelector));
      return new DockerHub(client, baseUrl, clock);
    }

    private static HttpUrl httpUrl(String url, String what) {
      HttpUrl parsed = url == null ? null : HttpUrl.parse(url.strip());
      if (parsed == null) {
        throw new IllegalArgumentException(
            what + " must be an http:// or https:// URL, not '" + url + "'");
      }
      if (parsed.username().length() > 0 || parsed.password().length() > 0) {
        throw new IllegalArgumentException(what + " must not carry a user or password");
      }
      return parsed;
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return d;
    }
  }
}
