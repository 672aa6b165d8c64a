package io.github.dockerpulls.hub.internal;

import io.github.dockerpulls.hub.PullLimit;
import io.github.dockerpulls.hub.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the rate-limit headers of the Hub API and the registry. Never throws on bad values. */
final class Headers {
  /** Numbers above this in Retry-After are epoch seconds, not a delay (seen on the Hub in 2025). */
  static final long EPOCH_THRESHOLD = 1_000_000_000L;

  private static final Pattern LIMIT_WITH_WINDOW =
      Pattern.compile("\\s*(\\d*)\\s*(?:;\\s*w\\s*=\\s*(\\d+))?.*");

  private Headers() {}

  /** {@code X-RateLimit-Limit/Remaining/Reset}, when the limit and remaining are present. */
  static Optional<RateLimit> rateLimit(okhttp3.Headers headers) {
    OptionalLong limit = number(headers.get("X-RateLimit-Limit"));
    OptionalLong remaining = number(headers.get("X-RateLimit-Remaining"));
    if (limit.isEmpty() || remaining.isEmpty()) {
      return Optional.empty();
    }
    OptionalLong reset = number(headers.get("X-RateLimit-Reset"));
    Instant resetAt = reset.isPresent() ? Instant.ofEpochSecond(reset.getAsLong()) : Instant.EPOCH;
    return Optional.of(new RateLimit(limit.getAsLong(), remaining.getAsLong(), resetAt));
  }

  /**
   * When a 429 answer allows the next request: {@code Retry-After} (seconds, an epoch time when
   * above {@link #EPOCH_THRESHOLD}, or an HTTP date), then {@code X-Retry-After}, then {@code
   * X-RateLimit-Reset}; empty when none of them says.
   */
  static Optional<Instant> retryAt(okhttp3.Headers headers, Instant now) {
    for (String name : new String[] {"Retry-After", "X-Retry-After"}) {
      String value = headers.get(name);
      if (value == null || value.isBlank()) {
        continue;
      }
      OptionalLong n = number(value);
      if (n.isPresent()) {
        long v = n.getAsLong();
        return Optional.of(v > EPOCH_THRESHOLD ? Instant.ofEpochSecond(v) : now.plusSeconds(v));
      }
      try {
        return Optional.of(
            ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      } catch (DateTimeParseException ignored) {
        // Not a date either: look at the next header.
      }
    }
    OptionalLong reset = number(headers.get("X-RateLimit-Reset"));
    if (reset.isPresent() && reset.getAsLong() > EPOCH_THRESHOLD) {
      return Optional.of(Instant.ofEpochSecond(reset.getAsLong()));
    }
    return Optional.empty();
  }

  /**
   * The registry's {@code ratelimit-limit: 100;w=21600}, {@code ratelimit-remaining: 76;w=21600}
   * and {@code docker-ratelimit-source}. Missing headers mean unlimited; empty numbers unknown.
   */
  static PullLimit pullLimit(okhttp3.Headers headers) {
    String limitHeader = headers.get("ratelimit-limit");
    String remainingHeader = headers.get("ratelimit-remaining");
    OptionalLong limit = OptionalLong.empty();
    Optional<Duration> window = Optional.empty();
    if (limitHeader != null) {
      Matcher m = LIMIT_WITH_WINDOW.matcher(limitHeader);
      if (m.matches()) {
        limit = number(m.group(1));
        if (m.group(2) != null) {
          window = number(m.group(2)).stream().mapToObj(Duration::ofSeconds).findFirst();
        }
      }
    }
    OptionalLong remaining = OptionalLong.empty();
    if (remainingHeader != null) {
      Matcher m = LIMIT_WITH_WINDOW.matcher(remainingHeader);
      if (m.matches()) {
        remaining = number(m.group(1));
        if (window.isEmpty() && m.group(2) != null) {
          window = number(m.group(2)).stream().mapToObj(Duration::ofSeconds).findFirst();
        }
      }
    }
    if (limit.isEmpty()) {
      remaining = OptionalLong.empty();
    }
    String source = headers.get("docker-ratelimit-source");
    return new PullLimit(
        limit,
        remaining,
        window,
        source == null || source.isBlank() ? Optional.empty() : Optional.of(source.strip()));
  }

  static OptionalLong number(String text) {
    if (text == null) {
      return OptionalLong.empty();
    }
    String s = text.strip();
    if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(Character::isDigit)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(s));
  }
}
