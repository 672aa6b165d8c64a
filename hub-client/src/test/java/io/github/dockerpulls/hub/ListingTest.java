package io.github.dockerpulls.hub;

import static io.github.dockerpulls.hub.testing.FakeHub.jsonResponse;
import static io.github.dockerpulls.hub.testing.FakeHub.listItem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dockerpulls.hub.testing.CapturedLog;
import io.github.dockerpulls.hub.testing.FakeClock;
import io.github.dockerpulls.hub.testing.FakeHub;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ListingTest {
  private final FakeHub fake = new FakeHub();
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-22T10:00:00Z"));

  private DockerHub hub() {
    return hub(false);
  }

  private DockerHub hub(boolean legacy) {
    return DockerHub.builder()
        .baseUrl(fake.url())
        .clock(clock)
        .sleeper(clock)
        .credentials(Credentials.of("reader", "dckr_pat_secret"))
        .legacyPaths(legacy)
        .build();
  }

  @AfterEach
  void close() {
    fake.close();
  }

  @Test
  void fiveThousandRepositoriesTakeExactlyFiftyPageRequests() {
    fake.credentials("reader", "dckr_pat_secret").organization("bigorg", 5000);
    try (DockerHub hub = hub()) {
      RepositoryListing listing = hub.listRepositories("bigorg");

      assertThat(listing.repositories()).hasSize(5000);
      assertThat(listing.pages()).isEqualTo(50);
      List<RecordedRequest> pages = fake.requestsTo("/v2/namespaces/bigorg/repositories");
      assertThat(pages).hasSize(50);
      assertThat(
              pages.stream()
                  .map(r -> r.getUrl().queryParameter("page"))
                  .collect(Collectors.toSet()))
          .isEqualTo(
              IntStream.rangeClosed(1, 50).mapToObj(Integer::toString).collect(Collectors.toSet()));
      assertThat(pages)
          .allSatisfy(
              r -> {
                assertThat(r.getMethod()).isEqualTo("GET");
                assertThat(r.getUrl().queryParameter("page_size")).isEqualTo("100");
                assertThat(r.getUrl().queryParameter("ordering")).isEqualTo("name");
              });
      assertThat(listing.repositories().get(0).fullName()).isEqualTo("bigorg/repo-00001");
      assertThat(listing.repositories().get(4999).pullCount()).isEqualTo(5_000_007L);
    }
  }

  @Test
  void everyRequestCarriesTheUserAgentAndTheBearerToken() {
    fake.credentials("reader", "dckr_pat_secret").organization("camunda", 250);
    try (DockerHub hub = hub()) {
      hub.listRepositories("camunda");
    }
    List<RecordedRequest> requests = fake.requests();
    assertThat(requests).hasSize(4); // token + 3 pages
    assertThat(requests)
        .allSatisfy(r -> assertThat(r.getHeaders().get("User-Agent")).startsWith("dockerpulls/"));
    assertThat(requests.subList(1, 4))
        .allSatisfy(r -> assertThat(r.getHeaders().get("Authorization")).startsWith("Bearer ey"));
  }

  @Test
  void theLegacyPathListsWithATrailingSlash() {
    fake.credentials("reader", "dckr_pat_secret").organization("altinity", 120);
    try (DockerHub hub = hub(true)) {
      assertThat(hub.listRepositories("altinity").repositories()).hasSize(120);
    }
    assertThat(fake.requestsTo("/v2/repositories/altinity/"))
        .hasSize(2)
        .allSatisfy(
            r -> assertThat(r.getUrl().encodedPath()).isEqualTo("/v2/repositories/altinity/"));
  }

  @Test
  void anUnknownNamespaceIsAnEmptyListingAfterOneRequest() {
    try (DockerHub hub = DockerHub.builder().baseUrl(fake.url()).build()) {
      RepositoryListing listing = hub.listRepositories("nosuchnamespace");
      assertThat(listing.isEmpty()).isTrue();
      assertThat(listing.pages()).isEqualTo(1);
    }
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void aNamespaceAnsweredWith404IsNotFound() {
    fake.enqueue(jsonResponse(404, "{\"message\":\"object not found\",\"errinfo\":{}}"));
    try (DockerHub hub = DockerHub.builder().baseUrl(fake.url()).build()) {
      assertThatThrownBy(() -> hub.listRepositories("gone"))
          .isInstanceOf(HubException.NotFound.class)
          .hasMessage("Docker Hub does not know the namespace 'gone'");
    }
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void aCountThatChangesDuringTheWalkStartsTheWalkAgain() {
    fake.credentials("reader", "dckr_pat_secret").organization("growing", 250);
    AtomicBoolean added = new AtomicBoolean();
    fake.hook(
        r -> {
          // While page 2 is being asked for, a repository is created.
          if ("2".equals(r.getUrl().queryParameter("page")) && added.compareAndSet(false, true)) {
            fake.itemsOf("growing")
                .add(0, listItem("growing", "aaa-new", 1, 0, "2026-11-22T09:00:00Z"));
          }
          return null;
        });
    try (DockerHub hub = hub()) {
      RepositoryListing listing = hub.listRepositories("growing");
      assertThat(listing.repositories()).hasSize(251);
      assertThat(listing.repositories().get(0).name()).isEqualTo("aaa-new");
    }
    assertThat(fake.requestsTo("/v2/namespaces/growing/repositories")).hasSize(3 + 3);
  }

  @Test
  void aListingThatNeverSettlesFailsInsteadOfReturningPartOfIt() {
    fake.credentials("reader", "dckr_pat_secret").organization("churn", 150);
    int[] created = {0};
    fake.hook(
        r -> {
          if ("2".equals(r.getUrl().queryParameter("page"))) {
            fake.itemsOf("churn")
                .add(listItem("churn", "zz-" + created[0]++, 1, 0, "2026-11-22T09:00:00Z"));
          }
          return null;
        });
    try (DockerHub hub = hub()) {
      assertThatThrownBy(() -> hub.listRepositories("churn"))
          .isInstanceOf(HubException.ListingChanged.class)
          .hasMessageContaining("'churn' changed while they were read");
    }
  }

  @Test
  void aRepositoryOnTwoPagesIsReadAgainAndReturnedOnce() {
    fake.credentials("reader", "dckr_pat_secret").organization("shifty", 200);
    List<String> items = fake.itemsOf("shifty");
    List<String> shifted = new ArrayList<>(items.subList(100, 200));
    shifted.set(0, items.get(99)); // page 2 repeats the last entry of page 1 and skips one
    String page2 =
        "{\"count\":200,\"next\":null,\"previous\":null,\"results\":["
            + String.join(",", shifted)
            + "]}";
    fake.enqueue(); // nothing queued; the hook serves the bad page once
    AtomicBoolean served = new AtomicBoolean();
    fake.hook(
        r ->
            "2".equals(r.getUrl().queryParameter("page")) && served.compareAndSet(false, true)
                ? jsonResponse(200, page2)
                : null);
    try (DockerHub hub = hub()) {
      List<RepositoryStats> repos = hub.listRepositories("shifty").repositories();
      assertThat(repos).hasSize(200);
      assertThat(repos.stream().map(RepositoryStats::name).distinct()).hasSize(200);
    }
    assertThat(fake.requestsTo("/v2/namespaces/shifty/repositories")).hasSize(4);
  }

  @Test
  void aPageGonePastTheEndMeansRepositoriesWereDeletedAndTheWalkIsRepeated() {
    fake.credentials("reader", "dckr_pat_secret").organization("shrinking", 250);
    AtomicBoolean deleted = new AtomicBoolean();
    fake.hook(
        r -> {
          if ("3".equals(r.getUrl().queryParameter("page")) && deleted.compareAndSet(false, true)) {
            List<String> items = fake.itemsOf("shrinking");
            items.subList(150, 250).clear();
          }
          return null;
        });
    try (DockerHub hub = hub()) {
      assertThat(hub.listRepositories("shrinking").repositories()).hasSize(150);
    }
  }

  @Test
  void anonymousCallersStoppedAtOneHundredAreToldToAuthenticate() {
    fake.organization("camunda", 180);
    try (DockerHub hub = DockerHub.builder().baseUrl(fake.url()).sleeper(clock).build()) {
      assertThatThrownBy(() -> hub.listRepositories("camunda"))
          .isInstanceOfSatisfying(
              HubException.Unauthorized.class, e -> assertThat(e.credentialsSent()).isFalse())
          .hasMessageContaining("only the first 100 repositories")
          .hasMessageContaining("authenticate");
    }
    // No retry for a 4xx answer: page 1 and page 2, once each.
    assertThat(fake.requests()).hasSize(2);
  }

  @Test
  void pullCountsAboveTwoToTheThirtyFirstAndInExponentFormAreExact() {
    fake.organizationItems(
        "library",
        List.of(
            "{\"name\":\"httpd\",\"namespace\":\"library\",\"pull_count\":2.244658322e+09,\"star_count\":3321}",
            "{\"name\":\"nginx\",\"namespace\":\"library\",\"pull_count\":12345678901234,\"star_count\":20000}",
            "{\"name\":\"redis\",\"namespace\":\"library\",\"pull_count\":\"2147483648\"}"));
    try (DockerHub hub = DockerHub.builder().baseUrl(fake.url()).build()) {
      List<RepositoryStats> repos = hub.listRepositories("library").repositories();
      assertThat(repos)
          .extracting(RepositoryStats::pullCount)
          .containsExactly(2_244_658_322L, 12_345_678_901_234L, 2_147_483_648L);
    }
  }

  @Test
  void aDescriptionIsKeptAsOneLineOfTextAtMostThreeHundredCharacters() {
    fake.organizationItems(
        "camunda",
        List.of(
            "{\"name\":\"zeebe\",\"namespace\":\"camunda\",\"pull_count\":1,"
                + "\"description\":\"  A <b>workflow</b>\\n   engine\\u0007 \"}",
            "{\"name\":\"operate\",\"namespace\":\"camunda\",\"pull_count\":2,"
                + "\"description\":\"   \"}",
            "{\"name\":\"tasklist\",\"namespace\":\"camunda\",\"pull_count\":3,"
                + "\"description\":\""
                + "x".repeat(400)
                + "\"}",
            "{\"name\":\"optimize\",\"namespace\":\"camunda\",\"pull_count\":4}"));
    try (DockerHub hub = DockerHub.builder().baseUrl(fake.url()).build()) {
      java.util.Map<String, Optional<String>> described = new java.util.HashMap<>();
      for (RepositoryStats r : hub.listRepositories("camunda").repositories()) {
        described.put(r.name(), r.description());
      }
      assertThat(described)
          .containsOnly(
              java.util.Map.entry("zeebe", Optional.of("A <b>workflow</b> engine?")),
              java.util.Map.entry("operate", Optional.empty()),
              java.util.Map.entry(
                  "tasklist", Optional.of("x".repeat(RepositoryStats.MAX_DESCRIPTION) + "...")),
              java.util.Map.entry("optimize", Optional.empty()));
    }
  }

  @Test
  void aPullCountWithAFractionIsRefusedNotRounded() {
    fake.organizationItems(
        "library",
        List.of(
            "{\"name\":\"httpd\",\"namespace\":\"library\",\"pull_count\":1.5}",
            listItem("library", "nginx", 7, 1, "2026-11-22T09:00:00Z")));
    fake.repository(
        "library", "httpd", "{\"name\":\"httpd\",\"namespace\":\"library\",\"pull_count\":1.5}");
    List<String> rejected = new ArrayList<>();
    try (CapturedLog log = CapturedLog.of(io.github.dockerpulls.hub.internal.HubClient.class);
        DockerHub hub =
            DockerHub.builder()
                .baseUrl(fake.url())
                .listener(
                    new HubListener() {
                      @Override
                      public void onRejected(String repository, String reason) {
                        rejected.add(repository + " | " + reason);
                      }
                    })
                .build()) {
      assertThat(hub.listRepositories("library").repositories())
          .extracting(RepositoryStats::name)
          .containsExactly("nginx");
      assertThat(rejected)
          .containsExactly("library/httpd | library/httpd: pull_count is not a whole number: 1.5");
      assertThatThrownBy(() -> hub.getRepository("library", "httpd"))
          .isInstanceOf(HubException.UnexpectedResponse.class)
          .hasMessageContaining("library/httpd: pull_count is not a whole number: 1.5");
      hub.listRepositories("library");
      assertThat(log.records()).hasSize(1); // said once, however often it is met
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"pull_count\":\"lots\"            | camunda/zeebe: pull_count is not a whole number: lots",
        "\"pull_count\":true               | camunda/zeebe: pull_count is not a whole number: true",
        "\"pull_count\":-5                 | camunda/zeebe: pull_count -5 is not a count (0 to 10^15)",
        "\"pull_count\":1000000000000001   | camunda/zeebe: pull_count 1000000000000001 is not a count",
        "\"pull_count\":5,\"star_count\":\"x\" | camunda/zeebe: star_count is not a whole number: x",
        "\"pull_count\":5,\"last_updated\":\"yesterday\" | camunda/zeebe: last_updated is not an ISO-8601"
            + " time: yesterday",
      })
  void aFieldOfTheWrongKindLeavesItsRepositoryOutOfAListingAndFailsItAlone(
      String fields, String message) {
    fake.organizationItems(
        "camunda",
        List.of(
            listItem("camunda", "operate", 3, 0, "2026-11-22T09:00:00Z"),
            "{\"name\":\"zeebe\",\"namespace\":\"camunda\"," + fields + "}"));
    fake.repository(
        "camunda", "zeebe", "{\"name\":\"zeebe\",\"namespace\":\"camunda\"," + fields + "}");
    List<String> rejected = new ArrayList<>();
    try (CapturedLog log = CapturedLog.of(io.github.dockerpulls.hub.internal.HubClient.class);
        DockerHub hub =
            DockerHub.builder()
                .baseUrl(fake.url())
                .listener(
                    new HubListener() {
                      @Override
                      public void onRejected(String repository, String reason) {
                        rejected.add(reason);
                      }
                    })
                .build()) {
      assertThat(hub.listRepositories("camunda").repositories())
          .extracting(RepositoryStats::fullName)
          .containsExactly("camunda/operate");
      assertThat(rejected).singleElement().asString().contains(message);
      assertThatThrownBy(() -> hub.getRepository("camunda", "zeebe"))
          .isInstanceOf(HubException.UnexpectedResponse.class)
          .hasMessageContaining(message)
          .message()
          .doesNotContain("moshi")
          .doesNotContain("Exception")
          .doesNotContain("$.");
    }
  }

  @Test
  void aCountBeyondTheCeilingFailsTheTargetAfterOneRequest() {
    fake.hook(
        r ->
            r.getUrl().encodedPath().startsWith("/v2/namespaces/huge/")
                ? FakeHub.jsonResponse(
                    200,
                    "{\"count\":1000000000,\"next\":\"x\",\"previous\":null,\"results\":["
                        + listItem("huge", "a", 1, 0, "2026-11-22T09:00:00Z")
                        + "]}")
                : null);
    try (DockerHub hub = DockerHub.builder().baseUrl(fake.url()).build()) {
      assertThatThrownBy(() -> hub.listRepositories("huge"))
          .isInstanceOfSatisfying(
              HubException.TooManyRepositories.class,
              e -> {
                assertThat(e.claimed()).isEqualTo(1_000_000_000L);
                assertThat(e.ceiling()).isEqualTo(DockerHub.DEFAULT_MAX_REPOSITORIES_PER_TARGET);
              })
          .hasMessage(
              "Docker Hub says 'huge' has 1,000,000,000 repositories, more than the 10,000 this"
                  + " client reads of one namespace");
    }
    assertThat(fake.requestsTo("/v2/namespaces/huge/")).hasSize(1);
  }

  @Test
  void aCountThatClaimsMorePagesThanThereAreCostsABoundedNumberOfRequests() {
    // The Hub claims 9,000 repositories; its pages end with page 3 (short), every walk.
    fake.hook(
        r -> {
          if (!r.getUrl().encodedPath().startsWith("/v2/namespaces/liar/")) {
            return null;
          }
          int page = Integer.parseInt(r.getUrl().queryParameter("page"));
          int size = page < 3 ? 100 : page == 3 ? 40 : 0;
          StringBuilder items = new StringBuilder();
          for (int i = 0; i < size; i++) {
            items
                .append(i == 0 ? "" : ",")
                .append(listItem("liar", "r" + page + "-" + i, 1, 0, "2026-11-22T09:00:00Z"));
          }
          return FakeHub.jsonResponse(
              200,
              "{\"count\":9000,\"next\":"
                  + (size == 100 ? "\"more\"" : "null")
                  + ",\"previous\":null,\"results\":["
                  + items
                  + "]}");
        });
    try (DockerHub hub = DockerHub.builder().baseUrl(fake.url()).maxConcurrentRequests(4).build()) {
      assertThatThrownBy(() -> hub.listRepositories("liar"))
          .isInstanceOf(HubException.ListingChanged.class)
          .hasMessageContaining("the pages ended after 3 of the 90 the count said");
    }
    // Three walks, each the first page, pages 2 to 5 at once, and page 6 asked when page 2 came
    // back; page 3 then ends the walk (page 6 may still be on its way when it does).
    assertThat(fake.requestsTo("/v2/namespaces/liar/")).hasSizeBetween(3 * (1 + 4), 3 * (1 + 5));
  }

  @Test
  void missingAndNullFieldsStayAbsentNeverZero() {
    fake.organizationItems(
        "old",
        List.of(
            "{\"name\":\"a\",\"namespace\":\"old\",\"pull_count\":5,\"star_count\":null,\"last_updated\":null,\"unknown\":{\"x\":[1]}}",
            "{\"name\":\"b\",\"namespace\":\"old\",\"pull_count\":6}",
            "{\"name\":\"c\",\"namespace\":\"old\",\"pull_count\":7,\"star_count\":2,\"last_updated\":\"2020-04-30T14:19:23Z\"}"));
    try (DockerHub hub = DockerHub.builder().baseUrl(fake.url()).build()) {
      List<RepositoryStats> repos = hub.listRepositories("old").repositories();
      assertThat(repos.get(0).starCount()).isEmpty();
      assertThat(repos.get(0).lastUpdated()).isEmpty();
      assertThat(repos.get(1).starCount()).isEmpty();
      assertThat(repos.get(1).collaboratorCount()).isEmpty();
      assertThat(repos.get(2).starCount()).hasValue(2);
      assertThat(repos.get(2).lastUpdated()).hasValue(Instant.parse("2020-04-30T14:19:23Z"));
    }
  }

  @Test
  void anEntryWithoutPullCountIsAnUnexpectedResponse() {
    fake.organizationItems("broken", List.of("{\"name\":\"a\",\"namespace\":\"broken\"}"));
    try (DockerHub hub = DockerHub.builder().baseUrl(fake.url()).build()) {
      assertThatThrownBy(() -> hub.listRepositories("broken"))
          .isInstanceOf(HubException.UnexpectedResponse.class)
          .hasMessageContaining("broken/a has no pull_count");
    }
  }

  @Test
  void timesWithZeroToNineFractionDigitsAreRead() {
    fake.organizationItems(
        "tt",
        List.of(
            listItem("tt", "a", 1, 0, "2021-12-20T17:19:58Z"),
            listItem("tt", "b", 1, 0, "2021-12-20T17:19:58.88296Z"),
            listItem("tt", "c", 1, 0, "2021-12-20T17:19:58.733138382Z")));
    try (DockerHub hub = DockerHub.builder().baseUrl(fake.url()).build()) {
      assertThat(hub.listRepositories("tt").repositories())
          .extracting(r -> r.lastUpdated().orElseThrow())
          .containsExactly(
              Instant.parse("2021-12-20T17:19:58Z"),
              Instant.parse("2021-12-20T17:19:58.882960Z"),
              Instant.parse("2021-12-20T17:19:58.733138382Z"));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "..",
        "a/b",
        "cam%2Funda",
        "cam?unda",
        "cam unda",
        "Camunda",
        "-camunda",
        "camunda-",
        "",
        "x",
        "abcdefghijklmnopqrstuvwxyz012345"
      })
  void invalidNamespacesAreRefusedBeforeAnyRequest(String name) {
    try (DockerHub hub = DockerHub.builder().baseUrl(fake.url()).build()) {
      assertThatThrownBy(() -> hub.listRepositories(name))
          .isInstanceOf(HubException.InvalidName.class)
          .hasMessageStartingWith("invalid namespace");
    }
    assertThat(fake.requests()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "a/b", "x%2F..", "a b", "HTTPD", "-httpd", "httpd-", "a..b"})
  void invalidRepositoryNamesAreRefusedBeforeAnyRequest(String name) {
    try (DockerHub hub = DockerHub.builder().baseUrl(fake.url()).build()) {
      assertThatThrownBy(() -> hub.getRepository("library", name))
          .isInstanceOf(HubException.InvalidName.class)
          .hasMessageStartingWith("invalid repository name");
    }
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void aCloudflareChallengeWithStatus200IsAnUnexpectedResponse() {
    fake.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "text/html; charset=UTF-8")
            .body(
                "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title></head></html>")
            .build());
    try (DockerHub hub = DockerHub.builder().baseUrl(fake.url()).build()) {
      assertThatThrownBy(() -> hub.listRepositories("camunda"))
          .isInstanceOfSatisfying(
              HubException.UnexpectedResponse.class,
              e -> {
                assertThat(e.status()).isEqualTo(200);
                assertThat(e.excerpt()).contains("Just a moment...");
              })
          .hasMessageContaining("text/html")
          .hasMessageContaining("instead of JSON");
    }
  }

  @Test
  void aCloudflareBlockWithStatus403IsAnUnexpectedResponse() {
    fake.enqueue(
        new MockResponse.Builder()
            .code(403)
            .addHeader("Content-Type", "text/plain; charset=UTF-8")
            .body("error code: 1010")
            .build());
    try (DockerHub hub = DockerHub.builder().baseUrl(fake.url()).build()) {
      assertThatThrownBy(() -> hub.listRepositories("camunda"))
          .isInstanceOfSatisfying(
              HubException.UnexpectedResponse.class, e -> assertThat(e.status()).isEqualTo(403))
          .hasMessageContaining("error code: 1010");
    }
  }

  @Test
  void progressIsReportedPageByPage() {
    fake.credentials("reader", "dckr_pat_secret").organization("camunda", 350);
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (DockerHub hub =
        DockerHub.builder()
            .baseUrl(fake.url())
            .credentials(Credentials.of("reader", "dckr_pat_secret"))
            .listener(
                new HubListener() {
                  @Override
                  public void onListingProgress(String ns, int fetched, int known) {
                    seen.add(fetched + "/" + known);
                  }
                })
            .build()) {
      hub.listRepositories("camunda");
    }
    assertThat(seen).containsExactlyInAnyOrder("1/4", "2/4", "3/4", "4/4");
  }
}
