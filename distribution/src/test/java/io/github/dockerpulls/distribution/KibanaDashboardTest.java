package io.github.dockerpulls.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dockerpulls.elasticsearch.IndexSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Kibana saved objects refer only to fields the index template declares, and to each other. */
class KibanaDashboardTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FILE = Path.of("dashboards/kibana/docker-pulls.ndjson");

  private static List<JsonNode> objects() throws Exception {
    List<JsonNode> objects = new ArrayList<>();
    for (String line : Files.readAllLines(FILE)) {
      objects.add(JSON.readTree(line));
    }
    return objects;
  }

  /** Every field path in the template's mappings, such as {@code http.docker_hub.pull_count}. */
  private static Set<String> templateFields() throws Exception {
    Set<String> fields = new HashSet<>();
    collect(
        JSON.readTree(IndexSetup.templateJson()).at("/template/mappings/properties"), "", fields);
    return fields;
  }

  private static void collect(JsonNode properties, String prefix, Set<String> into) {
    properties
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().has("properties")) {
                collect(e.getValue().get("properties"), prefix + e.getKey() + ".", into);
              } else {
                into.add(prefix + e.getKey());
              }
            });
  }

  @Test
  void everyReferenceResolvesAndEveryFieldIsInTheTemplate() throws Exception {
    List<JsonNode> objects = objects();
    Map<String, String> typeById = new HashMap<>();
    objects.forEach(o -> typeById.put(o.get("id").asText(), o.get("type").asText()));
    Set<String> fields = templateFields();
    List<String> used = new ArrayList<>();
    for (JsonNode o : objects) {
      for (JsonNode ref : o.get("references")) {
        assertThat(typeById.get(ref.get("id").asText()))
            .as(o.get("id") + " refers to " + ref)
            .isEqualTo(ref.get("type").asText());
      }
      o.findValues("sourceField").forEach(f -> used.add(f.asText()));
      o.findValues("sortField").forEach(f -> used.add(f.asText()));
    }
    assertThat(used).isNotEmpty();
    assertThat(fields).containsAll(used);
    assertThat(used)
        .contains(
            "http.docker_hub.pull_count",
            "http.docker_hub.pull_count_delta",
            "http.docker_hub.star_count",
            "http.docker_hub.repository");
  }

  @Test
  void theDataViewCoversThePrefixAndNothingNamesARepository() throws Exception {
    List<JsonNode> objects = objects();
    JsonNode dataView =
        objects.stream()
            .filter(o -> o.get("type").asText().equals("index-pattern"))
            .findFirst()
            .orElseThrow();
    assertThat(dataView.at("/attributes/title").asText()).isEqualTo("docker-pulls-*");
    assertThat(dataView.at("/attributes/timeFieldName").asText()).isEqualTo("@timestamp");
    for (JsonNode o : objects) {
      for (JsonNode filters : o.findValues("filters")) {
        assertThat(filters).as(o.get("id").asText()).isEmpty();
      }
      for (JsonNode query : o.findValues("query")) {
        if (query.isObject()) {
          assertThat(query.get("query").asText()).as(o.get("id").asText()).isEmpty();
        }
      }
    }
    JsonNode dashboard =
        objects.stream()
            .filter(o -> o.get("type").asText().equals("dashboard"))
            .findFirst()
            .orElseThrow();
    JsonNode search =
        JSON.readTree(dashboard.at("/attributes/kibanaSavedObjectMeta/searchSourceJSON").asText());
    assertThat(search.get("filter")).isEmpty();
    assertThat(JSON.readTree(dashboard.at("/attributes/panelsJSON").asText())).hasSize(4);
    // split by the full repository name, never by name alone (the same name in two namespaces)
    for (JsonNode o : objects) {
      assertThat(o.findValues("sourceField").stream().map(JsonNode::asText))
          .doesNotContain("http.docker_hub.name");
    }
  }
}
