package io.github.dockerpulls.history;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One figure of Docker Hub Insights, as an import reads it: the pulls of a repository (or of one of
 * its tags, countries, cloud providers or clients) over a complete week or month. Figures of the
 * same repository, period, dimension and key given to one {@link InsightsBatch} are summed, as a
 * trends report's rows per country, cloud and client are.
 *
 * @param by {@link Granularity#WEEK} (ISO weeks, Monday to Sunday, UTC) or {@link
 *     Granularity#MONTH}
 * @param start the first day of the period, in UTC
 * @param namespace the repository's namespace
 * @param name the repository's name
 * @param dimension what {@code key} names
 * @param key the tag or digest, the country, the provider or the client; empty for {@link
 *     Dimension#REPOSITORY}
 * @param downloads the data downloads, null when the source does not say
 * @param versionChecks the version checks, null when the source does not say
 * @param pulls all pulls: downloads plus version checks where both are known, else what the source
 *     counted
 * @param uniqueIps the distinct IP addresses (or users) that pulled, null when not given; never
 *     summed over keys, only kept for the repository
 */
public record InsightFigure(
    Granularity by,
    LocalDate start,
    String namespace,
    String name,
    Dimension dimension,
    String key,
    Long downloads,
    Long versionChecks,
    long pulls,
    Long uniqueIps) {

  /** What a figure is about. The numbers are stored: never reorder. */
  public enum Dimension {
    REPOSITORY,
    TAG,
    COUNTRY,
    CLOUD,
    CLIENT;

    /** {@code tag}, {@code country}, ...: how the JSON and the docs name it. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public InsightFigure {
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dimension, "dimension");
    Objects.requireNonNull(key, "key");
    if (by == Granularity.DAY) {
      throw new IllegalArgumentException("Insights are weekly or monthly, not daily");
    }
    if (by == Granularity.WEEK && start.getDayOfWeek() != java.time.DayOfWeek.MONDAY) {
      throw new IllegalArgumentException("a week starts on a Monday, not on " + start);
    }
    if (by == Granularity.MONTH && start.getDayOfMonth() != 1) {
      throw new IllegalArgumentException("a month starts on its first day, not on " + start);
    }
    if (pulls < 0
        || (downloads != null && downloads < 0)
        || (versionChecks != null && versionChecks < 0)
        || (uniqueIps != null && uniqueIps < 0)) {
      throw new IllegalArgumentException("a count is negative");
    }
  }

  /** {@code pulls} as the issue defines it: downloads plus version checks when both are known. */
  public static long pulls(Long downloads, Long versionChecks, Long counted) {
    if (downloads != null && versionChecks != null) {
      return downloads + versionChecks;
    }
    if (counted != null) {
      return counted;
    }
    return (downloads == null ? 0 : downloads) + (versionChecks == null ? 0 : versionChecks);
  }

  /** The end of the period: the first day of the next. */
  public LocalDate end() {
    return by == Granularity.WEEK ? start.plusWeeks(1) : start.plusMonths(1);
  }
}
