package io.github.dockerpulls.hub.internal;

import com.squareup.moshi.JsonDataException;
import io.github.dockerpulls.hub.Credentials;
import io.github.dockerpulls.hub.DockerHub;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.HubListener;
import io.github.dockerpulls.hub.PullLimit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The registry side of the client: asks the registry's token service for a pull token and reads the
 * pull rate limit from the headers of a manifest {@code HEAD}, which Docker documents as not
 * counting as a pull. Apart from the repository listing, whose Hub may be on plain HTTP while the
 * registry is not.
 */
final class RegistryProbe {
  private final HubClient.Config config;
  private final OkHttpClient okHttp;
  private final HubHttp http;
  private final HubListener recording;
  private volatile HubHttp registryHttp;

  RegistryProbe(HubClient.Config config, OkHttpClient okHttp, HubHttp http, HubListener recording) {
    this.config = config;
    this.okHttp = okHttp;
    this.http = http;
    this.recording = recording;
  }

  /** The client for the registry: the Hub's, unless that one speaks only plain HTTP. */
  private HubHttp registryHttp() {
    boolean tls = config.registryUrl().isHttps() || config.registryAuthUrl().isHttps();
    if (!tls || config.baseUrl().isHttps()) {
      return http;
    }
    HubHttp r = registryHttp;
    if (r == null) {
      synchronized (this) {
        r = registryHttp;
        if (r == null) {
          OkHttpClient withTls =
              okHttp
                  .newBuilder()
                  .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
                  .build();
          r =
              new HubHttp(
                  withTls,
                  config.userAgent(),
                  config.retryPolicy(),
                  config.clock(),
                  config.sleeper(),
                  recording);
          registryHttp = r;
        }
      }
    }
    return r;
  }

  /** The registry's pull rate limit for the configured caller (anonymous without credentials). */
  PullLimit pullLimit() {
    HttpUrl tokenUrl =
        config
            .registryAuthUrl()
            .newBuilder()
            .addPathSegment("token")
            .addQueryParameter("service", "registry.docker.io")
            .addQueryParameter("scope", "repository:ratelimitpreview/test:pull")
            .build();
    Request.Builder tokenRequest = new Request.Builder().url(tokenUrl).get();
    Credentials credentials = config.credentials();
    if (credentials != null) {
      String basic = credentials.identifier() + ":" + credentials.secret();
      tokenRequest.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }
    HubHttp registry = registryHttp();
    HubHttp.Answer tokenAnswer = registry.send(tokenRequest.build(), "registry_token", null);
    if (tokenAnswer.status() == 404) {
      throw new HubException.UnexpectedResponse(
          "the registry's token service at "
              + tokenUrl.newBuilder().query(null).build()
              + " answered 404 Not Found: is the registry auth URL the"
              + " token service, such as "
              + DockerHub.DEFAULT_REGISTRY_AUTH_URL
              + "?",
          404,
          HubHttp.excerpt(tokenAnswer));
    }
    if (!tokenAnswer.isSuccessful()) {
      throw HubErrors.toException(tokenAnswer, "the registry token", credentials != null);
    }
    HubErrors.requireJson(tokenAnswer, "the registry token");
    String token;
    try {
      HubJson.RegistryToken parsed = HubJson.REGISTRY_TOKEN.fromJson(tokenAnswer.body());
      token =
          parsed == null ? null : parsed.token() != null ? parsed.token() : parsed.accessToken();
    } catch (IOException | JsonDataException e) {
      token = null;
    }
    if (token == null || token.isBlank()) {
      throw new HubException.UnexpectedResponse(
          "the registry's token answer had no token", tokenAnswer.status(), "");
    }

    HttpUrl manifestUrl =
        config
            .registryUrl()
            .newBuilder()
            .addPathSegments("v2/ratelimitpreview/test/manifests/latest")
            .build();
    Request head =
        new Request.Builder()
            .url(manifestUrl)
            .head()
            .header("Authorization", "Bearer " + token)
            .header(
                "Accept",
                "application/vnd.docker.distribution.manifest.v2+json,"
                    + " application/vnd.docker.distribution.manifest.list.v2+json,"
                    + " application/vnd.oci.image.index.v1+json,"
                    + " application/vnd.oci.image.manifest.v1+json")
            .build();
    HubHttp.Answer answer = registry.send(head, "registry_manifest", null, false, null);
    PullLimit limit = Headers.pullLimit(answer.headers());
    if (answer.status() == 429) {
      if (limit.limit().isPresent()) {
        return limit;
      }
      Instant now = config.clock().instant();
      Instant retryAt =
          Headers.retryAt(answer.headers(), now).orElse(now.plus(Duration.ofHours(1)));
      throw new HubException.RateLimited(
          "the registry's pull rate limit for this caller is used up", retryAt);
    }
    if (!answer.isSuccessful()) {
      if (answer.status() == 401) {
        throw new HubException.Unauthorized(
            "the registry refused its own token for the rate-limit check (401)",
            credentials != null);
      }
      throw new HubException.UnexpectedResponse(
          "the registry answered the rate-limit check with status " + answer.status(),
          answer.status(),
          "");
    }
    return limit;
  }
}
