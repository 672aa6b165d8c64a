package io.github.dockerpulls.history;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * Pulls per period for a set of repositories: what {@code dockerpulls report}, the exporter's
 * {@code /api/v1/history} and its page show.
 *
 * @param since the first period's start
 * @param until the end of the window (the last period may end later: it is not over yet)
 * @param by the length of the periods
 * @param zone the time zone whose calendar days the periods follow
 * @param repositories the repositories with at least one observation, by namespace and name
 */
public record HistoryReport(
    Instant since,
    Instant until,
    Granularity by,
    ZoneId zone,
    List<RepositoryHistory> repositories) {
  public HistoryReport {
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(zone, "zone");
    repositories = List.copyOf(repositories);
  }
}
