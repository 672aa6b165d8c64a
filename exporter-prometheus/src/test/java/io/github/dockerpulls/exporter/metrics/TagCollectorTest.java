package io.github.dockerpulls.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.exporter.ExporterServer;
import io.github.dockerpulls.exporter.testing.Snapshots;
import io.github.dockerpulls.hub.Tag;
import io.github.dockerpulls.hub.TagsJson;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TagCollectorTest {
  static Tag tag(String name, long pushed, Long pulled) {
    return new Tag(
        name,
        Optional.empty(),
        OptionalLong.empty(),
        Optional.of(Instant.ofEpochSecond(pushed)),
        Optional.ofNullable(pulled).map(Instant::ofEpochSecond),
        Optional.empty(),
        List.of());
  }

  private static TagsJson.Repository repo(String ns, String name, Tag... tags) {
    return new TagsJson.Repository(ns, name, List.of(tags));
  }

  /** What a scrape of /metrics gives: the refresh's families, then the registry's others. */
  static String text(TagCollector tags) throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    SnapshotCollector collector = new SnapshotCollector(false, null);
    collector.onSnapshot(Snapshots.goldenSnapshot());
    registry.register(collector);
    registry.register(tags);
    try (ExporterServer server =
        ExporterServer.builder()
            .host("127.0.0.1")
            .port(0)
            .collector(collector)
            .registry(registry)
            .tags(tags)
            .start()) {
      return get(server, "/metrics").body();
    }
  }

  @Test
  void eachTagsLastPushAndPullAreGaugesInSeconds() throws Exception {
    TagCollector tags = new TagCollector();
    tags.refreshed(
        Map.of("acme/app", repo("acme", "app", tag("1.0", 1_000, 2_000L), tag("0.9", 500, null))),
        List.of(),
        List.of("acme/app"),
        Instant.ofEpochSecond(3_000));
    String text = text(tags);
    assertThat(text)
        .contains(
            "dockerhub_tag_last_pushed_timestamp_seconds{organization=\"acme\",repository=\"app\",tag=\"1.0\"}"
                + " 1000.0")
        .contains(
            "dockerhub_tag_last_pulled_timestamp_seconds{organization=\"acme\",repository=\"app\",tag=\"1.0\"}"
                + " 2000.0")
        .doesNotContain(
            "tag_last_pulled_timestamp_seconds{organization=\"acme\",repository=\"app\",tag=\"0.9\"}")
        .contains("dockerhub_tags_last_refresh_timestamp_seconds 3000.0")
        .contains("dockerhub_tags_read_failures_total 0.0");
  }

  @Test
  void aRepositoryThatFailedKeepsItsTagsOneNoLongerServedLosesThem() throws Exception {
    TagCollector tags = new TagCollector();
    tags.refreshed(
        Map.of(
            "acme/app", repo("acme", "app", tag("1.0", 1_000, 2_000L)),
            "acme/old", repo("acme", "old", tag("0.1", 10, 20L))),
        List.of(),
        List.of("acme/app", "acme/old"),
        Instant.ofEpochSecond(3_000));
    tags.refreshed(
        Map.of(), List.of("acme/app"), List.of("acme/app"), Instant.ofEpochSecond(4_000));
    assertThat(tags.tags("acme/app")).isPresent();
    assertThat(tags.tags("acme/old")).isEmpty();
    assertThat(text(tags))
        .contains("tag=\"1.0\"")
        .doesNotContain("tag=\"0.1\"")
        .contains("dockerhub_tags_read_failures_total 1.0");
  }

  @Test
  void theApiAnswersOneRepositorysTags() throws Exception {
    TagCollector tags = new TagCollector();
    tags.refreshed(
        Map.of("acme/app", repo("acme", "app", tag("1.0", 1_000, 2_000L))),
        List.of(),
        List.of("acme/app"),
        Instant.ofEpochSecond(3_000));
    PrometheusRegistry registry = new PrometheusRegistry();
    SnapshotCollector collector = new SnapshotCollector(false, null);
    registry.register(collector);
    try (ExporterServer with =
            ExporterServer.builder()
                .host("127.0.0.1")
                .port(0)
                .collector(collector)
                .registry(registry)
                .tags(tags)
                .start();
        ExporterServer without =
            ExporterServer.builder()
                .host("127.0.0.1")
                .port(0)
                .collector(collector)
                .registry(registry)
                .start()) {
      HttpResponse<String> ok = get(with, "/api/v1/tags?repo=acme/app");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body())
          .isEqualTo(
              "{\"repositories\":[{\"namespace\":\"acme\",\"name\":\"app\",\"tags\":[{\"name\":\"1.0\","
                  + "\"digest\":null,\"full_size\":null,\"last_pushed\":\"1970-01-01T00:16:40Z\","
                  + "\"last_pulled\":\"1970-01-01T00:33:20Z\",\"status\":null,\"images\":[]}]}]}");
      assertThat(get(with, "/api/v1/tags?repo=acme/other").statusCode()).isEqualTo(404);
      assertThat(get(with, "/api/v1/tags").statusCode()).isEqualTo(400);
      HttpResponse<String> off = get(without, "/api/v1/tags?repo=acme/app");
      assertThat(off.statusCode()).isEqualTo(404);
      assertThat(off.body()).contains("start it with --tags");
    }
  }

  private static HttpResponse<String> get(ExporterServer server, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
