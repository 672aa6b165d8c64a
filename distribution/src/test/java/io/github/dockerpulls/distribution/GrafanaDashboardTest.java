package io.github.dockerpulls.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dockerpulls.hub.testing.RealServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard asks only for metrics and labels the exporter has, names no organization,
 * repository or data source of anyone's, and its queries are valid PromQL.
 */
class GrafanaDashboardTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FILE = Path.of("dashboards/grafana/dockerpulls.json");
  private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");

  private static JsonNode dashboard() throws Exception {
    return JSON.readTree(FILE.toFile());
  }

  /** Panel title to its queries, rows left out. */
  private static Map<String, List<String>> queries(JsonNode dashboard) {
    Map<String, List<String>> queries = new LinkedHashMap<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      List<String> exprs = new ArrayList<>();
      panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
      queries.put(panel.path("title").asText(), exprs);
    }
    return queries;
  }

  @Test
  void everyQueryUsesTheExportersMetricsAndLabels() throws Exception {
    Set<String> known = ExporterFacts.metricNames();
    Set<String> used = new TreeSet<>();
    Set<String> labels = new TreeSet<>();
    queries(dashboard())
        .forEach(
            (title, exprs) -> {
              assertThat(exprs).as(title).isNotEmpty();
              for (String expr : exprs) {
                used.addAll(ExporterFacts.metricsIn(expr));
                Matcher m = MATCHER.matcher(expr);
                while (m.find()) {
                  labels.add(m.group(1));
                  // No names baked in: a label is matched only against a dashboard variable.
                  assertThat(m.group(3)).as(title + ": " + expr).startsWith("$");
                }
              }
            });
    assertThat(known).containsAll(used);
    assertThat(labels).containsOnly("organization", "repository");
    assertThat(used)
        .contains(
            "dockerhub_repository_pulls_total",
            "dockerhub_repository_stars",
            "dockerhub_target_up",
            "dockerhub_api_rate_limit_remaining",
            "dockerhub_pull_limit_remaining",
            "dockerhub_refresh_duration_seconds");
  }

  @Test
  void pullsPerDayComeFromIncreaseOverADay() throws Exception {
    assertThat(queries(dashboard()).get("Pulls per day"))
        .singleElement()
        .asString()
        .startsWith("increase(dockerhub_repository_pulls_total{")
        .endsWith("[1d])");
  }

  @Test
  void organizationAndRepositoryAreVariablesAndTheDataSourceIsChosenOnImport() throws Exception {
    JsonNode dashboard = dashboard();
    Map<String, JsonNode> variables = new LinkedHashMap<>();
    dashboard.at("/templating/list").forEach(v -> variables.put(v.path("name").asText(), v));
    assertThat(variables).containsOnlyKeys("datasource", "organization", "repository");
    assertThat(variables.get("datasource").path("query").asText()).isEqualTo("prometheus");
    assertThat(variables.get("organization").path("definition").asText())
        .isEqualTo("label_values(dockerhub_repository_pulls_total, organization)");
    assertThat(variables.get("repository").path("definition").asText())
        .contains("label_values(dockerhub_repository_pulls_total{organization=~\"$organization\"}");
    for (String name : List.of("organization", "repository")) {
      assertThat(variables.get(name).path("multi").asBoolean()).isTrue();
      assertThat(variables.get(name).path("includeAll").asBoolean()).isTrue();
      assertThat(variables.get(name).path("current").isEmpty())
          .as(name + " has no value saved")
          .isTrue();
    }
    // Every panel and query reads the chosen data source, none a saved uid.
    List<String> uids = dashboard.findValuesAsText("uid");
    uids.remove("dockerpulls");
    assertThat(uids).isNotEmpty().containsOnly("${datasource}");
    assertThat(dashboard.has("id")).isFalse();
  }

  @Test
  void promtoolParsesEveryQuery(@TempDir Path dir) throws Exception {
    Path promtool = RealServers.require("promtool");
    // Each query as a recording rule, with Grafana's variables given plain values.
    StringBuilder rules = new StringBuilder("groups:\n  - name: grafana\n    rules:\n");
    int n = 0;
    for (List<String> exprs : queries(dashboard()).values()) {
      for (String expr : exprs) {
        String plain =
            expr.replace("$__rate_interval", "5m")
                .replace("$organization", ".*")
                .replace("$repository", ".*");
        rules
            .append("      - record: grafana:query")
            .append(n++)
            .append("\n        expr: ")
            .append(JSON.writeValueAsString(plain))
            .append('\n');
      }
    }
    Path file = Files.writeString(dir.resolve("grafana.rules.yaml"), rules);
    assertThat(KubernetesManifestsTest.run(promtool, dir, "check", "rules", file.toString()))
        .isZero();
  }
}
