package io.github.dockerpulls.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dockerpulls.elasticsearch.testing.RealElasticsearch;
import io.github.dockerpulls.elasticsearch.testing.TestElasticsearch;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.TargetResult;
import io.github.dockerpulls.hub.testing.TestTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealElasticsearch.class)
class ElasticsearchSinkTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123456789Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private final TestElasticsearch es = TestElasticsearch.get();
  @TempDir Path spool;
  private String prefix;

  @BeforeEach
  void prefix(TestInfo info) {
    prefix = "t" + PREFIXES.incrementAndGet() + "-docker-pulls";
  }

  static RepositoryStats repo(String ns, String name, long pulls, Long stars, Long collaborators) {
    return new RepositoryStats(
        ns,
        name,
        pulls,
        stars == null ? OptionalLong.empty() : OptionalLong.of(stars),
        stars == null ? Optional.empty() : Optional.of(Instant.parse("2026-11-20T08:15:30.5Z")),
        collaborators == null ? OptionalLong.empty() : OptionalLong.of(collaborators));
  }

  static Snapshot snapshot(Instant at, RepositoryStats... repos) {
    return Snapshot.of(
        at,
        Duration.ofMillis(300),
        List.of(TargetResult.success(Target.organization("camunda"), List.of(repos))),
        Optional.empty(),
        Optional.empty());
  }

  private EsConnection connect(EsSettings.Builder b) {
    return new EsConnection(b.indexPrefix(prefix).build());
  }

  private JsonNode search(String query) throws IOException {
    es.call("POST", "/" + prefix + "-*/_refresh", null);
    return JSON.readTree(es.call("POST", "/" + prefix + "-*/_search", query));
  }

  private long count() throws IOException {
    return search("{\"size\":0,\"track_total_hits\":true}").at("/hits/total/value").asLong();
  }

  @Test
  void aTemplateOfAnotherVersionIsReplacedAndOneInPlaceIsLeftAsItIs() throws Exception {
    es.call(
        "PUT",
        "/_index_template/" + prefix,
        "{\"index_patterns\":[\""
            + prefix
            + "-*\"],\"version\":0,"
            + "\"_meta\":{\"managed_by\":\"dockerpulls\"}}");
    try (EsConnection c = connect(es.settings(spool))) {
      IndexSetup.install(c.client(), prefix);
    }
    JsonNode replaced =
        JSON.readTree(es.call("GET", "/_index_template/" + prefix, null))
            .at("/index_templates/0/index_template");
    assertThat(replaced.at("/version").asLong()).isEqualTo(IndexSetup.VERSION);
    assertThat(replaced.at("/template/mappings/properties/@timestamp/type").asText())
        .isEqualTo("date");

    // Ours, of this version: an edit made on the cluster stays, and nothing is put again.
    ((com.fasterxml.jackson.databind.node.ObjectNode) replaced.at("/_meta"))
        .put("description", "edited on the cluster");
    ((com.fasterxml.jackson.databind.node.ObjectNode) replaced)
        .set("index_patterns", JSON.createArrayNode().add(prefix + "-*"));
    es.call("PUT", "/_index_template/" + prefix, JSON.writeValueAsString(replaced));
    try (EsConnection c = connect(es.settings(spool))) {
      IndexSetup.install(c.client(), prefix);
    }
    assertThat(
            JSON.readTree(es.call("GET", "/_index_template/" + prefix, null))
                .at("/index_templates/0/index_template/_meta/description")
                .asText())
        .isEqualTo("edited on the cluster");
  }

  @Test
  void anIndexWithoutTheNewFieldsGetsThemWhileTheTemplateIsInPlace() throws Exception {
    // A template that counts as ours and in place, but maps nothing: the index made under it
    // lacks the fields, as a Metricbeat index does.
    es.call(
        "PUT",
        "/_index_template/" + prefix,
        "{\"index_patterns\":[\""
            + prefix
            + "-*\"],\"version\":"
            + IndexSetup.VERSION
            + ",\"_meta\":{\"managed_by\":\"dockerpulls\"}}");
    es.call("PUT", "/" + prefix + "-2019", "{}");
    try (EsConnection c = connect(es.settings(spool))) {
      IndexSetup.install(c.client(), prefix);
    }
    JsonNode hub =
        JSON.readTree(es.call("GET", "/" + prefix + "-2019/_mapping", null))
            .at("/" + prefix + "-2019/mappings/properties/http/properties/docker_hub/properties");
    assertThat(hub.at("/repository/type").asText()).isEqualTo("keyword");
    assertThat(hub.at("/pull_count_delta/type").asText()).isEqualTo("long");
    assertThat(hub.at("/last_updated/type").asText()).isEqualTo("date");
  }

  @Test
  void theTemplateIsPutAsDeclaredAndPuttingItAgainChangesNothing() throws Exception {
    try (EsConnection c = connect(es.settings(spool))) {
      IndexSetup.install(c.client(), prefix);
      IndexSetup.install(c.client(), prefix);
    }
    JsonNode template =
        JSON.readTree(es.call("GET", "/_index_template/" + prefix, null))
            .at("/index_templates/0/index_template");
    assertThat(template.at("/index_patterns/0").asText()).isEqualTo(prefix + "-*");
    JsonNode hub =
        template.at("/template/mappings/properties/http/properties/docker_hub/properties");
    assertThat(template.at("/template/mappings/properties/@timestamp/type").asText())
        .isEqualTo("date");
    for (String keyword : List.of("namespace", "name", "repository")) {
      assertThat(hub.at("/" + keyword + "/type").asText()).as(keyword).isEqualTo("keyword");
    }
    for (String count :
        List.of("pull_count", "star_count", "collaborator_count", "pull_count_delta")) {
      assertThat(hub.at("/" + count + "/type").asText()).as(count).isEqualTo("long");
    }
    assertThat(hub.at("/last_updated/type").asText()).isEqualTo("date");

    // an index made by a write gets exactly these mappings
    try (EsConnection c = connect(es.settings(spool));
        ElasticsearchSink sink = ElasticsearchSink.create(c)) {
      sink.write(snapshot(T0, repo("camunda", "zeebe", 3_000_000_000L, 12L, null)));
    }
    JsonNode mapping =
        JSON.readTree(es.call("GET", "/" + prefix + "-2026/_mapping", null))
            .at("/" + prefix + "-2026/mappings/properties/http/properties/docker_hub/properties");
    assertThat(mapping.at("/pull_count/type").asText()).isEqualTo("long");
    assertThat(mapping.at("/repository/type").asText()).isEqualTo("keyword");
  }

  @Test
  void documentsAreExactlyTheMetricbeatShapePlusTheNewFields() throws Exception {
    Instant t1 = T0.plus(Duration.ofMinutes(5));
    try (EsConnection c = connect(es.settings(spool));
        ElasticsearchSink sink = ElasticsearchSink.create(c)) {
      DeliveryReport first =
          sink.write(
              snapshot(
                  T0,
                  repo("camunda", "zeebe", 2_244_658_322L, 41L, null),
                  repo("library", "httpd", 5_000_000_000L, 4800L, 0L),
                  repo("camunda", "old", 17L, null, null)));
      assertThat(first.complete()).as(first.toString()).isTrue();
      assertThat(first.documents()).isEqualTo(3);
      assertThat(first.indices()).containsExactly(prefix + "-2026");
      sink.write(
          snapshot(
              t1,
              repo("camunda", "zeebe", 2_244_660_000L, 42L, null),
              repo("library", "httpd", 5_000_001_234L, 4800L, 0L),
              repo("camunda", "old", 17L, null, null)));
    }
    JsonNode hits =
        search(
                "{\"size\":10,\"sort\":[{\"@timestamp\":\"asc\"},{\"http.docker_hub.repository\":\"asc\"}]}")
            .at("/hits/hits");
    List<JsonNode> docs = new ArrayList<>();
    for (JsonNode hit : hits) {
      assertThat(hit.get("_index").asText()).isEqualTo(prefix + "-2026");
      docs.add(
          JSON.createObjectNode()
              .put("_id", hit.get("_id").asText())
              .set("_source", hit.get("_source")));
    }
    JsonNode written = JSON.valueToTree(docs);
    assertThat(written).isEqualTo(golden("documents.json"));
  }

  static JsonNode golden(String name) throws IOException {
    try (InputStream in = ElasticsearchSinkTest.class.getResourceAsStream("/golden/" + name)) {
      return JSON.readTree(in);
    }
  }

  @Test
  void theDeltaCarriesAcrossRunsFromTheNewestDocumentInElasticsearch() throws Exception {
    try (EsConnection c = connect(es.settings(spool));
        ElasticsearchSink sink = ElasticsearchSink.create(c)) {
      sink.write(snapshot(T0, repo("camunda", "zeebe", 1000L, 1L, null)));
      sink.write(snapshot(T0.plusSeconds(60), repo("camunda", "zeebe", 1100L, 1L, null)));
    }
    es.call("POST", "/" + prefix + "-*/_refresh", null);
    // a new process: nothing in memory
    try (EsConnection c = connect(es.settings(spool));
        ElasticsearchSink sink = ElasticsearchSink.create(c)) {
      sink.write(snapshot(T0.plusSeconds(120), repo("camunda", "zeebe", 1250L, 1L, null)));
    }
    JsonNode hits =
        search(
                "{\"sort\":[{\"@timestamp\":\"asc\"}],\"_source\":[\"http.docker_hub.pull_count_delta\"]}")
            .at("/hits/hits");
    assertThat(hits.get(0).at("/_source/http/docker_hub").has("pull_count_delta")).isFalse();
    assertThat(hits.get(1).at("/_source/http/docker_hub/pull_count_delta").asLong()).isEqualTo(100);
    assertThat(hits.get(2).at("/_source/http/docker_hub/pull_count_delta").asLong()).isEqualTo(150);
  }

  @Test
  void aCountTheHubCorrectsDownwardsGetsADeltaOfZeroAndIsReportedOnce() throws Exception {
    DeliveryReport drop;
    DeliveryReport after;
    try (EsConnection c = connect(es.settings(spool));
        ElasticsearchSink sink = ElasticsearchSink.create(c)) {
      sink.write(snapshot(T0, repo("camunda", "zeebe", 1000L, 1L, null)));
      drop = sink.write(snapshot(T0.plusSeconds(60), repo("camunda", "zeebe", 900L, 1L, null)));
      after = sink.write(snapshot(T0.plusSeconds(120), repo("camunda", "zeebe", 940L, 1L, null)));
    }
    assertThat(drop.warnings())
        .singleElement()
        .asString()
        .contains("camunda/zeebe: Docker Hub's pull count went down from 1000 to 900")
        .contains("pull_count_delta 0 written");
    assertThat(after.warnings()).isEmpty();
    es.call("POST", "/" + prefix + "-*/_refresh", null);
    JsonNode hits =
        search("{\"sort\":[{\"@timestamp\":\"asc\"}],\"_source\":[\"http.docker_hub.*\"]}")
            .at("/hits/hits");
    assertThat(hits.get(1).at("/_source/http/docker_hub/pull_count").asLong()).isEqualTo(900);
    assertThat(hits.get(1).at("/_source/http/docker_hub/pull_count_delta").asLong()).isZero();
    assertThat(hits.get(2).at("/_source/http/docker_hub/pull_count_delta").asLong()).isEqualTo(40);
  }

  @Test
  void theDeltaCarriesAcrossARestartOfABackgroundSink() throws Exception {
    LinkedBlockingQueue<DeliveryReport> reports = new LinkedBlockingQueue<>();
    try (EsConnection c = connect(es.settings(spool));
        ElasticsearchSink sink =
            ElasticsearchSink.background(c, reports::add, Duration.ofSeconds(1))) {
      sink.onSnapshot(snapshot(T0, repo("camunda", "zeebe", 500L, 1L, null)));
      assertThat(reports.poll(30, TimeUnit.SECONDS).complete()).isTrue();
    }
    es.call("POST", "/" + prefix + "-*/_refresh", null);
    try (EsConnection c = connect(es.settings(spool));
        ElasticsearchSink sink =
            ElasticsearchSink.background(c, reports::add, Duration.ofSeconds(1))) {
      sink.onSnapshot(snapshot(T0.plusSeconds(300), repo("camunda", "zeebe", 530L, 1L, null)));
      assertThat(reports.poll(30, TimeUnit.SECONDS).complete()).isTrue();
    }
    JsonNode hits = search("{\"sort\":[{\"@timestamp\":\"asc\"}]}").at("/hits/hits");
    assertThat(hits.get(1).at("/_source/http/docker_hub/pull_count_delta").asLong()).isEqualTo(30);
  }

  @Test
  void writingTheSameObservationAgainDoesNotDuplicate() throws Exception {
    Snapshot s =
        snapshot(
            T0, repo("camunda", "zeebe", 10L, 1L, null), repo("camunda", "operate", 20L, 2L, null));
    try (EsConnection c = connect(es.settings(spool));
        ElasticsearchSink sink = ElasticsearchSink.create(c)) {
      sink.write(s);
      // as if the first bulk had landed but its answer was lost: the same observation again
      sink.spool().add(s.observedAt(), s.repositories());
      DeliveryReport again = sink.deliver();
      assertThat(again.documents()).isZero();
      assertThat(again.existing()).isEqualTo(2);
      assertThat(again.complete()).isTrue();
    }
    assertThat(count()).isEqualTo(2);
  }

  @Test
  void anOutageSpoolsAndEverySnapshotLandsExactlyOnceAfterwards() throws Exception {
    LinkedBlockingQueue<DeliveryReport> reports = new LinkedBlockingQueue<>();
    List<RepositoryStats> repos = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      repos.add(repo("camunda", "image-" + i, 1000L + i, (long) i, null));
    }
    try (EsConnection c = connect(es.settings(spool));
        ElasticsearchSink sink =
            ElasticsearchSink.background(c, reports::add, Duration.ofMillis(500))) {
      sink.onSnapshot(snapshot(T0, repos.toArray(RepositoryStats[]::new)));
      assertThat(reports.poll(30, TimeUnit.SECONDS).complete()).isTrue();

      es.stop();
      try {
        sink.onSnapshot(snapshot(T0.plusSeconds(60), repos.toArray(RepositoryStats[]::new)));
        sink.onSnapshot(snapshot(T0.plusSeconds(120), repos.toArray(RepositoryStats[]::new)));
        DeliveryReport failed = reports.poll(30, TimeUnit.SECONDS);
        assertThat(failed.failure()).isPresent();
        assertThat(failed.failure().get().getMessage())
            .startsWith("cannot write to Elasticsearch at " + es.url() + " (");
        assertThat(failed.pending()).isGreaterThanOrEqualTo(1);
        assertThat(sink.spool().pending()).hasSizeBetween(1, 2);
      } finally {
        es.start();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!sink.spool().pending().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(sink.spool().pending()).isEmpty();
    }
    assertThat(count()).isEqualTo(150);
    JsonNode perTime =
        search(
                "{\"size\":0,\"aggs\":{\"t\":{\"terms\":{\"field\":\"@timestamp\",\"size\":10},"
                    + "\"aggs\":{\"r\":{\"cardinality\":{\"field\":\"http.docker_hub.repository\"}}}}}}")
            .at("/aggregations/t/buckets");
    assertThat(perTime).hasSize(3);
    for (JsonNode bucket : perTime) {
      assertThat(bucket.get("doc_count").asLong()).isEqualTo(50);
      assertThat(bucket.at("/r/value").asLong()).isEqualTo(50);
    }
  }

  @Test
  void aRejectedDocumentIsReportedAndTheRestLands() throws Exception {
    // an index where a name must be a number: "zeebe" cannot be indexed, "123" can
    es.call(
        "PUT",
        "/" + prefix + "-2026",
        "{\"mappings\":{\"properties\":{\"http\":{\"properties\":{\"docker_hub\":{\"properties\":"
            + "{\"name\":{\"type\":\"long\"}}}}}}}}");
    try (EsConnection c = connect(es.settings(spool));
        ElasticsearchSink sink = ElasticsearchSink.create(c)) {
      DeliveryReport report =
          sink.write(
              snapshot(
                  T0,
                  repo("camunda", "123", 5L, 1L, null),
                  repo("camunda", "zeebe", 7L, 1L, null)));
      assertThat(report.documents()).isEqualTo(1);
      assertThat(report.rejected()).hasSize(1);
      assertThat(report.rejected().get(0))
          .startsWith("camunda/zeebe into " + prefix + "-2026: ")
          .contains("failed to parse field [http.docker_hub.name] of type [long]");
      assertThat(report.pending()).isZero();
      try (var kept = Files.list(spool.resolve("rejected"))) {
        Path file = kept.findFirst().orElseThrow();
        assertThat(Files.readString(file)).contains("\"repository\":\"camunda/zeebe\"");
      }
    }
    assertThat(count()).isEqualTo(1);
  }

  @Test
  void wrongCredentialsAreOneClearLineWithoutThePassword() {
    try (EsConnection c =
        connect(
            EsSettings.builder()
                .host(es.url())
                .basicAuth(TestElasticsearch.USER, "not-the-password")
                .caCertificate(es.caCertificate())
                .spoolDir(spool))) {
      assertThatThrownBy(c::health)
          .isInstanceOfSatisfying(
              SinkException.class,
              e -> assertThat(e.kind()).isEqualTo(SinkException.Kind.CREDENTIALS))
          .hasMessageStartingWith(
              "Elasticsearch at " + es.url() + " refused the credentials (401 security_exception")
          .hasMessageNotContaining("not-the-password")
          .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(1));
    }
  }

  @Test
  void wrongCredentialsOnAWriteAreTheSameOneLineWhicheverRequestMeetsThemFirst() throws Exception {
    // The template, the new fields and the raw lookup of earlier counts go out together.
    DeliveryReport report = writeOneAs(TestElasticsearch.USER, "not-the-password");
    assertThat(report.failure().get().getMessage())
        .startsWith(
            "Elasticsearch at " + es.url() + " refused the credentials (401 security_exception")
        .doesNotContain("not-the-password");
    assertThat(report.failure().get().getMessage().lines()).hasSize(1);
  }

  /** One snapshot written as this user; it fails for want of credentials and waits. */
  private DeliveryReport writeOneAs(String user, String password) throws Exception {
    try (EsConnection c =
            connect(
                EsSettings.builder()
                    .host(es.url())
                    .basicAuth(user, password)
                    .caCertificate(es.caCertificate())
                    .spoolDir(spool));
        ElasticsearchSink sink = ElasticsearchSink.create(c)) {
      DeliveryReport report = sink.write(snapshot(T0, repo("camunda", "zeebe", 1L, 1L, null)));
      assertThat(report.failure()).isPresent();
      assertThat(report.failure().get().kind()).isEqualTo(SinkException.Kind.CREDENTIALS);
      assertThat(report.pending()).isEqualTo(1);
      return report;
    }
  }

  @Test
  void aUserWithoutWritePrivilegesIsToldSoAndTheSnapshotWaits() throws Exception {
    DeliveryReport report = writeOneAs(TestElasticsearch.READER, TestElasticsearch.PASSWORD);
    assertThat(report.failure().get().getMessage())
        .startsWith(
            "Elasticsearch at "
                + es.url()
                + " did not allow us to write to (403 security_exception");
  }

  @Test
  void anUnreachableUrlIsOneLineAndTheSnapshotWaitsInTheSpool() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (EsConnection c =
            connect(
                EsSettings.builder()
                    .host("http://127.0.0.1:" + closed)
                    .spoolDir(spool)
                    .attempts(2)
                    .firstBackoff(Duration.ofMillis(10)));
        ElasticsearchSink sink = ElasticsearchSink.create(c)) {
      DeliveryReport report = sink.write(snapshot(T0, repo("camunda", "zeebe", 1L, 1L, null)));
      assertThat(report.failure()).isPresent();
      assertThat(report.failure().get().getMessage())
          .isEqualTo(
              "cannot write to Elasticsearch at http://127.0.0.1:"
                  + closed
                  + " (Connection refused)");
      assertThat(report.pending()).isEqualTo(1);
      assertThat(sink.spool().pending()).hasSize(1);
    }
  }

  @Test
  void aSpoolThatCannotBeWrittenMeansDirectDeliverySaidOnceAndNothingThrownAway() throws Exception {
    Path file = Files.writeString(spool.resolve("a-file"), "not a directory\n");
    Path unusable = file.resolve("spool");
    LinkedBlockingQueue<DeliveryReport> reports = new LinkedBlockingQueue<>();
    try (EsConnection c = connect(es.settings(unusable));
        ElasticsearchSink sink =
            ElasticsearchSink.background(c, reports::add, Duration.ofSeconds(1))) {
      sink.onSnapshot(snapshot(T0, repo("camunda", "zeebe", 500L, 1L, null)));
      DeliveryReport first = reports.poll(30, TimeUnit.SECONDS);
      sink.onSnapshot(snapshot(T0.plusSeconds(300), repo("camunda", "zeebe", 530L, 1L, null)));
      DeliveryReport second = reports.poll(30, TimeUnit.SECONDS);
      assertThat(first.failure()).isEmpty();
      assertThat(first.documents()).isEqualTo(1);
      assertThat(first.warnings())
          .singleElement()
          .asString()
          .startsWith("cannot write the spool in " + unusable)
          .contains("snapshots go to Elasticsearch directly")
          .contains("nothing can be buffered");
      assertThat(second.failure()).isEmpty();
      assertThat(second.documents()).isEqualTo(1);
      assertThat(second.warnings()).isEmpty();
      assertThat(sink.spoolStats().droppedTotal()).isZero();
    }
    JsonNode hits = search("{\"sort\":[{\"@timestamp\":\"asc\"}]}").at("/hits/hits");
    assertThat(hits).hasSize(2);
    assertThat(hits.get(1).at("/_source/http/docker_hub/pull_count_delta").asLong()).isEqualTo(30);
  }

  @Test
  void withoutASpoolASnapshotElasticsearchDidNotTakeIsCountedAsLost() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Path file = Files.writeString(spool.resolve("a-file"), "not a directory\n");
    try (EsConnection c =
            connect(
                EsSettings.builder()
                    .host("http://127.0.0.1:" + closed)
                    .spoolDir(file.resolve("spool"))
                    .attempts(1));
        ElasticsearchSink sink = ElasticsearchSink.create(c)) {
      DeliveryReport report = sink.write(snapshot(T0, repo("camunda", "zeebe", 1L, 1L, null)));
      assertThat(report.failure().orElseThrow().getMessage())
          .contains("Connection refused")
          .endsWith("the snapshot of " + T0 + " is lost (no spool)");
      assertThat(sink.spoolStats().droppedTotal()).isEqualTo(1);
    }
  }

  @Test
  void anUntrustedCertificateIsRefusedUnlessItsFingerprintIsGiven() throws Exception {
    try (EsConnection c =
        connect(
            EsSettings.builder()
                .host(es.url())
                .basicAuth(TestElasticsearch.USER, TestElasticsearch.PASSWORD)
                .spoolDir(spool))) {
      assertThatThrownBy(c::health)
          .isInstanceOfSatisfying(
              SinkException.class, e -> assertThat(e.kind()).isEqualTo(SinkException.Kind.TLS))
          .hasMessageStartingWith("TLS with Elasticsearch at " + es.url() + " failed (")
          .hasMessageEndingWith("); trust its CA");
    }
    String fingerprint = fingerprint(es.caCertificate());
    try (EsConnection c =
        connect(
            EsSettings.builder()
                .host(es.url())
                .basicAuth(TestElasticsearch.USER, TestElasticsearch.PASSWORD)
                .caFingerprint(fingerprint)
                .spoolDir(spool))) {
      assertThat(c.health()).isNotNull();
    }
  }

  static String fingerprint(Path pem) throws Exception {
    byte[] der = TestTls.certificate(pem).getEncoded();
    byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(der);
    StringBuilder hex = new StringBuilder();
    for (byte b : sha) {
      hex.append(String.format("%02X:", b));
    }
    return hex.substring(0, hex.length() - 1);
  }
}
