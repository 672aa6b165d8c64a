package io.github.dockerpulls.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch.indices.GetFieldMappingResponse;
import co.elastic.clients.elasticsearch.indices.GetIndexTemplateResponse;
import co.elastic.clients.elasticsearch.indices.IndexTemplate;
import co.elastic.clients.elasticsearch.indices.PutIndexTemplateRequest;
import co.elastic.clients.elasticsearch.indices.get_field_mapping.TypeFieldMappings;
import co.elastic.clients.elasticsearch.indices.get_index_template.IndexTemplateItem;
import co.elastic.clients.json.JsonData;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The index template for {@code PREFIX-*}, put at start unless the same version is there, and the
 * fields dockerpulls adds to the Metricbeat shape, added to indices that already exist and lack
 * them. Both look first, so that a run that finds everything in place changes nothing.
 */
public final class IndexSetup {
  private static final String TEMPLATE = "index-template.json";

  private IndexSetup() {}

  /** The index a document observed at {@code at} goes to: {@code PREFIX-YYYY}, UTC year. */
  public static String indexFor(String prefix, Instant at) {
    return prefix + "-" + at.atZone(ZoneOffset.UTC).getYear();
  }

  /** The template's body, as shipped (without {@code index_patterns}, which is the prefix's). */
  public static String templateJson() {
    try (InputStream in = IndexSetup.class.getResourceAsStream(TEMPLATE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Puts the composable template {@code PREFIX} for {@code PREFIX-*}, and adds {@code repository},
   * {@code last_updated} and {@code pull_count_delta} to the mappings of existing {@code PREFIX-*}
   * indices (such as Metricbeat's) so that they get their proper types there too.
   *
   * @throws IOException from the client
   */
  public static void install(ElasticsearchClient client, String prefix) throws IOException {
    putTemplate(client, prefix);
    addFieldsToExisting(client, prefix);
  }

  /**
   * Puts the composable template {@code PREFIX} for {@code PREFIX-*}, for indices made later,
   * unless it is there already: ours, of this {@link #VERSION}, for {@code PREFIX-*}. Putting it
   * again would change nothing, yet cost the cluster a state update on every {@code export}.
   */
  static void putTemplate(ElasticsearchClient client, String prefix) throws IOException {
    if (templateInPlace(client, prefix)) {
      return;
    }
    PutIndexTemplateRequest request =
        PutIndexTemplateRequest.of(
            b ->
                b.withJson(new StringReader(templateJson()))
                    .name(prefix)
                    .indexPatterns(prefix + "-*"));
    client.indices().putIndexTemplate(request);
  }

  /**
   * Adds {@code repository}, {@code last_updated} and {@code pull_count_delta} to the mappings of
   * the {@code PREFIX-*} indices there are (Metricbeat's, say); independent of the template.
   */
  static void addFieldsToExisting(ElasticsearchClient client, String prefix) throws IOException {
    if (fieldsInPlace(client, prefix)) {
      return;
    }
    Map<String, Property> added =
        Map.of(
            "repository", Property.of(p -> p.keyword(k -> k)),
            "pull_count_delta", Property.of(p -> p.long_(l -> l)),
            "last_updated", Property.of(p -> p.date(d -> d)));
    client
        .indices()
        .putMapping(
            m ->
                m.index(prefix + "-*")
                    .allowNoIndices(true)
                    .ignoreUnavailable(true)
                    .properties(
                        "http",
                        Property.of(
                            http ->
                                http.object(
                                    o ->
                                        o.properties(
                                            "docker_hub",
                                            Property.of(
                                                hub -> hub.object(d -> d.properties(added))))))));
  }

  /**
   * The version in {@code index-template.json}. A change to the template must raise it: a cluster
   * with a template of the same version keeps its own (IndexSetupTest holds the file to its hash).
   */
  static final long VERSION = templateVersion();

  private static long templateVersion() {
    try {
      return Jackson.MAPPER.readTree(templateJson()).path("version").asLong();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean templateInPlace(ElasticsearchClient client, String prefix)
      throws IOException {
    GetIndexTemplateResponse response;
    try {
      response = client.indices().getIndexTemplate(g -> g.name(prefix));
    } catch (ElasticsearchException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
    for (IndexTemplateItem item : response.indexTemplates()) {
      IndexTemplate t = item.indexTemplate();
      JsonData managedBy = t.meta() == null ? null : t.meta().get("managed_by");
      if (item.name().equals(prefix)
          && Long.valueOf(VERSION).equals(t.version())
          && t.indexPatterns().equals(List.of(prefix + "-*"))
          && managedBy != null
          && managedBy.toJson() instanceof JsonString by
          && by.getString().equals("dockerpulls")) {
        return true;
      }
    }
    return false;
  }

  private static final List<String> ADDED =
      List.of(
          "http.docker_hub.repository",
          "http.docker_hub.pull_count_delta",
          "http.docker_hub.last_updated");

  /** Whether every {@code PREFIX-*} index there is maps the added fields (true when none is). */
  private static boolean fieldsInPlace(ElasticsearchClient client, String prefix)
      throws IOException {
    GetFieldMappingResponse response =
        client
            .indices()
            .getFieldMapping(
                f ->
                    f.index(prefix + "-*")
                        .fields(ADDED)
                        .allowNoIndices(true)
                        .ignoreUnavailable(true));
    for (TypeFieldMappings index : response.result().values()) {
      if (!index.mappings().keySet().containsAll(ADDED)) {
        return false;
      }
    }
    return true;
  }
}
