package io.github.dockerpulls.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.dockerpulls.exporter.ExporterServer;
import io.github.dockerpulls.exporter.metrics.SnapshotCollector;
import io.github.dockerpulls.hub.testing.RealServers;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes manifests parse, hang together (labels, port names), and refer only to the
 * endpoints, port and metric names the exporter really has; promtool accepts the alert rules and a
 * unit test shows each alert firing.
 */
class KubernetesManifestsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path DIR = Path.of("kubernetes");

  private static JsonNode read(String file) throws Exception {
    return YAML.readTree(DIR.resolve(file).toFile());
  }

  @Test
  void theCoreManifestsAndTheOperatorOnesAreSeparateFiles() throws Exception {
    try (var files = Files.list(DIR)) {
      Map<String, String> kinds = new java.util.TreeMap<>();
      for (Path f : files.toList()) {
        kinds.put(f.getFileName().toString(), YAML.readTree(f.toFile()).path("kind").asText());
      }
      assertThat(kinds)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "deployment.yaml", "Deployment",
                  "deployment-postgresql.yaml", "Deployment",
                  "persistentvolumeclaim.yaml", "PersistentVolumeClaim",
                  "service.yaml", "Service",
                  "servicemonitor.yaml", "ServiceMonitor",
                  "prometheusrule.yaml", "PrometheusRule"));
    }
  }

  @Test
  void theDeploymentRunsServeLockedDownWithProbesResourcesAndTheTokenFromASecret()
      throws Exception {
    JsonNode deployment = read("deployment.yaml");
    JsonNode pod = deployment.at("/spec/template/spec");
    JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
    deployment
        .at("/spec/selector/matchLabels")
        .fields()
        .forEachRemaining(e -> assertThat(podLabels.path(e.getKey())).isEqualTo(e.getValue()));
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/runAsUser").asInt()).isPositive();
    JsonNode container = pod.at("/containers/0");
    assertThat(container.at("/args/0").asText()).isEqualTo("serve");
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(container.at("/resources/requests/memory").asText()).isNotEmpty();
    assertThat(container.at("/resources/limits/memory").asText()).isNotEmpty();
    assertThat(container.at("/ports/0/containerPort").asInt())
        .isEqualTo(ExporterFacts.defaultPort());
    assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/-/healthy");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/-/ready");
    assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");

    Map<String, JsonNode> env = new java.util.HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
    assertThat(env.get("DOCKERHUB_ORGANIZATION").path("value").asText()).isEqualTo("camunda");
    for (String secret : List.of("DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN")) {
      JsonNode ref = env.get(secret).at("/valueFrom/secretKeyRef");
      assertThat(ref.path("name").asText()).isEqualTo("dockerpulls-dockerhub");
      // Optional, so that the Deployment also runs anonymously without the Secret.
      assertThat(ref.path("optional").asBoolean()).isTrue();
      assertThat(env.get(secret).has("value")).isFalse();
    }
    // Every variable the Deployment sets is one dockerpulls reads.
    for (String name : env.keySet()) {
      assertThat(Files.readString(Path.of("..", "docs", "configuration.md")))
          .as("docs/configuration.md lists " + name)
          .contains("`" + name + "`");
    }
    // The writable place a read-only root needs.
    assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
    // The history's directory is a volume of its own: the root filesystem is read-only.
    String data = env.get("DOCKERPULLS_DATA_DIR").path("value").asText();
    assertThat(data).isEqualTo("/var/lib/dockerpulls");
    assertThat(container.at("/volumeMounts").findValuesAsText("mountPath")).contains(data);
    // ... and that volume is the claim, so that the history outlives the pod.
    String volume = null;
    for (JsonNode m : container.path("volumeMounts")) {
      if (m.path("mountPath").asText().equals(data)) {
        volume = m.path("name").asText();
      }
    }
    JsonNode claimed = null;
    for (JsonNode v : pod.path("volumes")) {
      if (v.path("name").asText().equals(volume)) {
        claimed = v;
      }
    }
    assertThat(claimed).isNotNull();
    assertThat(claimed.has("emptyDir")).isFalse();
    JsonNode claim = read("persistentvolumeclaim.yaml");
    assertThat(claimed.at("/persistentVolumeClaim/claimName").asText())
        .isEqualTo(claim.at("/metadata/name").asText());
    assertThat(claim.at("/spec/accessModes/0").asText()).isEqualTo("ReadWriteOnce");
    assertThat(claim.at("/spec/resources/requests/storage").asText()).isNotEmpty();
    // One node at a time holds a ReadWriteOnce volume: no rolling overlap, and it is writable.
    assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
    assertThat(pod.at("/securityContext/fsGroup").asInt())
        .isEqualTo(pod.at("/securityContext/runAsGroup").asInt());
  }

  @Test
  void thePostgresqlVariantRunsReplicasOnTheSharedHistoryWithThePasswordFromASecret()
      throws Exception {
    JsonNode single = read("deployment.yaml");
    JsonNode shared = read("deployment-postgresql.yaml");
    assertThat(shared.at("/metadata/name")).isEqualTo(single.at("/metadata/name"));
    assertThat(shared.at("/spec/selector")).isEqualTo(single.at("/spec/selector"));
    assertThat(shared.at("/spec/replicas").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(shared.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
    JsonNode pod = shared.at("/spec/template/spec");
    // The same locked-down container, probes and resources as the single replica.
    JsonNode container = pod.at("/containers/0");
    JsonNode one = single.at("/spec/template/spec/containers/0");
    for (String field :
        List.of("/image", "/args", "/ports", "/livenessProbe", "/readinessProbe", "/resources")) {
      assertThat(container.at(field)).as(field).isEqualTo(one.at(field));
    }
    assertThat(container.at("/securityContext")).isEqualTo(one.at("/securityContext"));
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    Map<String, JsonNode> env = new java.util.HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
    // The history is the database, never a file on a pod's volume, and no claim is used.
    assertThat(env).doesNotContainKey("DOCKERPULLS_DATA_DIR");
    assertThat(env.get("DOCKERPULLS_HISTORY_URL").path("value").asText())
        .startsWith("postgresql://")
        .contains("user=")
        .doesNotContain("password");
    assertThat(pod.path("volumes").findValues("persistentVolumeClaim")).isEmpty();
    // The password is a file from a Secret, mounted read-only and readable by the pod's group.
    String passwordFile = env.get("DOCKERPULLS_HISTORY_PASSWORD_FILE").path("value").asText();
    String secretVolume = null;
    for (JsonNode m : container.path("volumeMounts")) {
      if (passwordFile.startsWith(m.path("mountPath").asText() + "/")) {
        secretVolume = m.path("name").asText();
        assertThat(m.path("readOnly").asBoolean()).isTrue();
      }
    }
    assertThat(secretVolume).isNotNull();
    for (JsonNode v : pod.path("volumes")) {
      if (v.path("name").asText().equals(secretVolume)) {
        assertThat(v.at("/secret/secretName").asText()).isEqualTo("dockerpulls-postgresql");
      }
    }
    assertThat(pod.at("/securityContext/fsGroup").asInt())
        .isEqualTo(pod.at("/securityContext/runAsGroup").asInt());
    for (String name : env.keySet()) {
      assertThat(Files.readString(Path.of("..", "docs", "configuration.md")))
          .as("docs/configuration.md lists " + name)
          .contains("`" + name + "`");
    }
    // The Service reaches either Deployment's pods.
    read("service.yaml")
        .at("/spec/selector")
        .fields()
        .forEachRemaining(
            e ->
                assertThat(shared.at("/spec/template/metadata/labels").path(e.getKey()))
                    .isEqualTo(e.getValue()));
  }

  @Test
  void theProbesAskEndpointsTheExporterServes() throws Exception {
    SnapshotCollector collector = new SnapshotCollector(true, null);
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(collector);
    JsonNode container = read("deployment.yaml").at("/spec/template/spec/containers/0");
    try (ExporterServer server =
        ExporterServer.builder()
            .host("127.0.0.1")
            .port(0)
            .collector(collector)
            .registry(registry)
            .version("test")
            .start()) {
      HttpClient http = HttpClient.newHttpClient();
      for (String probe : List.of("livenessProbe", "readinessProbe")) {
        String path = container.at("/" + probe + "/httpGet/path").asText();
        int status =
            http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
        // Before the first refresh: healthy, and not yet ready.
        assertThat(status)
            .as(probe + " " + path)
            .isEqualTo(probe.equals("livenessProbe") ? 200 : 503);
      }
    }
  }

  @Test
  void theServiceAndTheServiceMonitorReachTheContainersPort() throws Exception {
    JsonNode deployment = read("deployment.yaml");
    JsonNode service = read("service.yaml");
    JsonNode monitor = read("servicemonitor.yaml");
    JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
    service
        .at("/spec/selector")
        .fields()
        .forEachRemaining(e -> assertThat(podLabels.path(e.getKey())).isEqualTo(e.getValue()));
    JsonNode port = service.at("/spec/ports/0");
    assertThat(port.path("port").asInt()).isEqualTo(ExporterFacts.defaultPort());
    assertThat(port.path("targetPort").asText())
        .isEqualTo(deployment.at("/spec/template/spec/containers/0/ports/0/name").asText());
    JsonNode annotations = service.at("/metadata/annotations");
    assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
    assertThat(annotations.path("prometheus.io/port").asInt())
        .isEqualTo(ExporterFacts.defaultPort());
    assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");

    monitor
        .at("/spec/selector/matchLabels")
        .fields()
        .forEachRemaining(
            e ->
                assertThat(service.at("/metadata/labels").path(e.getKey()))
                    .isEqualTo(e.getValue()));
    assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo(port.path("name").asText());
    assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
  }

  @Test
  void theAlertsUseOnlyTheExportersMetrics() throws Exception {
    Set<String> known = ExporterFacts.metricNames();
    List<String> alerts = new ArrayList<>();
    Set<String> used = new TreeSet<>();
    for (JsonNode rule : read("prometheusrule.yaml").at("/spec/groups/0/rules")) {
      alerts.add(rule.path("alert").asText());
      used.addAll(ExporterFacts.metricsIn(rule.path("expr").asText()));
    }
    assertThat(known).containsAll(used);
    assertThat(used)
        .contains(
            "dockerhub_target_up",
            "dockerhub_api_rate_limit_remaining",
            "dockerhub_target_last_success_timestamp_seconds");
    assertThat(alerts)
        .contains(
            "DockerPullsTargetDown", "DockerHubApiRateLimitNearlyUsed", "DockerPullsRefreshStale");
  }

  @Test
  void promtoolAcceptsTheRulesAndEachAlertFires(@TempDir Path dir) throws Exception {
    Path promtool = RealServers.require("promtool");
    // A rule file is the PrometheusRule's spec, as a Prometheus without the Operator reads it.
    Path rules = dir.resolve("dockerpulls.rules.yaml");
    YAML.writeValue(rules.toFile(), read("prometheusrule.yaml").path("spec"));
    assertThat(run(promtool, dir, "check", "rules", rules.toString())).isZero();

    Path tests = dir.resolve("dockerpulls.rules.test.yaml");
    Files.writeString(
        tests,
        """
        rule_files: [dockerpulls.rules.yaml]
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              - series: 'dockerhub_target_up{target="camunda",job="dockerpulls",instance="x:2113"}'
                values: '0x30'
              - series: 'dockerhub_target_up{target="library/httpd",job="dockerpulls",instance="x:2113"}'
                values: '1x30'
              - series: 'up{job="dockerpulls",instance="x:2113"}'
                values: '1x30'
              - series: 'dockerhub_api_rate_limit_limit{job="dockerpulls",instance="x:2113"}'
                values: '180x30'
              - series: 'dockerhub_api_rate_limit_remaining{job="dockerpulls",instance="x:2113"}'
                values: '170x10 10x20'
              - series: 'dockerhub_target_last_success_timestamp_seconds{target="camunda",job="dockerpulls",instance="x:2113"}'
                values: '0x30'
            alert_rule_test:
              - eval_time: 10m
                alertname: DockerPullsTargetDown
                exp_alerts: []
              - eval_time: 20m
                alertname: DockerPullsTargetDown
                exp_alerts:
                  - exp_labels: {severity: warning, target: camunda, job: dockerpulls, instance: "x:2113"}
                    exp_annotations:
                      summary: "Docker Hub target camunda cannot be read"
                      description: "Every refresh of camunda has failed for 15 minutes; the exporter's log says why (not found, unauthorized, rate limited)."
              - eval_time: 20m
                alertname: DockerPullsExporterDown
                exp_alerts: []
              - eval_time: 12m
                alertname: DockerHubApiRateLimitNearlyUsed
                exp_alerts: []
              - eval_time: 20m
                alertname: DockerHubApiRateLimitNearlyUsed
                exp_alerts:
                  - exp_labels: {severity: warning, job: dockerpulls, instance: "x:2113"}
                    exp_annotations:
                      summary: "Docker Hub API requests nearly used up"
                      description: "Only 5.556% of the Docker Hub API rate limit is left; refreshes may start failing with 429. Authenticate, or lengthen the interval."
              - eval_time: 10m
                alertname: DockerPullsRefreshStale
                exp_alerts: []
              - eval_time: 16m
                alertname: DockerPullsRefreshStale
                exp_alerts:
                  - exp_labels: {severity: warning, target: camunda, job: dockerpulls, instance: "x:2113"}
                    exp_annotations:
                      summary: "No fresh Docker Hub figures for camunda"
                      description: "The last successful refresh of camunda was 16m 0s ago, more than 3 intervals."
        """);
    assertThat(run(promtool, dir, "test", "rules", tests.toString())).isZero();
  }

  static int run(Path binary, Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("promtool.out").toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    if (p.exitValue() != 0) {
      System.err.println(Files.readString(dir.resolve("promtool.out")));
    }
    return p.exitValue();
  }
}
