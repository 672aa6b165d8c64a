package io.github.dockerpulls.hub;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One tag of a repository, as Docker Hub's tags listing gives it. The Hub keeps no pull count per
 * tag: {@code lastPulled} is the last time anything fetched it, crawlers and scanners included (one
 * publisher saw 99.5% of its tags touched about every 80 days), so "not pulled since" is a safe
 * claim and "pulled recently" is no proof of use.
 *
 * @param name the tag, such as {@code 8.7.0} or {@code latest}
 * @param digest the digest of what it points to (an index for multi-architecture images), when
 *     given
 * @param fullSize its compressed size in bytes, when given
 * @param lastPushed when it was last pushed, when known
 * @param lastPulled when it was last pulled, when known
 * @param status {@code active} or {@code inactive} as the Hub says, or empty
 * @param images one entry per platform
 */
public record Tag(
    String name,
    Optional<String> digest,
    OptionalLong fullSize,
    Optional<Instant> lastPushed,
    Optional<Instant> lastPulled,
    Optional<String> status,
    List<Image> images) {
  public Tag {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(fullSize, "fullSize");
    Objects.requireNonNull(lastPushed, "lastPushed");
    Objects.requireNonNull(lastPulled, "lastPulled");
    Objects.requireNonNull(status, "status");
    images = List.copyOf(images);
  }

  /**
   * One platform's image of a tag.
   *
   * @param architecture such as {@code amd64}, when given
   * @param os such as {@code linux}, when given
   * @param size its compressed size in bytes, when given
   * @param lastPulled when it was last pulled, when known
   */
  public record Image(
      Optional<String> architecture,
      Optional<String> os,
      OptionalLong size,
      Optional<Instant> lastPulled) {
    public Image {
      Objects.requireNonNull(architecture, "architecture");
      Objects.requireNonNull(os, "os");
      Objects.requireNonNull(size, "size");
      Objects.requireNonNull(lastPulled, "lastPulled");
    }
  }
}
