package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.squareup.moshi.Moshi;
import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TagsCommandTest {
  private final FakeHub fake = new FakeHub();
  private final FakeClock clock = new FakeClock(Instant.parse("2026-12-04T12:00:00Z"));

  @AfterEach
  void close() {
    fake.close();
  }

  private static String tag(String name, String pushed, String pulled, long size) {
    return "{\"name\":\""
        + name
        + "\",\"digest\":\"sha256:"
        + name.replace('.', '0')
        + "\",\"full_size\":"
        + size
        + ",\"tag_status\":\"active\",\"tag_last_pushed\":\""
        + pushed
        + "\",\"tag_last_pulled\":"
        + (pulled == null ? "null" : "\"" + pulled + "\"")
        + ",\"images\":[{\"architecture\":\"amd64\",\"os\":\"linux\",\"size\":"
        + size
        + ",\"last_pulled\":"
        + (pulled == null ? "null" : "\"" + pulled + "\"")
        + "}]}";
  }

  @BeforeEach
  void hub() {
    fake.organizationItems(
        "camunda",
        List.of(
            FakeHub.listItem("camunda", "zeebe", 100, 1, "2026-11-01T00:00:00Z"),
            FakeHub.listItem("camunda", "operate", 50, 1, "2026-11-01T00:00:00Z")));
    fake.hook(
        r -> {
          String path = r.getUrl().encodedPath();
          if (path.equals("/v2/namespaces/camunda/repositories/zeebe/tags")) {
            return FakeHub.jsonResponse(
                200,
                "{\"count\":3,\"next\":null,\"results\":["
                    + tag("8.7.0", "2026-11-20T00:00:00Z", "2026-12-04T10:00:00Z", 200_000_000)
                    + ","
                    + tag("8.6.0", "2026-08-01T00:00:00Z", "2026-08-30T00:00:00Z", 190_000_000)
                    + ","
                    + tag("1.0.0", "2021-01-01T00:00:00Z", null, 90_000_000)
                    + "]}");
          }
          if (path.equals("/v2/namespaces/camunda/repositories/operate/tags")) {
            return FakeHub.jsonResponse(500, "{\"message\":\"internal error\",\"errinfo\":{}}");
          }
          return null;
        });
  }

  private CliRun tags(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "tags";
    all[1] = "--hub-url";
    all[2] = fake.url();
    System.arraycopy(args, 0, all, 3, args.length);
    return CliRun.run(clock, Map.of(), all);
  }

  @Test
  void notPulledSinceListsExactlyTheTagsLastPulledBeforeThenOrNever() {
    CliRun run = tags("--repo", "camunda/zeebe", "--not-pulled-since", "90d", "-f", "csv");
    assertThat(run.exitCode).as(run.toString()).isZero();
    // 8.7.0 was pulled today and 8.6.0 on 2026-08-30, 96 days ago; 1.0.0 never.
    assertThat(run.out.split("\r\n"))
        .containsExactly(
            "namespace,name,tag,digest,full_size,last_pushed,last_pulled,status",
            "camunda,zeebe,8.6.0,sha256:80600,190000000,2026-08-01T00:00:00Z,"
                + "2026-08-30T00:00:00Z,active",
            "camunda,zeebe,1.0.0,sha256:10000,90000000,2021-01-01T00:00:00Z,,active");
  }

  @Test
  void jsonHasTheShapeOfTheIssueAndSortsAsAsked() throws Exception {
    CliRun run = tags("--repo", "camunda/zeebe", "-f", "json", "-s", "size");
    assertThat(run.exitCode).as(run.toString()).isZero();
    Map<?, ?> doc = new Moshi.Builder().build().adapter(Map.class).fromJson(run.out);
    List<?> repositories = (List<?>) doc.get("repositories");
    Map<?, ?> zeebe = (Map<?, ?>) repositories.get(0);
    assertThat(zeebe.get("namespace")).isEqualTo("camunda");
    List<?> tags = (List<?>) zeebe.get("tags");
    List<Object> names = new java.util.ArrayList<>();
    tags.forEach(t -> names.add(((Map<?, ?>) t).get("name")));
    assertThat(names).containsExactly("8.7.0", "8.6.0", "1.0.0");
    Map<?, ?> first = (Map<?, ?>) tags.get(0);
    assertThat(new java.util.ArrayList<Object>(first.keySet()))
        .containsExactly(
            "name", "digest", "full_size", "last_pushed", "last_pulled", "status", "images");
    Map<?, ?> image = (Map<?, ?>) ((List<?>) first.get("images")).get(0);
    assertThat(new java.util.ArrayList<Object>(image.keySet()))
        .containsExactly("architecture", "os", "size", "last_pulled");
    assertThat(((Map<?, ?>) tags.get(2)).get("last_pulled")).isNull();
  }

  @Test
  void anOrganizationsRepositoriesAreReadAndOneThatFailsMakesThePartialExit() {
    CliRun run = tags("--org", "camunda");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.PARTIAL);
    assertThat(run.out).contains("camunda/zeebe  8.7.0").endsWith("\n3 tags of 1 repository\n");
    assertThat(run.err).startsWith("dockerpulls: camunda/operate: ").contains("500");
  }
}
