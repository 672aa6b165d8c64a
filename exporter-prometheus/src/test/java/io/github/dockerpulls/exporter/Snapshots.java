package io.github.dockerpulls.exporter;

import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.PullLimit;
import io.github.dockerpulls.hub.RateLimit;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.TargetResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Hand-made snapshots for the exporter's tests. */
final class Snapshots {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private Snapshots() {}

  static RepositoryStats repo(String ns, String name, long pulls, Long stars, String updated) {
    return new RepositoryStats(
        ns,
        name,
        pulls,
        stars == null ? OptionalLong.empty() : OptionalLong.of(stars),
        Optional.ofNullable(updated).map(Instant::parse),
        OptionalLong.empty());
  }

  static Snapshot of(Instant at, TargetResult... results) {
    return Snapshot.of(
        at, Duration.ofMillis(420), List.of(results), Optional.empty(), Optional.empty());
  }

  static Snapshot withLimits(Instant at, RateLimit rate, PullLimit pull, TargetResult... results) {
    return Snapshot.of(
        at, Duration.ofMillis(1250), List.of(results), Optional.of(rate), Optional.of(pull));
  }

  static TargetResult ok(String target, RepositoryStats... repos) {
    return TargetResult.success(Target.parse(target), List.of(repos));
  }

  static TargetResult failed(String target, HubException e) {
    return TargetResult.failure(Target.parse(target), e);
  }
}
