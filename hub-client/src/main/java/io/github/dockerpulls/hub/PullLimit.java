package io.github.dockerpulls.hub;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The registry's pull rate limit for the caller (an IP address or an account), read from the {@code
 * ratelimit-*} headers of a manifest {@code HEAD}, which does not count as a pull.
 *
 * <p>Paid accounts get no headers at all: then {@link #limit()} is empty and {@link #isUnlimited()}
 * is true. Headers with an empty number ({@code ;w=21600}) also leave the values empty.
 *
 * @param limit pulls allowed per window, empty when unlimited or unknown
 * @param remaining pulls left in the window, empty when unlimited or unknown
 * @param window the window's length, when the Hub gave it
 * @param source whom the limit applies to: an IP address, a /64 prefix or an account id
 */
public record PullLimit(
    OptionalLong limit,
    OptionalLong remaining,
    Optional<Duration> window,
    Optional<String> source) {

  /** True when the registry announced no limit for this caller. */
  public boolean isUnlimited() {
    return limit.isEmpty();
  }
}
