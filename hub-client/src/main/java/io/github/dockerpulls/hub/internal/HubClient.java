package io.github.dockerpulls.hub.internal;

import com.squareup.moshi.JsonDataException;
import io.github.dockerpulls.hub.Credentials;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.HubListener;
import io.github.dockerpulls.hub.Names;
import io.github.dockerpulls.hub.PullLimit;
import io.github.dockerpulls.hub.RateLimit;
import io.github.dockerpulls.hub.RepositoryListing;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.RequestEvent;
import io.github.dockerpulls.hub.RetryPolicy;
import io.github.dockerpulls.hub.Sleeper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/** The implementation behind {@code DockerHub}; not part of the library's API. */
public final class HubClient implements AutoCloseable {
  /** The largest page the Hub serves. */
  public static final int PAGE_SIZE = 100;

  /** How many times a listing is walked again when it changed while it was read. */
  static final int MAX_WALKS = 3;

  /** Everything the client is configured with. */
  public record Config(
      HttpUrl baseUrl,
      HttpUrl registryAuthUrl,
      HttpUrl registryUrl,
      Credentials credentials,
      String userAgent,
      Duration connectTimeout,
      Duration requestTimeout,
      int maxConcurrentRequests,
      int maxRepositories,
      Clock clock,
      Sleeper sleeper,
      RetryPolicy retryPolicy,
      HubListener listener,
      boolean legacyPaths,
      java.net.ProxySelector proxySelector) {}

  private static final System.Logger LOG = System.getLogger(HubClient.class.getName());

  private final Config config;
  private final OkHttpClient okHttp;
  private final HubHttp http;
  private final HubListener recording;
  private final RegistryProbe registry;
  private final HubTokens tokens;
  private final ExecutorService pages;
  private final AtomicReference<RateLimit> lastRateLimit = new AtomicReference<>();
  private final java.util.Set<String> rejectedOnce =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  public HubClient(Config config) {
    this.config = config;
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(Math.max(64, config.maxConcurrentRequests()));
    dispatcher.setMaxRequestsPerHost(Math.max(5, config.maxConcurrentRequests()));
    OkHttpClient.Builder okHttpBuilder =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(
                new ConnectionPool(
                    Math.max(5, config.maxConcurrentRequests()), 5, TimeUnit.MINUTES))
            .connectTimeout(config.connectTimeout())
            .readTimeout(config.requestTimeout())
            .writeTimeout(config.requestTimeout())
            .callTimeout(config.requestTimeout())
            .retryOnConnectionFailure(false)
            .followRedirects(true);
    if (config.proxySelector() != null) {
      okHttpBuilder.proxySelector(config.proxySelector());
    }
    if (!config.baseUrl().isHttps()) {
      // A Hub on plain HTTP (a proxy, a test): OkHttp then skips setting up TLS, which reads the
      // JDK's trusted certificates and costs a tenth of a second at start. The registry probe
      // gets a TLS client of its own when it needs one.
      okHttpBuilder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
    }
    this.okHttp = okHttpBuilder.build();
    this.recording =
        new HubListener() {
          @Override
          public void onRequest(RequestEvent event) {
            config.listener().onRequest(event);
          }

          @Override
          public void onRateLimit(RateLimit rateLimit) {
            lastRateLimit.set(rateLimit);
            config.listener().onRateLimit(rateLimit);
          }

          @Override
          public void onListingProgress(String namespace, int fetched, int known) {
            config.listener().onListingProgress(namespace, fetched, known);
          }

          @Override
          public void onRateLimitWait(Instant until, String reason) {
            config.listener().onRateLimitWait(until, reason);
          }
        };
    this.http =
        new HubHttp(
            okHttp,
            config.userAgent(),
            config.retryPolicy(),
            config.clock(),
            config.sleeper(),
            recording);
    this.registry = new RegistryProbe(config, okHttp, http, recording);
    this.tokens =
        config.credentials() == null
            ? null
            : new HubTokens(http, config.baseUrl(), config.credentials());
    this.pages =
        DaemonThreads.pool(config.maxConcurrentRequests(), "dockerpulls-hub", DaemonThreads.IDLE);
  }

  public Optional<RateLimit> lastRateLimit() {
    return Optional.ofNullable(lastRateLimit.get());
  }

  /** Every repository of {@code namespace}, complete, or an exception. */
  public RepositoryListing listRepositories(String namespace) {
    return listRepositories(namespace, null);
  }

  /**
   * Every repository of {@code namespace}, complete, or an exception.
   *
   * @param deadline when to give up, or null for no limit but the retry policy's
   */
  public RepositoryListing listRepositories(String namespace, Instant deadline) {
    Names.requireNamespace(namespace);
    String lastProblem = "";
    for (int walk = 1; walk <= MAX_WALKS; walk++) {
      Walk result = walkOnce(namespace, deadline);
      if (result.problem() == null) {
        return new RepositoryListing(namespace, result.repositories(), result.pages());
      }
      lastProblem = result.problem();
    }
    throw new HubException.ListingChanged(
        "the repositories of '"
            + namespace
            + "' changed while they were read, "
            + MAX_WALKS
            + " walks in a row ("
            + lastProblem
            + "); try again later");
  }

  /**
   * One listing page.
   *
   * @param size the entries the page held, the rejected ones included: a page of fewer than {@link
   *     #PAGE_SIZE} is the last
   * @param items the entries kept
   */
  private record Page(int number, long count, String next, int size, List<RepositoryStats> items) {
    boolean isLast() {
      return size < PAGE_SIZE || next == null;
    }
  }

  private record Walk(List<RepositoryStats> repositories, int pages, String problem) {}

  /**
   * Reads the listing once. The first page's count is a claim: beyond the ceiling the target fails
   * at once, and otherwise the pages it implies are asked in order with as many in flight as
   * requests may run at once, the walk ending at the first short or missing page, so that no count
   * decides how many requests are sent or how much is queued.
   */
  private Walk walkOnce(String namespace, Instant deadline) {
    Optional<Page> firstPage = fetchPage(namespace, 1, deadline);
    Page first = firstPage.orElseThrow(); // page 1 is never "past the end": fetchPage throws
    long count = first.count();
    String what = "the repositories of '" + namespace + "'";
    if (count < 0) {
      throw new HubException.UnexpectedResponse(
          what + " could not be read: the Hub's count is negative (" + count + ")", 200, "");
    }
    if (count > config.maxRepositories()) {
      throw new HubException.TooManyRepositories(
          "Docker Hub says '"
              + namespace
              + "' has "
              + String.format(java.util.Locale.ROOT, "%,d", count)
              + " repositories, more than the "
              + String.format(java.util.Locale.ROOT, "%,d", config.maxRepositories())
              + " this client reads of one namespace",
          count,
          config.maxRepositories());
    }
    int pageCount = (int) Math.max(1, (count + PAGE_SIZE - 1) / PAGE_SIZE);
    AtomicInteger fetched = new AtomicInteger(1);
    config.listener().onListingProgress(namespace, 1, pageCount);

    List<Optional<Page>> results = new ArrayList<>();
    results.add(firstPage);
    boolean ended = first.isLast();
    int window = Math.max(1, config.maxConcurrentRequests());
    // A sliding window: as each page comes back, in order, the next is asked, so that as many
    // requests run at once as allowed, without waiting for the slowest of a batch.
    java.util.ArrayDeque<Future<Optional<Page>>> inFlight = new java.util.ArrayDeque<>(window);
    int next = 2;
    while (!ended) {
      while (inFlight.size() < window && next <= pageCount) {
        int number = next++;
        inFlight.add(
            pages.submit(
                () -> {
                  Optional<Page> page = fetchPage(namespace, number, deadline);
                  config
                      .listener()
                      .onListingProgress(namespace, fetched.incrementAndGet(), pageCount);
                  return page;
                }));
      }
      if (inFlight.isEmpty()) {
        break;
      }
      Optional<Page> page = await(namespace, inFlight.removeFirst(), inFlight);
      results.add(page);
      // The pages still asked lie past the first short one: they are not the listing's.
      ended = page.isEmpty() || page.get().isLast();
    }

    TreeMap<String, RepositoryStats> byName = new TreeMap<>();
    String problem = null;
    boolean duplicate = false;
    for (int i = 0; i < results.size(); i++) {
      Optional<Page> page = results.get(i);
      if (page.isEmpty()) {
        problem = "page " + (i + 1) + " of " + pageCount + " was gone";
        continue;
      }
      if (page.get().count() != count) {
        problem = "the count went from " + count + " to " + page.get().count();
      }
      for (RepositoryStats item : page.get().items()) {
        duplicate |= byName.put(item.name(), item) != null;
      }
    }
    Optional<Page> last = results.get(results.size() - 1);
    if (problem == null && last.isPresent() && last.get().next() != null && count > 0) {
      problem = "there were more than " + pageCount + " pages";
    }
    if (problem == null && results.size() < pageCount) {
      problem =
          "the pages ended after " + results.size() + " of the " + pageCount + " the count said";
    }
    if (problem == null && duplicate) {
      problem = "a repository appeared on two pages, so another may have been skipped";
    }
    return new Walk(List.copyOf(byName.values()), pageCount, problem);
  }

  /** The next page; its failure cancels the pages asked after it. */
  private Optional<Page> await(
      String namespace,
      Future<Optional<Page>> future,
      java.util.Collection<Future<Optional<Page>>> others) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      others.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new HubException.Unreachable("interrupted while listing '" + namespace + "'", e);
    } catch (ExecutionException | CancellationException e) {
      others.forEach(f -> f.cancel(true));
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HubException hub) {
        throw hub;
      }
      throw new HubException.Unreachable(
          "listing '" + namespace + "' failed: " + cause.getClass().getSimpleName(), cause);
    }
  }

  /** One listing page; empty when a page after the first answers 404 (it is past the end). */
  private Optional<Page> fetchPage(String namespace, int number, Instant deadline) {
    HttpUrl.Builder url = config.baseUrl().newBuilder();
    if (config.legacyPaths()) {
      url.addPathSegments("v2/repositories").addPathSegment(namespace).addPathSegment("");
    } else {
      url.addPathSegments("v2/namespaces").addPathSegment(namespace).addPathSegment("repositories");
    }
    url.addQueryParameter("page", Integer.toString(number))
        .addQueryParameter("page_size", Integer.toString(PAGE_SIZE))
        .addQueryParameter("ordering", "name");
    Request request = new Request.Builder().url(url.build()).get().build();
    HubHttp.Answer answer = http.send(request, "list_repositories", tokens, true, deadline);
    String what = "the repositories of '" + namespace + "'";
    if (answer.status() == 404 && HubHttp.isJson(answer)) {
      if (number > 1) {
        return Optional.empty();
      }
      throw new HubException.NotFound("Docker Hub does not know the namespace '" + namespace + "'");
    }
    if (!answer.isSuccessful()) {
      throw HubErrors.toException(answer, what, tokens != null);
    }
    HubErrors.requireJson(answer, what);
    try {
      HubJson.Page page = HubJson.PAGE.fromJson(answer.body());
      if (page == null || page.count() == null) {
        throw new JsonDataException("the page has no count");
      }
      List<RepositoryStats> items = new ArrayList<>();
      int size = page.results() == null ? 0 : page.results().size();
      if (page.results() != null) {
        for (HubJson.Repository r : page.results()) {
          try {
            items.add(HubJson.toStats(r));
          } catch (HubJson.InvalidFigure rejected) {
            // One entry whose figures are not counts: that repository is left out, not the page.
            reject(namespace, r, rejected.getMessage());
          }
        }
      }
      return Optional.of(new Page(number, page.count(), page.next(), size, items));
    } catch (IOException | JsonDataException e) {
      throw unreadable("page " + number + " of " + what, answer, e);
    }
  }

  /**
   * Leaves one listing entry out: the listener counts it, and the log says so the first time this
   * client meets that entry with that reason (a refresh every five minutes repeats nothing).
   */
  private void reject(String namespace, HubJson.Repository r, String reason) {
    String who =
        r != null && r.name() != null
            ? namespace + "/" + r.name()
            : "an entry of '" + namespace + "'";
    String line = HubHttp.oneLine(reason, 200);
    config.listener().onRejected(who, line);
    if (rejectedOnce.size() < 10_000 && rejectedOnce.add(who + " " + line)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "left out of the listing, its figures are not counts: " + line);
    }
  }

  /** One repository, with its collaborator count. */
  public RepositoryStats getRepository(String namespace, String name) {
    return getRepository(namespace, name, null);
  }

  /**
   * One repository, with its collaborator count.
   *
   * @param deadline when to give up, or null for no limit but the retry policy's
   */
  public RepositoryStats getRepository(String namespace, String name, Instant deadline) {
    Names.requireNamespace(namespace);
    Names.requireRepository(name);
    HttpUrl.Builder url = config.baseUrl().newBuilder();
    if (config.legacyPaths()) {
      url.addPathSegments("v2/repositories")
          .addPathSegment(namespace)
          .addPathSegment(name)
          .addPathSegment("");
    } else {
      url.addPathSegments("v2/namespaces")
          .addPathSegment(namespace)
          .addPathSegment("repositories")
          .addPathSegment(name);
    }
    Request request = new Request.Builder().url(url.build()).get().build();
    HubHttp.Answer answer = http.send(request, "get_repository", tokens, true, deadline);
    String what = "the repository " + namespace + "/" + name;
    if (!answer.isSuccessful()) {
      throw HubErrors.toException(answer, what, tokens != null);
    }
    HubErrors.requireJson(answer, what);
    try {
      return HubJson.toStats(HubJson.REPOSITORY.fromJson(answer.body()));
    } catch (IOException | JsonDataException | HubJson.InvalidFigure e) {
      throw unreadable(what, answer, e);
    }
  }

  /**
   * The tags of one repository, newest first as the Hub orders them, at most {@code max}: pages of
   * 100 are read one after the other, and the walk stops at the first short or empty page, at a
   * page without a next one, or at {@code max}, whatever the Hub's count says.
   */
  public List<io.github.dockerpulls.hub.Tag> listTags(
      String namespace, String name, int max, Instant deadline) {
    Names.requireNamespace(namespace);
    Names.requireRepository(name);
    String what = "the tags of " + namespace + "/" + name;
    List<io.github.dockerpulls.hub.Tag> tags = new ArrayList<>();
    for (int page = 1; tags.size() < max; page++) {
      HttpUrl url =
          config
              .baseUrl()
              .newBuilder()
              .addPathSegments("v2/namespaces")
              .addPathSegment(namespace)
              .addPathSegment("repositories")
              .addPathSegment(name)
              .addPathSegment("tags")
              .addQueryParameter("page", Integer.toString(page))
              .addQueryParameter("page_size", Integer.toString(PAGE_SIZE))
              .build();
      Request request = new Request.Builder().url(url).get().build();
      HubHttp.Answer answer = http.send(request, "list_tags", tokens, true, deadline);
      if (answer.status() == 404 && page > 1 && HubHttp.isJson(answer)) {
        break; // past the end
      }
      if (!answer.isSuccessful()) {
        throw HubErrors.toException(answer, what, tokens != null);
      }
      HubErrors.requireJson(answer, what);
      HubJson.TagPage read;
      try {
        read = HubJson.TAG_PAGE.fromJson(answer.body());
        if (read == null) {
          throw new JsonDataException("the page is empty");
        }
      } catch (IOException | JsonDataException e) {
        throw unreadable("page " + page + " of " + what, answer, e);
      }
      List<HubJson.TagEntry> results = read.results() == null ? List.of() : read.results();
      for (HubJson.TagEntry entry : results) {
        if (tags.size() >= max) {
          break;
        }
        try {
          tags.add(HubJson.toTag(entry, namespace + "/" + name));
        } catch (HubJson.InvalidFigure | JsonDataException rejected) {
          config
              .listener()
              .onRejected(namespace + "/" + name, HubHttp.oneLine(rejected.getMessage(), 200));
        }
      }
      if (results.size() < PAGE_SIZE || read.next() == null) {
        break;
      }
    }
    return tags;
  }

  // The DVP Data API (Insights): see io.github.dockerpulls.hub.PublisherAnalytics.

  private HttpUrl.Builder analyticsUrl() {
    return config.baseUrl().newBuilder().addPathSegments("api/publisher/analytics/v1");
  }

  private <T> T analyticsGet(
      HttpUrl url, String endpoint, String what, com.squareup.moshi.JsonAdapter<T> adapter) {
    if (tokens == null) {
      throw new HubException.Unauthorized(
          what + " needs the credentials of a member of the namespace", false);
    }
    Request request = new Request.Builder().url(url).get().build();
    HubHttp.Answer answer = http.send(request, endpoint, tokens, true, null);
    if (!answer.isSuccessful()) {
      throw HubErrors.toException(answer, what, true);
    }
    HubErrors.requireJson(answer, what);
    try {
      T read = adapter.fromJson(answer.body());
      if (read == null) {
        throw new JsonDataException("the answer is empty");
      }
      return read;
    } catch (IOException | JsonDataException e) {
      throw unreadable(what, answer, e);
    }
  }

  public List<String> analyticsNamespaces() {
    HubJson.AnalyticsRoot root =
        analyticsGet(
            analyticsUrl().addPathSegment("").build(),
            "analytics",
            "the Insights namespaces",
            HubJson.ANALYTICS_ROOT);
    return root.namespaces() == null ? List.of() : List.copyOf(root.namespaces());
  }

  public io.github.dockerpulls.hub.PublisherAnalytics.Namespace analyticsNamespace(
      String namespace) {
    HubJson.AnalyticsNamespace n =
        analyticsGet(
            analyticsUrl().addPathSegment("namespaces").addPathSegment(namespace).build(),
            "analytics_namespace",
            "the Insights of '" + namespace + "'",
            HubJson.ANALYTICS_NAMESPACE);
    List<io.github.dockerpulls.hub.PublisherAnalytics.Dataset> sets = new ArrayList<>();
    if (n.datasets() != null) {
      for (HubJson.AnalyticsDataset d : n.datasets()) {
        sets.add(
            new io.github.dockerpulls.hub.PublisherAnalytics.Dataset(
                d.name(), d.views(), d.timespans()));
      }
    }
    return new io.github.dockerpulls.hub.PublisherAnalytics.Namespace(
        n.namespace() == null ? namespace : n.namespace(), n.extraRepos(), sets);
  }

  public List<io.github.dockerpulls.hub.PublisherAnalytics.Pulls> analyticsPulls(
      String namespace, String repository, String timespan, String period) {
    String what = "the Insights pulls of " + namespace + "/" + repository;
    HubJson.AnalyticsPulls read =
        analyticsGet(
            analyticsUrl()
                .addPathSegment("namespaces")
                .addPathSegment(namespace)
                .addPathSegment("repos")
                .addPathSegment(repository)
                .addPathSegment("pulls")
                .addQueryParameter("timespan", timespan)
                .addQueryParameter("period", period)
                .build(),
            "analytics_pulls",
            what,
            HubJson.ANALYTICS_PULLS);
    List<io.github.dockerpulls.hub.PublisherAnalytics.Pulls> result = new ArrayList<>();
    for (HubJson.AnalyticsPull p :
        read.pulls() == null ? List.<HubJson.AnalyticsPull>of() : read.pulls()) {
      Instant start = analyticsTime(p.start());
      Instant end = analyticsTime(p.end());
      if (start == null || end == null || p.pullCount() == null || p.pullCount() < 0) {
        config
            .listener()
            .onRejected(
                namespace + "/" + repository,
                "an Insights period without a start, an end or a pull count: " + p.start());
        continue;
      }
      Long ips = p.ipCount() != null && p.ipCount() >= 0 ? p.ipCount() : null;
      result.add(
          new io.github.dockerpulls.hub.PublisherAnalytics.Pulls(
              start,
              end,
              p.namespace() == null ? namespace : p.namespace(),
              p.repo() == null ? repository : p.repo(),
              p.pullCount(),
              ips));
    }
    return result;
  }

  /** A time as the DVP Data API writes it: an instant, a local date-time or a date (UTC). */
  static Instant analyticsTime(String text) {
    if (text == null) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (java.time.DateTimeException e) {
      // not with an offset
    }
    try {
      return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      // not a local date-time
    }
    try {
      return java.time.LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text)
          .atStartOfDay(java.time.ZoneOffset.UTC)
          .toInstant();
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  private HttpUrl.Builder exportsUrl(String namespace) {
    return analyticsUrl()
        .addPathSegment("namespaces")
        .addPathSegment(namespace)
        .addPathSegments("pulls/exports/years");
  }

  public List<Integer> analyticsExportYears(String namespace) {
    HubJson.ExportYears read =
        analyticsGet(
            exportsUrl(namespace).build(),
            "analytics_exports",
            "the Insights exports of '" + namespace + "'",
            HubJson.EXPORT_YEARS);
    List<Integer> years = new ArrayList<>();
    for (HubJson.ExportNumber n :
        read.years() == null ? List.<HubJson.ExportNumber>of() : read.years()) {
      if (n.year() != null && n.year() >= 2013 && n.year() <= 9999) {
        years.add(n.year());
      }
    }
    years.sort(null);
    return years;
  }

  public List<Integer> analyticsExportPeriods(String namespace, int year, String timespan) {
    HubJson.ExportPeriods read =
        analyticsGet(
            exportsUrl(namespace)
                .addPathSegment(Integer.toString(year))
                .addPathSegment(timespan)
                .build(),
            "analytics_exports",
            "the Insights exports of '" + namespace + "' in " + year,
            HubJson.EXPORT_PERIODS);
    boolean weeks = timespan.equals("weeks");
    List<HubJson.ExportNumber> list = weeks ? read.weeks() : read.months();
    List<Integer> numbers = new ArrayList<>();
    for (HubJson.ExportNumber n : list == null ? List.<HubJson.ExportNumber>of() : list) {
      Integer v = weeks ? n.week() : n.month();
      if (v != null && v >= 1 && v <= (weeks ? 53 : 12)) {
        numbers.add(v);
      }
    }
    numbers.sort(null);
    return numbers;
  }

  public List<io.github.dockerpulls.hub.PublisherAnalytics.ExportFile> analyticsExportFiles(
      String namespace, int year, String timespan, int number, String view) {
    HubJson.ExportData read =
        analyticsGet(
            exportsUrl(namespace)
                .addPathSegment(Integer.toString(year))
                .addPathSegment(timespan)
                .addPathSegment(Integer.toString(number))
                .addPathSegment(view)
                .build(),
            "analytics_exports",
            "the Insights "
                + view
                + " files of '"
                + namespace
                + "' for "
                + timespan
                + " "
                + number
                + " of "
                + year,
            HubJson.EXPORT_DATA);
    List<io.github.dockerpulls.hub.PublisherAnalytics.ExportFile> files = new ArrayList<>();
    for (HubJson.ExportLink l : read.data() == null ? List.<HubJson.ExportLink>of() : read.data()) {
      HttpUrl url = l.url() == null ? null : HttpUrl.parse(l.url());
      if (url == null) {
        config.listener().onRejected(namespace, "an export link that is not an http(s) URL");
        continue;
      }
      files.add(
          new io.github.dockerpulls.hub.PublisherAnalytics.ExportFile(
              url.toString(), l.size() == null || l.size() < 0 ? 0 : l.size()));
    }
    return files;
  }

  /** Reads a downloaded body. */
  public interface BodyReader<T> {
    T read(java.io.InputStream in) throws IOException;
  }

  /**
   * Downloads {@code link} without the Hub token (it is signed for another host), handing the body
   * to {@code reader} as it arrives, at most {@code maxBytes} of it.
   */
  public <T> T download(String link, long maxBytes, BodyReader<T> reader) throws IOException {
    HttpUrl url = HttpUrl.parse(link);
    if (url == null) {
      throw new HubException.UnexpectedResponse("an export link is not an http(s) URL", 0, "");
    }
    Request request =
        new Request.Builder().url(url).get().header("User-Agent", config.userAgent()).build();
    // A client of its own without a call timeout: a large file takes its time, each read does not.
    OkHttpClient downloads = okHttp.newBuilder().callTimeout(Duration.ZERO).build();
    try (okhttp3.Response response = downloads.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new HubException.UnexpectedResponse(
            "the export file " + withoutQuery(link) + " answered " + response.code(),
            response.code(),
            "");
      }
      long announced = response.body().contentLength();
      if (announced > maxBytes) {
        throw new HubException.UnexpectedResponse(
            "the export file "
                + withoutQuery(link)
                + " has "
                + announced
                + " bytes, more than the "
                + maxBytes
                + " allowed",
            response.code(),
            "");
      }
      return reader.read(new Bounded(response.body().byteStream(), maxBytes, withoutQuery(link)));
    }
  }

  /** A link without its query (where a signed link keeps its signature). */
  public static String withoutQuery(String link) {
    int q = link.indexOf('?');
    return q < 0 ? link : link.substring(0, q);
  }

  /** A body cut off past a number of bytes. */
  private static final class Bounded extends java.io.FilterInputStream {
    private long left;
    private final String what;

    Bounded(java.io.InputStream in, long max, String what) {
      super(in);
      this.left = max;
      this.what = what;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        left -= n;
        if (left < 0) {
          throw new IOException("the export file " + what + " is larger than allowed");
        }
      }
      return n;
    }
  }

  /** An answer whose body is not what {@code what} should be, named in one line. */
  private static HubException.UnexpectedResponse unreadable(
      String what, HubHttp.Answer answer, Exception e) {
    return new HubException.UnexpectedResponse(
        what + " could not be read: " + HubHttp.oneLine(e.getMessage(), 160),
        answer.status(),
        HubHttp.excerpt(answer));
  }

  /** The registry's pull rate limit for this client's caller. */
  public PullLimit pullLimit() {
    return registry.pullLimit();
  }

  @Override
  public void close() {
    pages.shutdownNow();
    okHttp.dispatcher().executorService().shutdown();
    okHttp.connectionPool().evictAll();
  }
}
