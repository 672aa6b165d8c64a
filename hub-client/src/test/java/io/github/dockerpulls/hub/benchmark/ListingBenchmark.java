package io.github.dockerpulls.hub.benchmark;

import io.github.dockerpulls.hub.Credentials;
import io.github.dockerpulls.hub.DockerHub;
import io.github.dockerpulls.hub.RepositoryListing;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Lists an organization of 5,000 repositories behind a server that answers every request after 50
 * ms, and prints the wall time and the request count of each walk. See docs/benchmarks.md.
 *
 * <p>Arguments: {@code [concurrency] [runs]}; concurrency defaults to the client's default.
 */
public final class ListingBenchmark {
  private ListingBenchmark() {}

  public static void main(String[] args) throws java.io.IOException {
    int concurrency =
        args.length > 0 ? Integer.parseInt(args[0]) : DockerHub.DEFAULT_MAX_CONCURRENT_REQUESTS;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int warmups = 3;
    List<Double> seconds = new ArrayList<>();
    try (SlowHub fake = new SlowHub("bigorg", 5000, Long.getLong("delay", 50))) {
      try (DockerHub hub =
          DockerHub.builder()
              .baseUrl(fake.url())
              .credentials(Credentials.of("bench", "secret"))
              .maxConcurrentRequests(concurrency)
              .build()) {
        for (int i = 0; i < warmups + runs; i++) {
          int before = fake.listRequests();
          long start = System.nanoTime();
          RepositoryListing listing = hub.listRepositories("bigorg");
          double took = (System.nanoTime() - start) / 1e9;
          int requests = fake.listRequests() - before;
          if (listing.repositories().size() != 5000) {
            throw new IllegalStateException(
                "listed " + listing.repositories().size() + " repositories");
          }
          if (i >= warmups) {
            seconds.add(took);
            System.out.printf(
                Locale.ROOT, "run %2d: %.3f s, %d requests%n", i - warmups + 1, took, requests);
          }
        }
      }
    }
    Collections.sort(seconds);
    System.out.printf(
        Locale.ROOT,
        "concurrency %d, %d runs: median %.3f s, min %.3f s, max %.3f s%n",
        concurrency,
        runs,
        seconds.get(seconds.size() / 2),
        seconds.get(0),
        seconds.get(seconds.size() - 1));
  }
}
