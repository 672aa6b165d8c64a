package io.github.dockerpulls.elasticsearch;

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
      org.elasticsearch.client.RestClient rest,
      String prefix,
      Instant at,
      List<RepositoryStats> repositories)
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
          lookUp(rest, prefix, at, unknown.subList(i, Math.min(unknown.size(), i + CHUNK))));
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

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = Jackson.MAPPER;

  private static final String NAME = "http.docker_hub.name";
  private static final String PULL_COUNT = "http.docker_hub.pull_count";

  /**
   * One search per namespace, all in one {@code _msearch} round trip; each collapsed on the name
   * (the newest hit per name), newest first, reading the count from doc values with no stored field
   * loaded. The request is written and the answer read with Jackson through the low-level client:
   * building and parsing 5,000 hits with the typed client took several times as long as
   * Elasticsearch took to answer.
   */
  private static Map<String, Long> lookUp(
      org.elasticsearch.client.RestClient rest,
      String prefix,
      Instant at,
      List<RepositoryStats> chunk)
      throws IOException {
    Map<String, List<String>> byNamespace = new LinkedHashMap<>();
    for (RepositoryStats r : chunk) {
      byNamespace.computeIfAbsent(r.namespace(), k -> new ArrayList<>()).add(r.name());
    }
    List<String> namespaces = new ArrayList<>(byNamespace.keySet());
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream(chunk.size() * 32);
    String before = PullDocument.timestamp(at);
    for (String namespace : namespaces) {
      List<String> names = byNamespace.get(namespace);
      try (com.fasterxml.jackson.core.JsonGenerator g = JSON.getFactory().createGenerator(body)) {
        g.configure(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        g.writeStartObject();
        g.writeStringField("index", prefix + "-*");
        g.writeBooleanField("allow_no_indices", true);
        g.writeBooleanField("ignore_unavailable", true);
        g.writeEndObject();
        g.writeRaw('\n');
        g.writeStartObject();
        g.writeNumberField("size", names.size());
        g.writeBooleanField("track_total_hits", false);
        g.writeObjectFieldStart("query");
        g.writeObjectFieldStart("bool");
        g.writeArrayFieldStart("filter");
        g.writeStartObject();
        g.writeObjectFieldStart("term");
        g.writeStringField("http.docker_hub.namespace", namespace);
        g.writeEndObject();
        g.writeEndObject();
        g.writeStartObject();
        g.writeObjectFieldStart("terms");
        g.writeArrayFieldStart(NAME);
        for (String name : names) {
          g.writeString(name);
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
        g.writeStartObject();
        g.writeObjectFieldStart("range");
        g.writeObjectFieldStart("@timestamp");
        g.writeStringField("lt", before);
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
        g.writeObjectFieldStart("collapse");
        g.writeStringField("field", NAME);
        g.writeEndObject();
        g.writeArrayFieldStart("sort");
        g.writeStartObject();
        g.writeStringField("@timestamp", "desc");
        g.writeEndObject();
        g.writeEndArray();
        g.writeBooleanField("_source", false);
        g.writeStringField("stored_fields", "_none_");
        g.writeArrayFieldStart("docvalue_fields");
        g.writeString(PULL_COUNT);
        g.writeString(NAME);
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
      }
    }
    org.elasticsearch.client.Request request =
        new org.elasticsearch.client.Request("POST", "/_msearch");
    request.setEntity(
        new org.apache.http.entity.ByteArrayEntity(
            body.toByteArray(), org.apache.http.entity.ContentType.create("application/x-ndjson")));
    com.fasterxml.jackson.databind.JsonNode answer;
    try (java.io.InputStream in = rest.performRequest(request).getEntity().getContent()) {
      answer = JSON.readTree(in);
    }
    Map<String, Long> found = new HashMap<>();
    com.fasterxml.jackson.databind.JsonNode responses = answer.path("responses");
    for (int i = 0; i < namespaces.size() && i < responses.size(); i++) {
      com.fasterxml.jackson.databind.JsonNode item = responses.get(i);
      if (item.has("error")) {
        // The existing indices cannot answer (a field mapped differently, say): these
        // documents then go without a delta rather than not at all.
        continue;
      }
      for (com.fasterxml.jackson.databind.JsonNode hit : item.path("hits").path("hits")) {
        com.fasterxml.jackson.databind.JsonNode fields = hit.path("fields");
        com.fasterxml.jackson.databind.JsonNode name = fields.path(NAME).path(0);
        Long count = wholeNumber(fields.path(PULL_COUNT).path(0));
        if (name.isTextual() && count != null) {
          found.put(namespaces.get(i) + "/" + name.asText(), count);
        }
      }
    }
    return found;
  }

  /** A count as Elasticsearch returns it: a long, or a double where a mapping made it one. */
  private static Long wholeNumber(com.fasterxml.jackson.databind.JsonNode value) {
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.asLong();
    }
    if (value.isNumber()) {
      try {
        return value.decimalValue().longValueExact();
      } catch (ArithmeticException notWhole) {
        return null;
      }
    }
    return null;
  }
}
