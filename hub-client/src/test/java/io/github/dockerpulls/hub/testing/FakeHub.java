package io.github.dockerpulls.hub.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * A scripted Docker Hub on a {@link MockWebServer}, shaped on captured Hub answers: namespace
 * listings with pages, single repositories, the token exchange, the anonymous 100-repository cap,
 * and the registry's rate-limit check. Tests change its state or queue answers that are served
 * before the normal ones.
 */
public final class FakeHub extends Dispatcher implements AutoCloseable {
  private static final Pattern LIST_NEW = Pattern.compile("/v2/namespaces/([^/]+)/repositories");
  private static final Pattern LIST_OLD = Pattern.compile("/v2/repositories/([^/]+)/");
  private static final Pattern ONE_NEW =
      Pattern.compile("/v2/namespaces/([^/]+)/repositories/([^/]+)");
  private static final Pattern ONE_OLD = Pattern.compile("/v2/repositories/([^/]+)/([^/]+)/");

  private final MockWebServer server = new MockWebServer();
  private final Map<String, List<String>> organizations = new ConcurrentHashMap<>();
  private final Map<String, String> repositories = new ConcurrentHashMap<>();
  private final ConcurrentLinkedDeque<MockResponse> scripted = new ConcurrentLinkedDeque<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
  private volatile Function<RecordedRequest, MockResponse> hook = r -> null;
  private volatile long delayMillis;
  private volatile String identifier;
  private volatile String secret;
  private volatile String nextToken = jwt(Instant.parse("2100-01-01T00:00:00Z"));
  private volatile Headers pullLimitHeaders =
      Headers.of(
          "ratelimit-limit",
          "100;w=21600",
          "ratelimit-remaining",
          "76;w=21600",
          "docker-ratelimit-source",
          "192.0.2.10");
  private volatile Headers rateLimitHeaders = Headers.of();

  /**
   * MockWebServer warns when a connection closes before its first request, which is what a client
   * that is stopped in the middle of a refresh does: expected in these tests, so not printed. Held
   * here because java.util.logging keeps loggers only weakly.
   */
  private static final java.util.logging.Logger SERVER_LOG = quietServerLog();

  private static java.util.logging.Logger quietServerLog() {
    java.util.logging.Logger log =
        java.util.logging.Logger.getLogger(MockWebServer.class.getName());
    log.setLevel(java.util.logging.Level.SEVERE);
    return log;
  }

  public FakeHub() {
    server.setDispatcher(this);
    try {
      server.start();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The server's base URL, without a trailing slash. */
  public String url() {
    String u = server.url("/").toString();
    return u.substring(0, u.length() - 1);
  }

  public MockWebServer server() {
    return server;
  }

  /** An organization with {@code count} generated repositories {@code repo-00001...}. */
  public FakeHub organization(String namespace, int count) {
    List<String> items = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String name = String.format(Locale.ROOT, "repo-%05d", i);
      items.add(listItem(namespace, name, 1000L * i + 7, i % 50, "2026-01-02T03:04:05.123456Z"));
    }
    return organizationItems(namespace, items);
  }

  /**
   * The figures the documentation shows: organization camunda with camunda-bpm-platform
   * (123,456,789 pulls) and zeebe (9,876,543), and the official library/httpd.
   */
  public FakeHub documentedExamples() {
    return organizationItems(
            "camunda",
            List.of(
                listItem(
                    "camunda",
                    "camunda-bpm-platform",
                    123_456_789L,
                    450,
                    "2026-11-20T08:15:00.123456Z"),
                listItem("camunda", "zeebe", 9_876_543L, 120, "2026-11-21T17:45:30Z")))
        .repository(
            "library",
            "httpd",
            repositoryJson(
                "library", "httpd", 2_242_267_726L, 3318, 0, "2021-01-12T13:42:29.184204Z"));
  }

  /** An organization with these listing entries (raw JSON objects), served in the given order. */
  public FakeHub organizationItems(String namespace, List<String> items) {
    organizations.put(namespace, new CopyOnWriteArrayList<>(items));
    return this;
  }

  /** A single-repository answer (a raw JSON object). */
  public FakeHub repository(String namespace, String name, String json) {
    repositories.put(namespace + "/" + name, json);
    return this;
  }

  /** The listing entries of an organization, for tests that change it mid-walk. */
  public List<String> itemsOf(String namespace) {
    return organizations.get(namespace);
  }

  /** Every answer waits this long before its headers, as a distant server would. */
  public FakeHub delay(long millis) {
    this.delayMillis = millis;
    return this;
  }

  /** Accept these credentials at {@code POST /v2/auth/token}; listings then page past 100. */
  public FakeHub credentials(String identifier, String secret) {
    this.identifier = identifier;
    this.secret = secret;
    return this;
  }

  /** The JWT the next successful token exchange hands out. */
  public FakeHub nextToken(String jwt) {
    this.nextToken = jwt;
    return this;
  }

  /** Make a token the server accepted unacceptable (it expired on the server's side). */
  public FakeHub revokeTokens() {
    validTokens.clear();
    return this;
  }

  public FakeHub pullLimitHeaders(Headers headers) {
    this.pullLimitHeaders = headers;
    return this;
  }

  /** Headers added to every Hub API answer, such as {@code X-RateLimit-*}. */
  public FakeHub rateLimitHeaders(Headers headers) {
    this.rateLimitHeaders = headers;
    return this;
  }

  /** Serve these before any normal answer, one per request, in order. */
  public FakeHub enqueue(MockResponse... responses) {
    Collections.addAll(scripted, responses);
    return this;
  }

  /** Called for every request first; a non-null answer is served instead of the normal one. */
  public FakeHub hook(Function<RecordedRequest, MockResponse> hook) {
    this.hook = hook;
    return this;
  }

  /** Every request received, in arrival order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public List<RecordedRequest> requestsTo(String pathPrefix) {
    return requests.stream().filter(r -> r.getUrl().encodedPath().startsWith(pathPrefix)).toList();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    requests.add(request);
    MockResponse hooked = hook.apply(request);
    if (hooked != null) {
      return hooked;
    }
    MockResponse next = scripted.poll();
    if (next != null) {
      return next;
    }
    return answer(request);
  }

  private MockResponse answer(RecordedRequest request) {
    HttpUrl url = request.getUrl();
    String path = url.encodedPath();
    if (path.equals("/v2/auth/token") && "POST".equals(request.getMethod())) {
      return token(request);
    }
    if (path.equals("/token")) {
      return json(
          200,
          "{\"token\":\"registry-token\",\"access_token\":\"registry-token\","
              + "\"expires_in\":300,\"issued_at\":\"2026-11-22T10:00:00.000000000Z\"}");
    }
    if (path.equals("/v2/ratelimitpreview/test/manifests/latest")) {
      return new MockResponse.Builder()
          .code(200)
          .headers(pullLimitHeaders)
          .addHeader("Content-Type", "application/vnd.oci.image.index.v1+json")
          .build();
    }
    String auth = request.getHeaders().get("Authorization");
    boolean authenticated = false;
    if (auth != null && auth.startsWith("Bearer ")) {
      if (!validTokens.contains(auth.substring(7))) {
        return json(401, "{\"message\":\"unauthorized\",\"errinfo\":{}}");
      }
      authenticated = true;
    }
    Matcher m;
    if ((m = ONE_NEW.matcher(path)).matches() || (m = ONE_OLD.matcher(path)).matches()) {
      String json = repositories.get(m.group(1) + "/" + m.group(2));
      return json == null
          ? json(404, "{\"message\":\"object not found\",\"errinfo\":{}}")
          : json(200, json);
    }
    if ((m = LIST_NEW.matcher(path)).matches() || (m = LIST_OLD.matcher(path)).matches()) {
      return page(url, m.group(1), authenticated);
    }
    return json(404, "{\"message\":\"httperror 404: object not found\",\"errinfo\":{}}");
  }

  private MockResponse token(RecordedRequest request) {
    String body = request.getBody() == null ? "" : request.getBody().utf8();
    boolean ok =
        identifier != null
            && body.contains("\"identifier\":\"" + identifier + "\"")
            && body.contains("\"secret\":\"" + secret + "\"");
    if (!ok) {
      return json(401, "{\"message\":\"unauthorized\",\"errinfo\":{}}");
    }
    String token = nextToken;
    validTokens.add(token);
    return json(200, "{\"access_token\":\"" + token + "\"}");
  }

  private MockResponse page(HttpUrl url, String namespace, boolean authenticated) {
    List<String> items = organizations.getOrDefault(namespace, List.of());
    int page = intParam(url, "page", 1);
    int size = Math.min(100, intParam(url, "page_size", 10));
    int offset = (page - 1) * size;
    if (offset >= 100 && !authenticated) {
      return json(
          403,
          "{\"message\":\"pagination offset too large for anonymous requests;"
              + " sign in to page further\",\"errinfo\":{}}");
    }
    List<String> snapshot = List.copyOf(items);
    if (page > 1 && offset >= snapshot.size()) {
      return json(404, "{\"message\":\"httperror 404: object not found\",\"errinfo\":{}}");
    }
    List<String> slice =
        snapshot.subList(
            Math.min(offset, snapshot.size()), Math.min(offset + size, snapshot.size()));
    String next =
        offset + size < snapshot.size()
            ? "\""
                + url.newBuilder().setQueryParameter("page", Integer.toString(page + 1)).build()
                + "\""
            : "null";
    String previous =
        page > 1
            ? "\""
                + url.newBuilder().setQueryParameter("page", Integer.toString(page - 1)).build()
                + "\""
            : "null";
    return json(
        200,
        "{\"count\":"
            + snapshot.size()
            + ",\"next\":"
            + next
            + ",\"previous\":"
            + previous
            + ",\"results\":["
            + String.join(",", slice)
            + "]}");
  }

  private static int intParam(HttpUrl url, String name, int fallback) {
    String v = url.queryParameter(name);
    try {
      return v == null ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private MockResponse json(int code, String body) {
    MockResponse.Builder b =
        new MockResponse.Builder()
            .code(code)
            .headers(rateLimitHeaders)
            .addHeader("Content-Type", "application/json")
            .body(body);
    if (delayMillis > 0) {
      b.headersDelay(delayMillis, TimeUnit.MILLISECONDS);
    }
    return b.build();
  }

  /** A JSON answer with this status, as the Hub sends them. */
  public static MockResponse jsonResponse(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  /** A listing entry in the shape the Hub sent in 2024-2026. */
  public static String listItem(
      String namespace, String name, long pulls, long stars, String lastUpdated) {
    return "{\"name\":\""
        + name
        + "\",\"namespace\":\""
        + namespace
        + "\","
        + "\"repository_type\":\"image\",\"status\":1,\"status_description\":\"active\","
        + "\"description\":\"\",\"is_private\":false,\"star_count\":"
        + stars
        + ","
        + "\"pull_count\":"
        + pulls
        + ",\"last_updated\":\""
        + lastUpdated
        + "\","
        + "\"last_modified\":\"2024-10-16T13:48:34.145251Z\","
        + "\"date_registered\":\"2021-12-20T17:19:58.507614Z\",\"affiliation\":\"\","
        + "\"media_types\":[\"application/vnd.docker.container.image.v1+json\"],"
        + "\"content_types\":[\"image\"],\"categories\":[]}";
  }

  /** A single-repository answer in the shape the Hub sent in 2025-2026. */
  public static String repositoryJson(
      String namespace,
      String name,
      long pulls,
      long stars,
      long collaborators,
      String lastUpdated) {
    return "{\"user\":\""
        + namespace
        + "\",\"name\":\""
        + name
        + "\",\"namespace\":\""
        + namespace
        + "\",\"repository_type\":\"image\",\"status\":1,\"status_description\":\"active\","
        + "\"description\":\"\",\"is_private\":false,\"is_automated\":false,\"star_count\":"
        + stars
        + ",\"pull_count\":"
        + pulls
        + ",\"last_updated\":\""
        + lastUpdated
        + "\","
        + "\"last_modified\":\"2024-10-16T13:48:34.145251Z\","
        + "\"date_registered\":\"2017-04-25T09:11:17.568035Z\",\"collaborator_count\":"
        + collaborators
        + ",\"affiliation\":null,\"hub_user\":\""
        + namespace
        + "\","
        + "\"has_starred\":false,\"permissions\":{\"read\":true,\"write\":false,\"admin\":false},"
        + "\"media_types\":[],\"content_types\":[\"image\"],\"categories\":[],"
        + "\"immutable_tags_settings\":{\"enabled\":false,\"rules\":[\".*\"]},"
        + "\"storage_size\":1007407794,\"source\":null}";
  }

  /** An unsigned JWT whose only claim is its expiry. */
  public static String jwt(Instant expiry) {
    Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
    String header =
        enc.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload =
        enc.encodeToString(
            ("{\"exp\":"
                    + expiry.getEpochSecond()
                    + ",\"iat\":"
                    + (expiry.getEpochSecond() - 600)
                    + "}")
                .getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + ".c2lnbmF0dXJl";
  }

  @Override
  public void close() {
    server.close();
  }
}
