package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.exporter.metrics.SnapshotCollector;
import io.github.dockerpulls.exporter.metrics.TagCollector;
import io.github.dockerpulls.exporter.testing.Snapshots;
import io.github.dockerpulls.hub.DockerHub;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@code serve --tags}: each repository's newest tags, kept when a reading fails. */
class TagRefresherTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-12-04T12:00:00Z"));

  private static RepositoryStats repo(String name) {
    return new RepositoryStats(
        "camunda", name, 100, OptionalLong.empty(), Optional.empty(), OptionalLong.empty());
  }

  private static String tagsPage(int n) {
    StringBuilder b = new StringBuilder("{\"count\":" + n + ",\"next\":null,\"results\":[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"name\":\"1.")
          .append(i)
          .append("\",\"tag_last_pushed\":\"2026-11-0")
          .append(1 + i % 9)
          .append("T00:00:00Z\",\"tag_last_pulled\":\"2026-12-01T00:00:00Z\",\"images\":[]}");
    }
    return b.append("]}").toString();
  }

  @Test
  void readsTheNewestTagsOfEachRepositoryAndKeepsThemWhenAReadingFails() throws Exception {
    AtomicBoolean operateFails = new AtomicBoolean();
    try (FakeHub hub = new FakeHub();
        DockerHub client =
            DockerHub.builder()
                .baseUrl(hub.url())
                .retryPolicy(io.github.dockerpulls.hub.RetryPolicy.NONE)
                .build()) {
      hub.hook(
          r -> {
            String path = r.getUrl().encodedPath();
            if (path.equals("/v2/namespaces/camunda/repositories/zeebe/tags")) {
              return FakeHub.jsonResponse(200, tagsPage(3));
            }
            if (path.equals("/v2/namespaces/camunda/repositories/operate/tags")) {
              return operateFails.get()
                  ? FakeHub.jsonResponse(500, "{\"message\":\"internal error\"}")
                  : FakeHub.jsonResponse(200, tagsPage(2));
            }
            return null;
          });
      SnapshotCollector served = new SnapshotCollector(false, null);
      served.onSnapshot(
          Snapshots.of(clock.instant(), Snapshots.ok("camunda", repo("zeebe"), repo("operate"))));
      TagCollector tags = new TagCollector();
      StringWriter log = new StringWriter();
      RefreshLog out =
          new RefreshLog(new PrintWriter(log, true), RefreshLog.LogFormat.TEXT, null, clock);
      try (TagRefresher refresher = new TagRefresher(client, served, tags, 2, out, clock)) {
        refresher.refresh();
        assertThat(tags.tags("camunda/zeebe").orElseThrow().tags()).hasSize(2); // --tags-max 2
        assertThat(tags.tags("camunda/operate").orElseThrow().tags()).hasSize(2);
        assertThat(log.toString()).isEmpty();

        operateFails.set(true);
        refresher.refresh();
        assertThat(tags.tags("camunda/operate").orElseThrow().tags()).hasSize(2);
        assertThat(log.toString().lines())
            .singleElement()
            .asString()
            .contains("tags: 1 of 2 repositories could not be read, their earlier tags are kept")
            .contains("camunda/operate");
        assertThat(refresher.unexpectedFailures()).isZero();
      }
    }
  }
}
