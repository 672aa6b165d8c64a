package io.github.dockerpulls.importers;

import com.squareup.moshi.JsonReader;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Observation;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.Target;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import okio.Okio;

/**
 * Brings the pull counts a Prometheus server holds into the history: the Flask exporter's {@code
 * docker_image_pulls{image,organization}} and this exporter's {@code
 * dockerhub_repository_pulls_total{organization,repository}}, whatever {@code job} and {@code
 * instance} labels Prometheus added. It reads {@code /api/v1/query_range} at one step, in ranges of
 * at most {@value #POINTS_PER_QUERY} points per series (Prometheus refuses more than 11,000).
 * Series of one repository from several jobs or instances become one; importing twice adds nothing
 * the second time.
 */
public final class PrometheusImport {
  /** The Flask exporter's gauge, which dockerpulls' exporter serves too. */
  static final String LEGACY_PULLS = "docker_image_pulls";

  /** dockerpulls' exporter's counter, as Prometheus stores it. */
  static final String PULLS_TOTAL = "dockerhub_repository_pulls_total";

  /** Points per series in one query, below Prometheus' limit of 11,000. */
  static final int POINTS_PER_QUERY = 10_000;

  /** The metrics read, each with the labels that name the namespace and the repository. */
  private static final List<String[]> METRICS =
      List.of(
          new String[] {LEGACY_PULLS, "organization", "image"},
          new String[] {PULLS_TOTAL, "organization", "repository"});

  private final URI base;
  private final Duration step;
  private final HttpClient http;

  /**
   * @param base the Prometheus server, such as {@code http://prometheus:9090}
   * @param step the resolution read; a count is taken every step (a sample stays visible for 5
   *     minutes after it was scraped, so a step of at most 5 minutes keeps gaps as gaps)
   */
  public PrometheusImport(URI base, Duration step) {
    this.base = Objects.requireNonNull(base, "base");
    this.step = Objects.requireNonNull(step, "step");
    if (step.toSeconds() < 1) {
      throw new IllegalArgumentException("the step must be at least a second");
    }
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * Reads the counts from {@code since} to {@code until} and records them.
   *
   * @param progress told {@code (done, total)} after each query
   */
  public ImportSummary into(
      HistoryStore store, Instant since, Instant until, BiConsumer<Integer, Integer> progress)
      throws ImportException, HistoryException {
    long stepSeconds = step.toSeconds();
    long start = Math.floorDiv(since.getEpochSecond(), stepSeconds) * stepSeconds;
    long end = until.getEpochSecond();
    List<long[]> ranges = new ArrayList<>();
    for (long from = start; from <= end; from += stepSeconds * POINTS_PER_QUERY) {
      ranges.add(new long[] {from, Math.min(end, from + stepSeconds * (POINTS_PER_QUERY - 1))});
    }
    Map<String, TreeMap<Long, Long>> counts = new HashMap<>();
    int[] skipped = {0};
    int total = ranges.size() * METRICS.size();
    int done = 0;
    for (String[] metric : METRICS) {
      for (long[] range : ranges) {
        query(metric, range[0], range[1], counts, skipped);
        progress.accept(++done, total);
      }
    }
    List<Observation> observations = new ArrayList<>();
    for (Map.Entry<String, TreeMap<Long, Long>> e : counts.entrySet()) {
      int slash = e.getKey().indexOf('/');
      String namespace = e.getKey().substring(0, slash);
      String name = e.getKey().substring(slash + 1);
      for (Map.Entry<Long, Long> point : e.getValue().entrySet()) {
        Instant t = Instant.ofEpochSecond(point.getKey());
        observations.add(Observation.ofPulls(namespace, name, t, point.getValue()));
      }
    }
    // In time order, so that the history appends rather than inserts.
    observations.sort(Comparator.comparing(Observation::observedAt));
    ImportWriter writer = new ImportWriter(store);
    for (Observation o : observations) {
      writer.add(o);
    }
    writer.skip(skipped[0]);
    return writer.finish();
  }

  /** One query_range of one metric, merged into {@code counts} by repository and time. */
  private void query(
      String[] metric, long from, long to, Map<String, TreeMap<Long, Long>> counts, int[] skipped)
      throws ImportException {
    String query =
        "query="
            + URLEncoder.encode(metric[0], StandardCharsets.UTF_8)
            + "&start="
            + from
            + "&end="
            + to
            + "&step="
            + step.toSeconds();
    URI uri =
        base.resolve(base.getPath().endsWith("/") ? "api/v1/query_range" : "/api/v1/query_range");
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(uri + "?" + query))
            .timeout(Duration.ofMinutes(2))
            .header("Accept", "application/json")
            .build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new ImportException(
          "cannot reach Prometheus at " + base + " (" + e.getClass().getSimpleName() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImportException("interrupted while reading Prometheus", e);
    }
    try (InputStream body = response.body();
        JsonReader json = JsonReader.of(Okio.buffer(Okio.source(body)))) {
      if (response.statusCode() != 200
          && response.statusCode() != 400
          && response.statusCode() != 422) {
        throw new ImportException(
            "Prometheus at "
                + base
                + " answered HTTP "
                + response.statusCode()
                + " to a range query (is it Prometheus?)",
            null);
      }
      readAnswer(json, metric, counts, skipped);
    } catch (IOException | com.squareup.moshi.JsonDataException e) {
      throw new ImportException(
          "Prometheus at "
              + base
              + " did not answer with Prometheus' JSON ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
  }

  /** {@code {"status":"success","data":{"resultType":"matrix","result":[...]}}}. */
  private void readAnswer(
      JsonReader json, String[] metric, Map<String, TreeMap<Long, Long>> counts, int[] skipped)
      throws IOException, ImportException {
    String status = null;
    String error = null;
    json.beginObject();
    while (json.hasNext()) {
      switch (json.nextName()) {
        case "status" -> status = json.nextString();
        case "error" -> error = json.nextString();
        case "data" -> readData(json, metric, counts, skipped);
        default -> json.skipValue();
      }
    }
    json.endObject();
    if (!"success".equals(status)) {
      throw new ImportException(
          "Prometheus refused the query: " + (error == null ? "status " + status : error), null);
    }
  }

  private void readData(
      JsonReader json, String[] metric, Map<String, TreeMap<Long, Long>> counts, int[] skipped)
      throws IOException {
    json.beginObject();
    while (json.hasNext()) {
      if (!json.nextName().equals("result")) {
        json.skipValue();
        continue;
      }
      json.beginArray();
      while (json.hasNext()) {
        readSeries(json, metric, counts, skipped);
      }
      json.endArray();
    }
    json.endObject();
  }

  /**
   * Prometheus answers a step with the latest sample of the 5 minutes before it, so the step after
   * a series' last sample before a gap repeats that sample at a later time. Such a repeat, one step
   * after an equal value and followed by no value, is removed: it was not observed then.
   */
  static void dropLookbackEchoes(TreeMap<Long, Long> points, long step) {
    List<Long> echoes = new ArrayList<>();
    for (Map.Entry<Long, Long> e : points.entrySet()) {
      Map.Entry<Long, Long> before = points.lowerEntry(e.getKey());
      if (before != null
          && before.getKey() == e.getKey() - step
          && before.getValue().equals(e.getValue())
          && !points.containsKey(e.getKey() + step)) {
        echoes.add(e.getKey());
      }
    }
    echoes.forEach(points::remove);
  }

  private void readSeries(
      JsonReader json, String[] metric, Map<String, TreeMap<Long, Long>> counts, int[] skipped)
      throws IOException {
    String namespace = null;
    String name = null;
    TreeMap<Long, Long> points = new TreeMap<>();
    json.beginObject();
    while (json.hasNext()) {
      switch (json.nextName()) {
        case "metric" -> {
          json.beginObject();
          while (json.hasNext()) {
            String label = json.nextName();
            String value = json.nextString();
            if (label.equals(metric[1])) {
              namespace = value;
            } else if (label.equals(metric[2])) {
              name = value;
            }
          }
          json.endObject();
        }
        case "values" -> {
          json.beginArray();
          while (json.hasNext()) {
            json.beginArray();
            long t = Math.round(json.nextDouble());
            double v = Double.parseDouble(json.nextString());
            json.endArray();
            if (Double.isFinite(v) && v >= 0) {
              points.put(t, Math.round(v));
            }
          }
          json.endArray();
        }
        default -> json.skipValue();
      }
    }
    json.endObject();
    String full;
    try {
      full = Target.repository(namespace + "/" + name).id();
    } catch (HubException.InvalidName | NullPointerException e) {
      skipped[0]++;
      return;
    }
    dropLookbackEchoes(points, step.toSeconds());
    TreeMap<Long, Long> merged = counts.computeIfAbsent(full, k -> new TreeMap<>());
    // The same repository from two jobs or instances: one count per time, the larger.
    points.forEach((t, v) -> merged.merge(t, v, Math::max));
  }
}
