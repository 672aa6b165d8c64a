package io.github.dockerpulls.exporter.testing;

import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.PullLimit;
import io.github.dockerpulls.hub.RateLimit;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.TargetResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Hand-made snapshots for the exporter's tests. */
public final class Snapshots {
  public static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private Snapshots() {}

  public static RepositoryStats repo(
      String ns, String name, long pulls, Long stars, String updated) {
    return new RepositoryStats(
        ns,
        name,
        pulls,
        stars == null ? OptionalLong.empty() : OptionalLong.of(stars),
        Optional.ofNullable(updated).map(Instant::parse),
        OptionalLong.empty());
  }

  public static Snapshot of(Instant at, TargetResult... results) {
    return Snapshot.of(
        at, Duration.ofMillis(420), List.of(results), Optional.empty(), Optional.empty());
  }

  public static Snapshot withLimits(
      Instant at, RateLimit rate, PullLimit pull, TargetResult... results) {
    return Snapshot.of(
        at, Duration.ofMillis(1250), List.of(results), Optional.of(rate), Optional.of(pull));
  }

  public static TargetResult ok(String target, RepositoryStats... repos) {
    return TargetResult.success(Target.parse(target), List.of(repos));
  }

  public static TargetResult failed(String target, HubException e) {
    return TargetResult.failure(Target.parse(target), e);
  }

  /** A golden file of src/test/resources/golden. */
  public static String golden(String name) throws IOException {
    try (InputStream in = Snapshots.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The snapshot behind golden/metrics.txt: two targets, one failing, limits known. */
  public static Snapshot goldenSnapshot() {
    return Snapshots.withLimits(
        T0,
        new RateLimit(180, 129, Instant.parse("2026-11-22T10:01:00Z")),
        new PullLimit(
            OptionalLong.of(100),
            OptionalLong.of(76),
            Optional.of(Duration.ofHours(6)),
            Optional.of("192.0.2.10")),
        ok(
            "camunda",
            repo("camunda", "camunda-bpm-platform", 123_456_789L, 450L, "2026-11-20T08:15:00Z"),
            repo("camunda", "zeebe", 9_876_543L, 120L, "2026-11-21T17:45:30.5Z"),
            repo("camunda", "operate", 2_244_658_322L, null, null)),
        failed("library/gone", new HubException.NotFound("Docker Hub does not know library/gone")));
  }
}
