package io.github.dockerpulls.hub.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * The project's fake of Docker Hub Insights, shaped on Docker's published DVP Data API spec and its
 * documented report columns: one namespace with repositories and tags, whose weekly data downloads
 * and version checks follow from a formula ({@link #downloads}, {@link #versionChecks}), so that a
 * test knows every figure exactly. Install it as a {@link FakeHub#hook}; it answers the analytics
 * paths and the exported files' downloads, and leaves every other path to the hub.
 *
 * <p>Served: {@code GET /api/publisher/analytics/v1/}, {@code /namespaces/{ns}}, {@code
 * /namespaces/{ns}/repos/{repo}/pulls} (weeks), {@code /namespaces/{ns}/pulls/exports/years/...}
 * down to the {@code summary} and {@code repo-summary} file links, and the files themselves under
 * {@code /files/} (gzipped CSV, signed with a query the client must keep and must not add a token
 * to). Every analytics path needs a bearer token; another namespace answers 404.
 */
public final class FakeInsights implements Function<RecordedRequest, MockResponse> {
  private static final String BASE = "/api/publisher/analytics/v1";
  private static final Pattern NAMESPACE = Pattern.compile(BASE + "/namespaces/([^/]+)");
  private static final Pattern PULLS =
      Pattern.compile(BASE + "/namespaces/([^/]+)/repos/([^/]+)/pulls");
  private static final Pattern YEARS =
      Pattern.compile(BASE + "/namespaces/([^/]+)/pulls/exports/years");
  private static final Pattern WEEKS =
      Pattern.compile(BASE + "/namespaces/([^/]+)/pulls/exports/years/(\\d+)/weeks");
  private static final Pattern FILES =
      Pattern.compile(
          BASE
              + "/namespaces/([^/]+)/pulls/exports/years/(\\d+)/weeks/(\\d+)/(summary|repo-summary)");
  private static final Pattern DOWNLOAD =
      Pattern.compile("/files/(summary|repo-summary)-(\\d+)-(\\d+)\\.csv\\.gz");

  private final String namespace;
  private final List<String> repositories;
  private final List<String> tags;
  private final List<LocalDate> weeks = new ArrayList<>();
  private final String baseUrl;
  private final List<String> downloads = new CopyOnWriteArrayList<>();
  private volatile boolean exports = true;
  private volatile int failDownloads;

  /**
   * @param baseUrl the fake hub's URL, which the file links point at
   * @param firstWeek a Monday
   * @param weekCount how many weeks from it hold data
   */
  public FakeInsights(
      String baseUrl,
      String namespace,
      List<String> repositories,
      List<String> tags,
      LocalDate firstWeek,
      int weekCount) {
    if (firstWeek.getDayOfWeek() != DayOfWeek.MONDAY) {
      throw new IllegalArgumentException("weeks start on Mondays");
    }
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.namespace = namespace;
    this.repositories = List.copyOf(repositories);
    this.tags = List.copyOf(tags);
    for (int i = 0; i < weekCount; i++) {
      weeks.add(firstWeek.plusWeeks(i));
    }
  }

  /** Without exported files: the JSON pulls are all it offers. */
  public FakeInsights withoutExports() {
    exports = false;
    return this;
  }

  /** The next {@code n} file downloads fail with a 500. */
  public FakeInsights failDownloads(int n) {
    failDownloads = n;
    return this;
  }

  /** The files downloaded so far, as {@code view-year-week}. */
  public List<String> downloads() {
    return List.copyOf(downloads);
  }

  /** A tag's data downloads in a week. */
  public static long downloads(String repository, String tag, LocalDate week) {
    return Math.floorMod((repository + "|" + tag + "|" + week).hashCode(), 9_000) + 100;
  }

  /** A tag's version checks in a week. */
  public static long versionChecks(String repository, String tag, LocalDate week) {
    return Math.floorMod((tag + "#" + repository + "#" + week).hashCode(), 4_000);
  }

  /** A repository's distinct IP addresses in a week. */
  public static long uniqueIps(String repository, LocalDate week) {
    return Math.floorMod((repository + "@" + week).hashCode(), 500) + 1;
  }

  /** The sum over the tags. */
  public long repositoryPulls(String repository, LocalDate week) {
    long sum = 0;
    for (String t : tags) {
      sum += downloads(repository, t, week) + versionChecks(repository, t, week);
    }
    return sum;
  }

  public List<LocalDate> weeks() {
    return List.copyOf(weeks);
  }

  @Override
  public MockResponse apply(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    Matcher m;
    if ((m = DOWNLOAD.matcher(path)).matches()) {
      return download(
          request, m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }
    if (!path.startsWith(BASE)) {
      return null;
    }
    String auth = request.getHeaders().get("Authorization");
    if (auth == null || !auth.startsWith("Bearer ")) {
      return json(401, "{\"message\":\"authentication required\"}");
    }
    if (path.equals(BASE + "/")) {
      return json(200, "{\"namespaces\":[\"" + namespace + "\"]}");
    }
    if ((m = FILES.matcher(path)).matches()) {
      if (!m.group(1).equals(namespace) || !exports) {
        return notFound();
      }
      String url =
          baseUrl
              + "/files/"
              + m.group(4)
              + "-"
              + m.group(2)
              + "-"
              + m.group(3)
              + ".csv.gz?X-Amz-Signature=s3cr3t-signature";
      return json(200, "{\"data\":[{\"url\":\"" + url + "\",\"size\":1234}]}");
    }
    if ((m = WEEKS.matcher(path)).matches()) {
      if (!m.group(1).equals(namespace) || !exports) {
        return notFound();
      }
      int year = Integer.parseInt(m.group(2));
      List<String> numbers = new ArrayList<>();
      for (LocalDate w : weeks) {
        if (w.get(IsoFields.WEEK_BASED_YEAR) == year) {
          numbers.add("{\"week\":" + w.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR) + "}");
        }
      }
      return json(200, "{\"weeks\":[" + String.join(",", numbers) + "]}");
    }
    if ((m = YEARS.matcher(path)).matches()) {
      if (!m.group(1).equals(namespace) || !exports) {
        return notFound();
      }
      TreeSet<Integer> years = new TreeSet<>();
      weeks.forEach(w -> years.add(w.get(IsoFields.WEEK_BASED_YEAR)));
      List<String> list = years.stream().map(y -> "{\"year\":" + y + "}").toList();
      return json(200, "{\"years\":[" + String.join(",", list) + "]}");
    }
    if ((m = PULLS.matcher(path)).matches()) {
      if (!m.group(1).equals(namespace) || !repositories.contains(m.group(2))) {
        return notFound();
      }
      if (!"weeks".equals(request.getUrl().queryParameter("timespan"))) {
        return json(200, "{\"pulls\":[]}");
      }
      String repo = m.group(2);
      List<String> entries = new ArrayList<>();
      for (LocalDate w : weeks) {
        entries.add(
            "{\"start\":\""
                + w
                + "T00:00:00Z\",\"end\":\""
                + w.plusDays(6)
                + "T23:59:59Z\",\"repo\":\""
                + repo
                + "\",\"namespace\":\""
                + namespace
                + "\",\"pullCount\":"
                + repositoryPulls(repo, w)
                + ",\"ipCount\":"
                + uniqueIps(repo, w)
                + ",\"country\":\"\"}");
      }
      return json(200, "{\"pulls\":[" + String.join(",", entries) + "]}");
    }
    if ((m = NAMESPACE.matcher(path)).matches()) {
      if (!m.group(1).equals(namespace)) {
        return notFound();
      }
      return json(
          200,
          "{\"namespace\":\""
              + namespace
              + "\",\"extraRepos\":[],\"datasets\":[{\"name\":\"pulls\","
              + "\"views\":[\"raw\",\"summary\",\"repo-summary\",\"namespace-summary\"],"
              + "\"timespans\":[\"months\",\"weeks\"]}]}");
    }
    return notFound();
  }

  private MockResponse download(RecordedRequest request, String view, int year, int week) {
    if (request.getHeaders().get("Authorization") != null
        || !"s3cr3t-signature".equals(request.getUrl().queryParameter("X-Amz-Signature"))) {
      return new MockResponse.Builder().code(403).body("<Error>AccessDenied</Error>").build();
    }
    if (failDownloads > 0) {
      failDownloads--;
      return new MockResponse.Builder().code(500).body("<Error>InternalError</Error>").build();
    }
    downloads.add(view + "-" + year + "-" + week);
    LocalDate monday =
        LocalDate.of(year, 1, 4)
            .with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week)
            .with(DayOfWeek.MONDAY);
    StringBuilder csv = new StringBuilder();
    if (view.equals("summary")) {
      csv.append(
          "Repository,Reference,Unique IP Addresses,Pulls by Tag,Pulls by Digest,Version Checks\n");
      for (String r : repositories) {
        for (String t : tags) {
          csv.append(namespace + "/" + r)
              .append(',')
              .append(t)
              .append(",,")
              .append(downloads(r, t, monday))
              .append(",0,")
              .append(versionChecks(r, t, monday))
              .append('\n');
        }
      }
    } else {
      csv.append("Repository,Unique IP Addresses,Pulls by Tag,Pulls by Digest,Version Checks\n");
      for (String r : repositories) {
        long dl = 0;
        long vc = 0;
        for (String t : tags) {
          dl += downloads(r, t, monday);
          vc += versionChecks(r, t, monday);
        }
        csv.append(namespace + "/" + r)
            .append(',')
            .append(uniqueIps(r, monday))
            .append(',')
            .append(dl)
            .append(",0,")
            .append(vc)
            .append('\n');
      }
    }
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/gzip")
        .body(new Buffer().write(gzip(csv.toString())))
        .build();
  }

  /**
   * A DVP Core trends report of these figures, as Docker Hub's web page downloads it: each tag's
   * downloads and version checks of each week split over three countries, two cloud providers and
   * two clients, so that the rows of one tag and week sum to its figures.
   */
  public void writeTrends(Writer out) throws IOException {
    out.write(
        "DATE_GRANULARITY,DATE_REFERENCE,PUBLISHER_NAME,IMAGE_REPOSITORY,NAMESPACE,IP_COUNTRY,"
            + "CLOUD_SERVICE_PROVIDER,USER_AGENT,TAG,DATA_DOWNLOADS,VERSION_CHECKS,PULLS,"
            + "UNIQUE_AUTHENTICATED_USERS,UNIQUE_UNAUTHENTICATED_USERS\n");
    String[][] splits = {
      {"US", "aws", "docker"}, {"DE", "no csp", "containerd"}, {"IN", "aws", "docker"}
    };
    for (LocalDate w : weeks) {
      for (String r : repositories) {
        for (String t : tags) {
          long dl = downloads(r, t, w);
          long vc = versionChecks(r, t, w);
          for (int i = 0; i < splits.length; i++) {
            long d =
                i < splits.length - 1
                    ? dl / splits.length
                    : dl - dl / splits.length * (splits.length - 1);
            long v =
                i < splits.length - 1
                    ? vc / splits.length
                    : vc - vc / splits.length * (splits.length - 1);
            out.write(
                "weekly,"
                    + w
                    + ",Acme Inc.,"
                    + namespace
                    + "/"
                    + r
                    + ","
                    + namespace
                    + ","
                    + splits[i][0]
                    + ","
                    + splits[i][1]
                    + ","
                    + splits[i][2]
                    + ","
                    + t
                    + ","
                    + d
                    + ","
                    + v
                    + ","
                    + (d + v)
                    + ",1,2\n");
          }
        }
      }
    }
  }

  /** A DVP Core summary report: a row per repository and per tag of each week. */
  public void writeSummary(Writer out) throws IOException {
    out.write(
        "DATE_GRANULARITY,DATE_REFERENCE,PUBLISHER_NAME,LEVEL,REFERENCE,DATA_DOWNLOADS,"
            + "VERSION_CHECKS,EVENT_COUNT\n");
    for (LocalDate w : weeks) {
      for (String r : repositories) {
        long dl = 0;
        long vc = 0;
        for (String t : tags) {
          long d = downloads(r, t, w);
          long v = versionChecks(r, t, w);
          dl += d;
          vc += v;
          out.write(
              "weekly,"
                  + w
                  + ",Acme Inc.,tag,"
                  + namespace
                  + "/"
                  + r
                  + ":"
                  + t
                  + ","
                  + d
                  + ","
                  + v
                  + ","
                  + (d + v)
                  + "\n");
        }
        out.write(
            "weekly,"
                + w
                + ",Acme Inc.,repository,"
                + namespace
                + "/"
                + r
                + ","
                + dl
                + ","
                + vc
                + ","
                + (dl + vc)
                + "\n");
      }
    }
  }

  /** {@code text} gzipped. */
  public static byte[] gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream z = new GZIPOutputStream(bytes)) {
      z.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  private static MockResponse notFound() {
    return json(404, "{\"message\":\"not found\"}");
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }
}
