package io.github.dockerpulls.elasticsearch;

import io.github.dockerpulls.hub.RepositoryStats;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One repository at one observation, in the Metricbeat shape:
 *
 * <pre>{@code
 * {"@timestamp": "...", "http": {"docker_hub": {"namespace", "name", "repository",
 *   "pull_count", "star_count", "collaborator_count", "last_updated", "pull_count_delta"}}}
 * }</pre>
 *
 * A value the Hub did not give is left out, as is the delta of a first observation.
 */
public final class PullDocument {
  private PullDocument() {}

  /**
   * The document's {@code _id}: the repository and the observation time, so that writing the same
   * observation again replaces it instead of adding a second one.
   */
  public static String id(RepositoryStats repository, Instant observedAt) {
    return repository.namespace() + "/" + repository.name() + "@" + timestamp(observedAt);
  }

  /** The document's source, with its fields in a fixed order. */
  public static Map<String, Object> source(
      RepositoryStats repository, Instant observedAt, OptionalLong pullCountDelta) {
    Map<String, Object> hub = new LinkedHashMap<>();
    hub.put("namespace", repository.namespace());
    hub.put("name", repository.name());
    hub.put("repository", repository.fullName());
    hub.put("pull_count", repository.pullCount());
    repository.starCount().ifPresent(n -> hub.put("star_count", n));
    repository.collaboratorCount().ifPresent(n -> hub.put("collaborator_count", n));
    repository.lastUpdated().ifPresent(t -> hub.put("last_updated", timestamp(t)));
    pullCountDelta.ifPresent(n -> hub.put("pull_count_delta", n));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("@timestamp", timestamp(observedAt));
    doc.put("http", Map.of("docker_hub", hub));
    return doc;
  }

  /** ISO-8601 in UTC with exactly milliseconds, as Metricbeat wrote {@code @timestamp}. */
  static String timestamp(Instant t) {
    return MILLIS.format(t);
  }

  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
}
