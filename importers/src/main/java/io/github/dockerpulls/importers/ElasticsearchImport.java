package io.github.dockerpulls.importers;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import io.github.dockerpulls.elasticsearch.EsConnection;
import io.github.dockerpulls.elasticsearch.SinkException;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Observation;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.Target;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Brings the pull counts of the Metricbeat setup's documents (and of this project's own, which have
 * the same fields) into the history: {@code http.docker_hub.namespace}, {@code .name} and {@code
 * .pull_count} at {@code @timestamp}, read oldest first through a point in time with {@code
 * search_after}, so that documents written meanwhile neither repeat nor shift the pages. Importing
 * twice adds nothing the second time.
 */
public final class ElasticsearchImport {
  /** Times as the documents hold them: UTC to the millisecond. */
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Documents per page. */
  static final int PAGE = 5000;

  private final EsConnection connection;
  private final String indices;

  /**
   * @param indices the indices to read, such as {@code docker-pulls-*}
   */
  public ElasticsearchImport(EsConnection connection, String indices) {
    this.connection = connection;
    this.indices = indices;
  }

  /**
   * Reads every document from {@code since} on and records it.
   *
   * @param progress told {@code (read, total)} after each page
   * @throws SinkException when Elasticsearch cannot be read
   */
  public ImportSummary into(HistoryStore store, Instant since, BiConsumer<Long, Long> progress)
      throws HistoryException {
    ElasticsearchClient client = connection.client();
    String pit;
    try {
      pit =
          client
              .openPointInTime(
                  p -> p.index(indices).keepAlive(k -> k.time("2m")).ignoreUnavailable(true))
              .id();
    } catch (IOException | RuntimeException e) {
      throw connection.translate(e, "open a point in time on " + indices);
    }
    ImportWriter writer = new ImportWriter(store);
    long read = 0;
    try {
      List<FieldValue> after = null;
      long total = -1;
      while (true) {
        SearchResponse<JsonData> page = page(client, pit, since, after, total < 0);
        if (total < 0) {
          total = page.hits().total() == null ? 0 : page.hits().total().value();
        }
        if (page.pitId() != null) {
          pit = page.pitId();
        }
        List<Hit<JsonData>> hits = page.hits().hits();
        if (hits.isEmpty()) {
          break;
        }
        for (Hit<JsonData> hit : hits) {
          Observation o = observation(hit);
          if (o == null) {
            writer.skip(1);
          } else {
            writer.add(o);
          }
        }
        writer.flush();
        read += hits.size();
        progress.accept(read, total);
        after = hits.get(hits.size() - 1).sort();
        if (hits.size() < PAGE) {
          break;
        }
      }
    } finally {
      String id = pit;
      try {
        client.closePointInTime(c -> c.id(id));
      } catch (IOException | RuntimeException ignored) {
        // It expires on its own within two minutes.
      }
    }
    return writer.finish();
  }

  private SearchResponse<JsonData> page(
      ElasticsearchClient client,
      String pit,
      Instant since,
      List<FieldValue> after,
      boolean count) {
    Query query =
        Query.of(
            q ->
                q.bool(
                    b ->
                        b.filter(f -> f.exists(e -> e.field("http.docker_hub.pull_count")))
                            .filter(
                                f ->
                                    f.range(
                                        r ->
                                            r.date(
                                                d ->
                                                    d.field("@timestamp")
                                                        .gte(MILLIS.format(since)))))));
    try {
      return client.search(
          s -> {
            s.size(PAGE)
                .pit(p -> p.id(pit).keepAlive(k -> k.time("2m")))
                .query(query)
                .trackTotalHits(t -> t.enabled(count))
                .sort(o -> o.field(f -> f.field("@timestamp").order(SortOrder.Asc)))
                .sort(o -> o.field(f -> f.field("_shard_doc").order(SortOrder.Asc)))
                .source(
                    src ->
                        src.filter(
                            f ->
                                f.includes(
                                    "@timestamp",
                                    "http.docker_hub.namespace",
                                    "http.docker_hub.name",
                                    "http.docker_hub.pull_count")));
            if (after != null) {
              s.searchAfter(after);
            }
            return s;
          },
          JsonData.class);
    } catch (IOException | RuntimeException e) {
      throw connection.translate(e, "read " + indices);
    }
  }

  /** The observation a document holds, or null when it lacks a usable field. */
  static Observation observation(Hit<JsonData> hit) {
    if (hit.source() == null) {
      return null;
    }
    JsonValue value = hit.source().toJson();
    if (!(value instanceof JsonObject source)
        || !(source.get("@timestamp") instanceof JsonString timestamp)
        || !(source.get("http") instanceof JsonObject http)
        || !(http.get("docker_hub") instanceof JsonObject hub)
        || !(hub.get("namespace") instanceof JsonString namespace)
        || !(hub.get("name") instanceof JsonString name)
        || !(hub.get("pull_count") instanceof JsonNumber count)) {
      return null;
    }
    try {
      Target.Repository repository =
          Target.repository(namespace.getString() + "/" + name.getString());
      double pulls = count.doubleValue(); // Metricbeat once wrote 2.244658322e+09
      if (!(pulls >= 0) || Double.isInfinite(pulls)) {
        return null;
      }
      return Observation.ofPulls(
          repository.namespace(),
          repository.name(),
          Instant.parse(timestamp.getString()),
          Math.round(pulls));
    } catch (HubException.InvalidName | DateTimeParseException e) {
      return null;
    }
  }
}
