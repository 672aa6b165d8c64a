package io.github.dockerpulls.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.MsearchResponse;
import co.elastic.clients.elasticsearch.core.msearch.MultiSearchResponseItem;
import co.elastic.clients.elasticsearch.core.msearch.RequestItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import io.github.dockerpulls.hub.RepositoryStats;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The pull count each repository had at its previous observation, for {@code pull_count_delta}:
 * from memory for repositories this process has written, otherwise from the newest document before
 * the observation time already in Elasticsearch (documents Metricbeat wrote count too: they are
 * matched by namespace and name).
 */
final class PreviousCounts {
  private static final int CHUNK = 5000;

  private record Seen(Instant at, long pulls) {}

  private final Map<String, Seen> memory = new HashMap<>();

  /** Previous pull counts by {@code namespace/name}; a repository never seen has no entry. */
  Map<String, Long> before(
      ElasticsearchClient client, String prefix, Instant at, List<RepositoryStats> repositories)
      throws IOException {
    Map<String, Long> previous = new HashMap<>();
    List<RepositoryStats> unknown = new ArrayList<>();
    synchronized (memory) {
      for (RepositoryStats r : repositories) {
        Seen seen = memory.get(r.fullName());
        if (seen != null && seen.at().isBefore(at)) {
          previous.put(r.fullName(), seen.pulls());
        } else {
          unknown.add(r);
        }
      }
    }
    for (int i = 0; i < unknown.size(); i += CHUNK) {
      previous.putAll(
          lookUp(client, prefix, at, unknown.subList(i, Math.min(unknown.size(), i + CHUNK))));
    }
    return previous;
  }

  /** Remembers an observation once it is written. */
  void remember(Instant at, List<RepositoryStats> repositories) {
    synchronized (memory) {
      for (RepositoryStats r : repositories) {
        Seen seen = memory.get(r.fullName());
        if (seen == null || !seen.at().isAfter(at)) {
          memory.put(r.fullName(), new Seen(at, r.pullCount()));
        }
      }
    }
  }

  /**
   * The pulls since the previous observation: never negative, since a count that went down is the
   * Hub correcting itself, not pulls taken back (a sum of deltas would otherwise lose them).
   */
  static OptionalLong delta(RepositoryStats r, Map<String, Long> previous) {
    Long before = previous.get(r.fullName());
    return before == null
        ? OptionalLong.empty()
        : OptionalLong.of(Math.max(0, r.pullCount() - before));
  }

  private static Map<String, Long> lookUp(
      ElasticsearchClient client, String prefix, Instant at, List<RepositoryStats> chunk)
      throws IOException {
    Map<String, List<FieldValue>> byNamespace = new LinkedHashMap<>();
    for (RepositoryStats r : chunk) {
      byNamespace
          .computeIfAbsent(r.namespace(), k -> new ArrayList<>())
          .add(FieldValue.of(r.name()));
    }
    // One search per namespace, all in one _msearch round trip; each collapsed on the name
    // (the newest hit per name, from doc values), newest first.
    List<RequestItem> searches = new ArrayList<>();
    List<String> namespaces = new ArrayList<>(byNamespace.keySet());
    for (String namespace : namespaces) {
      List<FieldValue> names = byNamespace.get(namespace);
      searches.add(
          RequestItem.of(
              item ->
                  item.header(
                          h -> h.index(prefix + "-*").allowNoIndices(true).ignoreUnavailable(true))
                      .body(
                          b ->
                              b.size(names.size())
                                  .trackTotalHits(t -> t.enabled(false))
                                  .query(newestBefore(at, namespace, names))
                                  .collapse(c -> c.field("http.docker_hub.name"))
                                  .sort(
                                      o ->
                                          o.field(f -> f.field("@timestamp").order(SortOrder.Desc)))
                                  .source(
                                      src ->
                                          src.filter(
                                              f ->
                                                  f.includes(
                                                      "http.docker_hub.name",
                                                      "http.docker_hub.pull_count"))))));
    }
    MsearchResponse<JsonData> response = client.msearch(m -> m.searches(searches), JsonData.class);
    Map<String, Long> found = new HashMap<>();
    for (int i = 0; i < namespaces.size(); i++) {
      MultiSearchResponseItem<JsonData> item = response.responses().get(i);
      if (!item.isResult()) {
        // The existing indices cannot answer (a field mapped differently, say): these
        // documents then go without a delta rather than not at all.
        continue;
      }
      for (Hit<JsonData> hit : item.result().hits().hits()) {
        if (hit.source() == null) {
          continue;
        }
        var hub =
            hit.source().toJson().asJsonObject().getJsonObject("http").getJsonObject("docker_hub");
        if (hub.get("pull_count") instanceof jakarta.json.JsonNumber number
            && hub.get("name") instanceof jakarta.json.JsonString name) {
          found.put(namespaces.get(i) + "/" + name.getString(), number.longValueExact());
        }
      }
    }
    return found;
  }

  private static Query newestBefore(Instant at, String namespace, List<FieldValue> names) {
    return Query.of(
        q ->
            q.bool(
                b ->
                    b.filter(
                            f -> f.term(t -> t.field("http.docker_hub.namespace").value(namespace)))
                        .filter(
                            f ->
                                f.terms(
                                    t ->
                                        t.field("http.docker_hub.name").terms(v -> v.value(names))))
                        .filter(
                            f ->
                                f.range(
                                    r ->
                                        r.date(
                                            d ->
                                                d.field("@timestamp")
                                                    .lt(PullDocument.timestamp(at)))))));
  }
}
