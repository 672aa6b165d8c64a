package io.github.dockerpulls.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
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
  private static final int CHUNK = 500;

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

  static OptionalLong delta(RepositoryStats r, Map<String, Long> previous) {
    Long before = previous.get(r.fullName());
    return before == null ? OptionalLong.empty() : OptionalLong.of(r.pullCount() - before);
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
    List<Query> should = new ArrayList<>();
    byNamespace.forEach(
        (ns, names) ->
            should.add(
                Query.of(
                    q ->
                        q.bool(
                            b ->
                                b.filter(
                                        f ->
                                            f.term(
                                                t ->
                                                    t.field("http.docker_hub.namespace").value(ns)))
                                    .filter(
                                        f ->
                                            f.terms(
                                                t ->
                                                    t.field("http.docker_hub.name")
                                                        .terms(v -> v.value(names))))))));
    int maxNames = byNamespace.values().stream().mapToInt(List::size).max().orElse(1);
    Aggregation latest =
        Aggregation.of(
            l ->
                l.topHits(
                    h ->
                        h.size(1)
                            .sort(o -> o.field(f -> f.field("@timestamp").order(SortOrder.Desc)))
                            .source(
                                src ->
                                    src.filter(sf -> sf.includes("http.docker_hub.pull_count")))));
    Aggregation names =
        Aggregation.of(
            n ->
                n.terms(t -> t.field("http.docker_hub.name").size(maxNames))
                    .aggregations("latest", latest));
    Aggregation namespaces =
        Aggregation.of(
            a ->
                a.terms(t -> t.field("http.docker_hub.namespace").size(byNamespace.size()))
                    .aggregations("name", names));
    Query before =
        Query.of(
            q -> q.range(r -> r.date(d -> d.field("@timestamp").lt(PullDocument.timestamp(at)))));
    Query query =
        Query.of(q -> q.bool(b -> b.should(should).minimumShouldMatch("1").filter(before)));
    SearchResponse<Void> response;
    try {
      response = search(client, prefix, query, namespaces);
    } catch (co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
      if (e.status() == 400) {
        // The existing indices cannot answer this query (a field mapped differently, say);
        // the documents then go without a delta rather than not at all.
        return Map.of();
      }
      throw e;
    }
    return parse(response);
  }

  private static SearchResponse<Void> search(
      ElasticsearchClient client, String prefix, Query query, Aggregation namespaces)
      throws IOException {
    return client.search(
        s ->
            s.index(prefix + "-*")
                .allowNoIndices(true)
                .ignoreUnavailable(true)
                .size(0)
                .query(query)
                .aggregations("ns", namespaces),
        Void.class);
  }

  private static Map<String, Long> parse(SearchResponse<Void> response) {
    Map<String, Long> found = new HashMap<>();
    if (response.aggregations() == null || !response.aggregations().containsKey("ns")) {
      return found;
    }
    for (StringTermsBucket ns : response.aggregations().get("ns").sterms().buckets().array()) {
      for (StringTermsBucket name : ns.aggregations().get("name").sterms().buckets().array()) {
        List<Hit<JsonData>> hits = name.aggregations().get("latest").topHits().hits().hits();
        if (hits.isEmpty() || hits.get(0).source() == null) {
          continue;
        }
        var pulls =
            hits.get(0)
                .source()
                .toJson()
                .asJsonObject()
                .getJsonObject("http")
                .getJsonObject("docker_hub")
                .get("pull_count");
        if (pulls instanceof jakarta.json.JsonNumber number) {
          found.put(
              ns.key().stringValue() + "/" + name.key().stringValue(), number.longValueExact());
        }
      }
    }
    return found;
  }
}
