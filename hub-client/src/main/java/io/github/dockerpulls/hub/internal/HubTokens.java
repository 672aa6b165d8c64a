package io.github.dockerpulls.hub.internal;

import io.github.dockerpulls.hub.Credentials;
import io.github.dockerpulls.hub.HubException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Exchanges credentials for a Hub access token ({@code POST /v2/auth/token}) and keeps it until
 * shortly before it expires. The Hub's tokens last 10 minutes; the expiry is read from the JWT's
 * {@code exp} claim when there is one.
 */
final class HubTokens implements HubHttp.Tokens {
  /** How long a token is assumed to live when its expiry cannot be read. */
  static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(10);

  /** A token is renewed this long before it expires. */
  static final Duration RENEW_BEFORE = Duration.ofMinutes(1);

  /** A fresh token is reused at least this long, whatever its claims say. */
  static final Duration MIN_REUSE = Duration.ofSeconds(30);

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final HubHttp http;
  private final HttpUrl authUrl;
  private final Credentials credentials;
  private String token;
  private Instant renewAt = Instant.EPOCH;

  HubTokens(HubHttp http, HttpUrl baseUrl, Credentials credentials) {
    this.http = http;
    this.authUrl = baseUrl.newBuilder().addPathSegments("v2/auth/token").build();
    this.credentials = credentials;
  }

  @Override
  public synchronized String current() {
    Instant now = http.clock().instant();
    if (token == null || !now.isBefore(renewAt)) {
      token = fetch();
      Instant renew = expiry(token, now).minus(RENEW_BEFORE);
      // A token that looks expired already (clock skew) is still used for a short while; a 401
      // renews it anyway.
      Instant earliest = now.plus(MIN_REUSE);
      renewAt = renew.isAfter(earliest) ? renew : earliest;
    }
    return token;
  }

  @Override
  public synchronized void invalidate(String refused) {
    if (refused.equals(token)) {
      token = null;
    }
  }

  private String fetch() {
    String body =
        HubJson.TOKEN_REQUEST.toJson(
            new HubJson.TokenRequest(credentials.identifier(), credentials.secret()));
    Request request =
        new Request.Builder().url(authUrl).post(RequestBody.create(body, JSON)).build();
    HubHttp.Answer answer = http.send(request, "auth_token", null);
    if (answer.status() == 401 || answer.status() == 403 || answer.status() == 400) {
      String reason = HubJson.errorMessage(answer.body());
      throw new HubException.Unauthorized(
          "Docker Hub refused the credentials of '"
              + credentials.identifier()
              + "' ("
              + answer.status()
              + (reason.isEmpty() ? "" : " " + HubHttp.oneLine(reason, 100))
              + "): check the username (or organization name) and that the token is valid and"
              + " not expired",
          true);
    }
    HubErrors.requireJson(answer, "the token exchange");
    try {
      HubJson.HubToken parsed = HubJson.HUB_TOKEN.fromJson(answer.body());
      if (parsed == null || parsed.accessToken() == null || parsed.accessToken().isBlank()) {
        throw new IOException("no access_token");
      }
      return parsed.accessToken();
    } catch (IOException | RuntimeException e) {
      throw new HubException.UnexpectedResponse(
          "Docker Hub's token answer had no access_token", answer.status(), "");
    }
  }

  /** The {@code exp} claim of a JWT, or {@code now + 10 minutes} when it has none. */
  static Instant expiry(String jwt, Instant now) {
    String[] parts = jwt.split("\\.");
    if (parts.length >= 2) {
      try {
        String payload =
            new String(
                Base64.getUrlDecoder().decode(parts[1].replace("=", "")), StandardCharsets.UTF_8);
        HubJson.JwtClaims claims = HubJson.JWT_CLAIMS.fromJson(payload);
        if (claims != null && claims.exp() != null) {
          return Instant.ofEpochSecond(claims.exp());
        }
      } catch (IOException | RuntimeException unreadable) {
        // An opaque token: assume the documented lifetime.
      }
    }
    return now.plus(DEFAULT_LIFETIME);
  }
}
