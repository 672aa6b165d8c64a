package io.github.dockerpulls.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch.indices.PutIndexTemplateRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The index template for {@code PREFIX-*}, put at start (putting it again changes nothing), and the
 * fields dockerpulls adds to the Metricbeat shape, added to indices that already exist.
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

  /** Puts the composable template {@code PREFIX} for {@code PREFIX-*}, for indices made later. */
  static void putTemplate(ElasticsearchClient client, String prefix) throws IOException {
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
}
