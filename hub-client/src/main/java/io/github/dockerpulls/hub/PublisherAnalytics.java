package io.github.dockerpulls.hub;

import io.github.dockerpulls.hub.internal.HubClient;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/**
 * Docker Hub's DVP Data API ({@code /api/publisher/analytics/v1}): the pulls of the namespaces in
 * the Docker Verified Publisher and Docker-Sponsored Open Source programs, as weekly or monthly
 * JSON and as exported CSV files. Every call needs credentials of a member of the namespace; for
 * any other namespace Docker Hub answers 404 ({@link HubException.NotFound}) or 401/403 ({@link
 * HubException.Unauthorized}).
 *
 * <p>Obtained from {@link DockerHub#analytics()}; shares its client's connections, token, retries
 * and rate limit handling.
 */
public final class PublisherAnalytics {
  /** The most bytes one exported file may have unless the caller says otherwise: 4 GiB. */
  public static final long DEFAULT_MAX_FILE_BYTES = 4L << 30;

  private final HubClient client;

  PublisherAnalytics(HubClient client) {
    this.client = client;
  }

  /** A namespace's offer: its extra repositories and its data sets with views and timespans. */
  public record Namespace(String namespace, List<String> extraRepos, List<Dataset> datasets) {
    public Namespace {
      extraRepos = extraRepos == null ? List.of() : List.copyOf(extraRepos);
      datasets = datasets == null ? List.of() : List.copyOf(datasets);
    }

    /** Whether the {@code pulls} data set offers {@code view} in {@code timespan}. */
    public boolean offers(String view, String timespan) {
      for (Dataset d : datasets) {
        if ("pulls".equals(d.name())
            && d.views().contains(view)
            && d.timespans().contains(timespan)) {
          return true;
        }
      }
      return false;
    }
  }

  /** A data set ({@code pulls}), its views ({@code summary}, ...) and timespans. */
  public record Dataset(String name, List<String> views, List<String> timespans) {
    public Dataset {
      views = views == null ? List.of() : List.copyOf(views);
      timespans = timespans == null ? List.of() : List.copyOf(timespans);
    }
  }

  /**
   * The pulls of one repository in one week or month.
   *
   * @param ipCount the distinct IP addresses, null when not given
   */
  public record Pulls(
      Instant start,
      Instant end,
      String namespace,
      String repository,
      long pullCount,
      Long ipCount) {}

  /** A link to an exported file, on another host, and its announced size (0 when not given). */
  public record ExportFile(String url, long size) {
    @Override
    public String toString() {
      // The link is signed: only its host and path are shown.
      return "ExportFile[" + HubClient.withoutQuery(url) + ", " + size + " bytes]";
    }
  }

  /** Reads a downloaded file. */
  @FunctionalInterface
  public interface FileReader<T> {
    T read(InputStream in) throws IOException;
  }

  /** {@code GET /}: the namespaces the caller may read. */
  public List<String> namespaces() {
    return client.analyticsNamespaces();
  }

  /**
   * {@code GET /namespaces/{namespace}}.
   *
   * @throws HubException.NotFound when the namespace has no Insights or the caller cannot read them
   */
  public Namespace namespace(String namespace) {
    Names.requireNamespace(namespace);
    return client.analyticsNamespace(namespace);
  }

  /**
   * {@code GET /namespaces/{namespace}/repos/{repository}/pulls}: the repository's pulls per week
   * or month.
   *
   * @param timespan {@code weeks} or {@code months}
   * @param period {@code last-2-months}, {@code last-3-months}, {@code last-6-months} or {@code
   *     last-12-months}
   */
  public List<Pulls> pulls(String namespace, String repository, String timespan, String period) {
    Names.requireNamespace(namespace);
    Names.requireRepository(repository);
    requireTimespan(timespan);
    return client.analyticsPulls(namespace, repository, timespan, period);
  }

  /** {@code GET /namespaces/{namespace}/pulls/exports/years}. */
  public List<Integer> exportYears(String namespace) {
    Names.requireNamespace(namespace);
    return client.analyticsExportYears(namespace);
  }

  /** The weeks or months of {@code year} that have exported files, ascending. */
  public List<Integer> exportPeriods(String namespace, int year, String timespan) {
    Names.requireNamespace(namespace);
    requireTimespan(timespan);
    return client.analyticsExportPeriods(namespace, year, timespan);
  }

  /** The files of one week or month in one view ({@code summary}, {@code repo-summary}, ...). */
  public List<ExportFile> exportFiles(
      String namespace, int year, String timespan, int number, String view) {
    Names.requireNamespace(namespace);
    requireTimespan(timespan);
    if (!view.matches("[a-z][a-z-]{0,40}")) {
      throw new IllegalArgumentException("not a view: " + view);
    }
    return client.analyticsExportFiles(namespace, year, timespan, number, view);
  }

  /**
   * Downloads an exported file and hands its body, as it arrives, to {@code reader}. The link is
   * fetched without the caller's token (it points at another host and carries its own signature).
   *
   * @param maxBytes the most bytes the file may have: a larger announced size is refused before the
   *     download, a body that grows past it is cut off with {@link HubException.UnexpectedResponse}
   */
  public <T> T download(ExportFile file, long maxBytes, FileReader<T> reader) throws IOException {
    return client.download(file.url(), maxBytes, reader::read);
  }

  private static void requireTimespan(String timespan) {
    if (!"weeks".equals(timespan) && !"months".equals(timespan)) {
      throw new IllegalArgumentException("timespan is weeks or months, not " + timespan);
    }
  }
}
