package io.github.dockerpulls.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.hub.testing.FakeHub;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TagsTest {
  private final FakeHub fake = new FakeHub();

  @AfterEach
  void close() {
    fake.close();
  }

  /** A tag entry in the shape the Hub sent in 2026 (see the captured tags listing). */
  static String tag(String name, String pushed, String pulled) {
    return "{\"creator\":613503,\"id\":10278613,\"images\":[{\"architecture\":\"amd64\","
        + "\"features\":\"\",\"variant\":null,\"digest\":\"sha256:46a5\",\"os\":\"linux\","
        + "\"os_features\":\"\",\"os_version\":null,\"size\":25529703,\"status\":\"active\","
        + "\"last_pulled\":"
        + (pulled == null ? "null" : "\"" + pulled + "\"")
        + ",\"last_pushed\":\""
        + pushed
        + "\"}],\"last_updated\":\""
        + pushed
        + "\",\"last_updater\":613503,\"name\":\""
        + name
        + "\",\"repository\":1436233,\"full_size\":25529703,\"v2\":true,\"tag_status\":\"active\","
        + "\"tag_last_pulled\":"
        + (pulled == null ? "null" : "\"" + pulled + "\"")
        + ",\"tag_last_pushed\":\""
        + pushed
        + "\",\"media_type\":\"application/vnd.docker.container.image.v1+json\","
        + "\"content_type\":\"image\"}";
  }

  /** Serves {@code total} tags of acme/app in pages of 100, claiming {@code count}. */
  private void tags(int total, long count) {
    fake.hook(
        r -> {
          if (!r.getUrl().encodedPath().equals("/v2/namespaces/acme/repositories/app/tags")) {
            return null;
          }
          int page = Integer.parseInt(r.getUrl().queryParameter("page"));
          StringBuilder items = new StringBuilder();
          for (int i = (page - 1) * 100; i < Math.min(total, page * 100); i++) {
            items
                .append(items.length() == 0 ? "" : ",")
                .append(tag("1." + i, "2026-01-01T00:00:00Z", "2026-11-01T00:00:00.5Z"));
          }
          boolean more = page * 100 < total;
          return FakeHub.jsonResponse(
              200,
              "{\"count\":"
                  + count
                  + ",\"next\":"
                  + (more ? "\"next\"" : "null")
                  + ",\"previous\":null,\"results\":["
                  + items
                  + "]}");
        });
  }

  private DockerHub hub() {
    return DockerHub.builder().baseUrl(fake.url()).retryPolicy(RetryPolicy.NONE).build();
  }

  @Test
  void aTagCarriesItsDigestSizesAndTimesPerPlatform() {
    fake.hook(
        r ->
            FakeHub.jsonResponse(
                200,
                "{\"count\":1,\"next\":null,\"previous\":null,\"results\":["
                    + tag("latest", "2017-11-02T07:47:35.374523Z", "2026-01-09T19:20:49.733138382Z")
                    + "]}"));
    try (DockerHub hub = hub()) {
      List<Tag> tags = hub.listTags("ebusinessdocker", "disney", 100);
      assertThat(tags)
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.name()).isEqualTo("latest");
                assertThat(t.fullSize()).hasValue(25_529_703);
                assertThat(t.lastPushed()).hasValue(Instant.parse("2017-11-02T07:47:35.374523Z"));
                assertThat(t.lastPulled())
                    .hasValue(Instant.parse("2026-01-09T19:20:49.733138382Z"));
                assertThat(t.status()).hasValue("active");
                assertThat(t.images())
                    .singleElement()
                    .satisfies(
                        i -> {
                          assertThat(i.architecture()).hasValue("amd64");
                          assertThat(i.os()).hasValue("linux");
                          assertThat(i.size()).hasValue(25_529_703);
                        });
              });
    }
    assertThat(fake.requests().get(0).getUrl().toString())
        .contains("/v2/namespaces/ebusinessdocker/repositories/disney/tags?page=1&page_size=100");
  }

  @Test
  void pagesAreReadUntilTheShortOneOrTheMaximum() {
    tags(250, 250);
    try (DockerHub hub = hub()) {
      assertThat(hub.listTags("acme", "app", 1000)).hasSize(250);
      assertThat(fake.requests()).hasSize(3);
      assertThat(hub.listTags("acme", "app", 120))
          .hasSize(120)
          .last()
          .extracting(Tag::name)
          .isEqualTo("1.119");
      assertThat(fake.requests()).hasSize(3 + 2);
    }
  }

  @Test
  void aCountOfAMillionCostsOnlyThePagesThereAre() {
    tags(30, 1_000_000);
    try (DockerHub hub = hub()) {
      assertThat(hub.listTags("acme", "app", 1000)).hasSize(30);
    }
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void anUnknownRepositoryIsNotFound() {
    try (DockerHub hub = hub()) {
      assertThatThrownBy(() -> hub.listTags("acme", "gone", 100))
          .isInstanceOf(HubException.NotFound.class);
    }
  }
}
