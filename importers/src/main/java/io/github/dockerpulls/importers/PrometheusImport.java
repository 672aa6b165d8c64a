package io.github.dockerpulls.importers;

import com.squareup.moshi.JsonReader;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryStore;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import okio.Okio;

/**
 * Brings the pull counts a Prometheus server holds into the history: the Flask exporter's {@code
 * docker_image_pulls{image,organization}} and this exporter's {@code
 * dockerhub_repository_pulls_total{organization,repository}}, whatever {@code job} and {@code
 * instance} labels Prometheus added. It reads {@code /api/v1/query_range} at one step, in time
 * slices of {@value #SLICE_STEPS} steps (a day at the default 5 minutes), both metrics of a slice,
 * writes that slice in time order and forgets it, so that memory follows the number of series, not
 * the length of the history. Series of one repository from several jobs or instances become one;
 * importing twice adds nothing the second time. A series whose labels name no repository, a value
 * that is not a whole count ({@code +Inf}, {@code NaN}, {@code 1e308}, a fraction) and a time out
 * of range are skipped alone and counted.
 */
public final class PrometheusImport {
  /** The Flask exporter's gauge, which dockerpulls' exporter serves too. */
  static final String LEGACY_PULLS = "docker_image_pulls";

  /** dockerpulls' exporter's counter, as Prometheus stores it. */
  static final String PULLS_TOTAL = "dockerhub_repository_pulls_total";

  /** Steps per series in one query: one slice, far below Prometheus' limit of 11,000 points. */
  static final int SLICE_STEPS = 288;

  /** What a series that names no repository is counted as. */
  static final String NO_REPOSITORY = "series whose labels name no Docker Hub repository";

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
    ImportWriter writer = new ImportWriter(store, until);
    long sliceSeconds = stepSeconds * SLICE_STEPS;
    int slices = (int) Math.max(1, (end - start) / sliceSeconds + 1);
    int total = slices * METRICS.size();
    int done = 0;
    for (long from = start; from <= end; from += sliceSeconds) {
      Slice slice = new Slice(from, Math.min(end, from + sliceSeconds - stepSeconds), stepSeconds);
      for (String[] metric : METRICS) {
        query(metric, slice, writer);
        progress.accept(++done, total);
      }
      // In time order, so that the history appends rather than inserts.
      List<String> names = new ArrayList<>(slice.counts.keySet());
      names.sort(null);
      for (int i = 0; i < slice.steps; i++) {
        Instant t = Instant.ofEpochSecond(slice.from + i * stepSeconds);
        for (String full : names) {
          long count = slice.counts.get(full)[i];
          if (count >= 0) {
            int slash = full.indexOf('/');
            writer.offer(
                full.substring(0, slash), full.substring(slash + 1), t, count, NO_REPOSITORY);
          }
        }
      }
      writer.flush();
    }
    return writer.finish();
  }

  /**
   * One time slice: each repository's count per step, -1 where it has none. Only the current slice
   * is held.
   */
  private static final class Slice {
    final long from;
    final long to;
    final long step;
    final int steps;
    final Map<String, long[]> counts = new HashMap<>();

    Slice(long from, long to, long step) {
      this.from = from;
      this.to = to;
      this.step = step;
      this.steps = (int) ((to - from) / step + 1);
    }

    /** The step {@code t} falls on, or -1 outside the slice or between steps. */
    int index(long t) {
      if (t < from || t > to || (t - from) % step != 0) {
        return -1;
      }
      return (int) ((t - from) / step);
    }
  }

  /** One query_range of one metric over one slice, merged into the slice's counts. */
  private void query(String[] metric, Slice slice, ImportWriter writer) throws ImportException {
    String query =
        "query="
            + URLEncoder.encode(metric[0], StandardCharsets.UTF_8)
            + "&start="
            + slice.from
            + "&end="
            + slice.to
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
      readAnswer(json, metric, slice, writer);
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
  private void readAnswer(JsonReader json, String[] metric, Slice slice, ImportWriter writer)
      throws IOException, ImportException {
    String status = null;
    String error = null;
    json.beginObject();
    while (json.hasNext()) {
      switch (json.nextName()) {
        case "status" -> status = json.nextString();
        case "error" -> error = json.nextString();
        case "data" -> readData(json, metric, slice, writer);
        default -> json.skipValue();
      }
    }
    json.endObject();
    if (!"success".equals(status)) {
      throw new ImportException(
          "Prometheus refused the query: " + (error == null ? "status " + status : error), null);
    }
  }

  private void readData(JsonReader json, String[] metric, Slice slice, ImportWriter writer)
      throws IOException {
    json.beginObject();
    while (json.hasNext()) {
      if (!json.nextName().equals("result")) {
        json.skipValue();
        continue;
      }
      json.beginArray();
      while (json.hasNext()) {
        readSeries(json, metric, slice, writer);
      }
      json.endArray();
    }
    json.endObject();
  }

  /**
   * Prometheus answers a step with the latest sample of the 5 minutes before it, so the step after
   * a series' last sample before a gap repeats that sample at a later time. Such a repeat, one step
   * after an equal value and followed by no value within the slice, is removed: it was not observed
   * then. The slice's last step is left as it is, since what follows it is not known here.
   */
  static void dropLookbackEchoes(long[] values) {
    for (int i = values.length - 2; i >= 1; i--) {
      if (values[i] >= 0 && values[i] == values[i - 1] && values[i + 1] < 0) {
        values[i] = -1;
      }
    }
  }

  private void readSeries(JsonReader json, String[] metric, Slice slice, ImportWriter writer)
      throws IOException {
    String namespace = null;
    String name = null;
    StringBuilder labels = new StringBuilder();
    long[] values = new long[slice.steps];
    java.util.Arrays.fill(values, -1);
    List<String> rejected = new ArrayList<>();
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
            if (labels.length() < 200) {
              labels
                  .append(labels.length() == 0 ? "" : ", ")
                  .append(label)
                  .append('=')
                  .append(value);
            }
          }
          json.endObject();
        }
        case "values" -> {
          json.beginArray();
          while (json.hasNext()) {
            json.beginArray();
            long t = Math.round(json.nextDouble());
            String text = json.nextString();
            json.endArray();
            double v = sampleValue(text);
            int i = slice.index(t);
            if (i < 0) {
              continue;
            }
            if (!ImportWriter.isCount(v)) {
              rejected.add(text + " at " + Instant.ofEpochSecond(t));
              continue;
            }
            values[i] = (long) v;
          }
          json.endArray();
        }
        default -> json.skipValue();
      }
    }
    json.endObject();
    Target.Repository repository = ImportWriter.repository(namespace, name);
    if (repository == null) {
      // Each such series is counted once, though every slice's answer holds it again.
      if (writer.firstTime(NO_REPOSITORY, labels.toString())) {
        writer.skip(NO_REPOSITORY, "{" + labels + "}");
      }
      return;
    }
    for (String r : rejected) {
      writer.skip(ImportWriter.NOT_A_COUNT, r + " for " + repository.id());
    }
    dropLookbackEchoes(values);
    long[] merged = slice.counts.get(repository.id());
    if (merged == null) {
      slice.counts.put(repository.id(), values);
    } else {
      // The same repository from two jobs or instances: one count per time, the larger.
      for (int i = 0; i < values.length; i++) {
        merged[i] = Math.max(merged[i], values[i]);
      }
    }
  }

  /**
   * A sample's value as Prometheus writes it: a number, {@code +Inf}, {@code -Inf} or {@code NaN}.
   */
  static double sampleValue(String text) {
    switch (text) {
      case "+Inf", "Inf" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-Inf" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "NaN" -> {
        return Double.NaN;
      }
      default -> {
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          return Double.NaN;
        }
      }
    }
  }
}
