package io.github.dockerpulls.hub;

import java.time.Duration;

/**
 * One HTTP exchange with Docker Hub, as a {@link HubListener} sees it.
 *
 * @param endpoint which API was called, without names or ids: {@code list_repositories}, {@code
 *     get_repository}, {@code auth_token}, {@code registry_token}, {@code registry_manifest}
 * @param status the HTTP status, or 0 when no answer came (a refused connection, a timeout)
 * @param duration how long the exchange took
 * @param attempt 1 for the first try, 2 for the first retry, and so on
 */
public record RequestEvent(String endpoint, int status, Duration duration, int attempt) {}
