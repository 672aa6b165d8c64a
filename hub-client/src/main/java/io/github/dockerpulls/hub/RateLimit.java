package io.github.dockerpulls.hub;

import java.time.Instant;

/**
 * The Hub API's request budget, as its {@code X-RateLimit-*} headers announced it in the latest
 * answer (180 requests a minute for anonymous callers at the time of writing).
 *
 * @param limit requests allowed in the current window
 * @param remaining requests left in the current window
 * @param reset when the window starts again; {@link Instant#EPOCH} when the Hub did not say
 */
public record RateLimit(long limit, long remaining, Instant reset) {}
