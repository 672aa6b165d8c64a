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
  private static final System.Logger LOG = System.getLogger(ElasticsearchImport.class.getName());

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
   * Reads every document from {@code since} on and records it; a document after {@code until} is
   * skipped as a time out of range.
   *
   * @param progress told {@code (read, total)} after each page
   * @throws SinkException when Elasticsearch cannot be read
   */
  public ImportSummary into(
      HistoryStore store, Instant since, Instant until, BiConsumer<Long, Long> progress)
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
    ImportWriter writer = new ImportWriter(store, until);
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
        List<FieldValue> next = hits.get(hits.size() - 1).sort();
        if (after != null && sameSort(after, next)) {
          // A server that ignores search_after answers the same page for ever: what it gave so
          // far is kept, and the import ends here.
          LOG.log(
              System.Logger.Level.WARNING,
              "elasticsearch: "
                  + indices
                  + " answered the same page again (search_after ignored); the import ends with"
                  + " what was read");
          break;
        }
        for (Hit<JsonData> hit : hits) {
          offer(writer, hit);
        }
        writer.flush();
        read += hits.size();
        progress.accept(read, total);
        if (hits.size() < PAGE) {
          break;
        }
        if (next == null || next.isEmpty()) {
          LOG.log(
              System.Logger.Level.WARNING,
              "elasticsearch: "
                  + indices
                  + " gave no sort values to page on; the import ends with what was read");
          break;
        }
        after = next;
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

  /** Whether two pages end at the same sort values (FieldValue compares by identity). */
  static boolean sameSort(List<FieldValue> a, List<FieldValue> b) {
    if (a == null || b == null || a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      FieldValue x = a.get(i);
      FieldValue y = b.get(i);
      if (x._kind() != y._kind() || !java.util.Objects.equals(x._get(), y._get())) {
        return false;
      }
    }
    return true;
  }

  /** What a document is counted as when it names no repository or lacks a field. */
  static final String NO_REPOSITORY =
      "documents without a Docker Hub namespace and name, a count or a time";

  /** Hands a document's count to the writer, which takes it or counts why not. */
  static void offer(ImportWriter writer, Hit<JsonData> hit) throws HistoryException {
    JsonValue value = hit.source() == null ? null : hit.source().toJson();
    if (!(value instanceof JsonObject source)
        || !(source.get("@timestamp") instanceof JsonString timestamp)
        || !(source.get("http") instanceof JsonObject http)
        || !(http.get("docker_hub") instanceof JsonObject hub)
        || !(hub.get("pull_count") instanceof JsonNumber count)) {
      writer.skip(NO_REPOSITORY, "document " + hit.id());
      return;
    }
    Instant time;
    try {
      time = Instant.parse(timestamp.getString());
    } catch (DateTimeParseException e) {
      writer.skip(NO_REPOSITORY, "document " + hit.id() + " at " + timestamp.getString());
      return;
    }
    String namespace = hub.get("namespace") instanceof JsonString ns ? ns.getString() : null;
    String name = hub.get("name") instanceof JsonString n ? n.getString() : null;
    // Metricbeat once wrote 2.244658322e+09: a double, checked whole by the writer.
    writer.offer(namespace, name, time, count.doubleValue(), NO_REPOSITORY);
  }
}
