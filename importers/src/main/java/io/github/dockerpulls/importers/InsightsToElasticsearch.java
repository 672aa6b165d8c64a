package io.github.dockerpulls.importers;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import io.github.dockerpulls.elasticsearch.EsConnection;
import io.github.dockerpulls.elasticsearch.SinkException;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.InsightFigure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Insights the history holds, written to Elasticsearch: one document per repository, period and
 * figure (the repository's own, each kept tag, {@code (other)}, each country, cloud and client),
 * into {@code PREFIX-YYYY} by the period's year. A document's id follows from what it is about, so
 * that writing the same figures again overwrites them instead of adding copies.
 *
 * <pre>{@code
 * {"@timestamp": "2026-11-16T00:00:00Z",
 *  "period": {"granularity": "week", "start": "...", "end": "..."},
 *  "repository": {"namespace": "camunda", "name": "zeebe", "full_name": "camunda/zeebe"},
 *  "dimension": "tag", "key": "8.7.0", "tag": "8.7.0",
 *  "pulls": 980, "downloads": 800, "version_checks": 180, "unique_ips": null}
 * }</pre>
 */
public final class InsightsToElasticsearch {
  /** The indices' default prefix: apart from the pull counts' {@code docker-pulls-*}. */
  public static final String DEFAULT_PREFIX = "docker-insights";

  static final int BULK = 1_000;

  private final EsConnection connection;
  private final String prefix;

  public InsightsToElasticsearch(EsConnection connection, String prefix) {
    this.connection = connection;
    this.prefix = prefix;
  }

  /**
   * What was written.
   *
   * @param written the documents Elasticsearch took
   * @param failed the documents it refused
   * @param firstFailure why the first was refused, or null
   */
  public record Result(long written, long failed, String firstFailure) {}

  /** The document's id: a digest of the repository, period, dimension and key. */
  static String id(InsightFigure f) {
    String what =
        f.namespace()
            + "/"
            + f.name()
            + "|"
            + f.by()
            + "|"
            + f.start()
            + "|"
            + f.dimension().label()
            + "|"
            + f.key();
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(what.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static Map<String, Object> document(InsightFigure f) {
    Map<String, Object> d = new LinkedHashMap<>();
    String start = f.start().atStartOfDay(ZoneOffset.UTC).toInstant().toString();
    d.put("@timestamp", start);
    Map<String, Object> period = new LinkedHashMap<>();
    period.put("granularity", f.by().toString());
    period.put("start", start);
    period.put("end", f.end().atStartOfDay(ZoneOffset.UTC).toInstant().toString());
    d.put("period", period);
    Map<String, Object> repository = new LinkedHashMap<>();
    repository.put("namespace", f.namespace());
    repository.put("name", f.name());
    repository.put("full_name", f.namespace() + "/" + f.name());
    d.put("repository", repository);
    d.put("dimension", f.dimension().label());
    d.put("key", f.key());
    if (f.dimension() == InsightFigure.Dimension.TAG) {
      d.put("tag", f.key());
    }
    d.put("pulls", f.pulls());
    d.put("downloads", f.downloads());
    d.put("version_checks", f.versionChecks());
    d.put("unique_ips", f.uniqueIps());
    return d;
  }

  /** Writes every figure of {@code namespace} from {@code since}, a thousand to a request. */
  public Result write(HistoryStore store, String namespace, LocalDate since)
      throws HistoryException, SinkException {
    ElasticsearchClient client = connection.client();
    List<InsightFigure> batch = new ArrayList<>(BULK);
    long[] counts = new long[2];
    String[] first = {null};
    SinkException[] failure = {null};
    store.insightFigures(
        namespace,
        since,
        f -> {
          if (failure[0] != null) {
            return;
          }
          batch.add(f);
          if (batch.size() >= BULK) {
            try {
              send(client, batch, counts, first);
            } catch (SinkException e) {
              failure[0] = e;
            }
            batch.clear();
          }
        });
    if (failure[0] != null) {
      throw failure[0];
    }
    send(client, batch, counts, first);
    return new Result(counts[0], counts[1], first[0]);
  }

  private void send(
      ElasticsearchClient client, List<InsightFigure> batch, long[] counts, String[] first)
      throws SinkException {
    if (batch.isEmpty()) {
      return;
    }
    BulkRequest.Builder request = new BulkRequest.Builder();
    for (InsightFigure f : batch) {
      String index = prefix + "-" + f.start().getYear();
      String id = id(f);
      Map<String, Object> doc = document(f);
      request.operations(op -> op.index(i -> i.index(index).id(id).document(doc)));
    }
    BulkResponse response;
    try {
      response = client.bulk(request.build());
    } catch (Exception e) {
      throw connection.translate(e, "write the Insights");
    }
    for (BulkResponseItem item : response.items()) {
      if (item.error() == null) {
        counts[0]++;
      } else {
        counts[1]++;
        if (first[0] == null) {
          first[0] = item.error().reason();
        }
      }
    }
  }
}
