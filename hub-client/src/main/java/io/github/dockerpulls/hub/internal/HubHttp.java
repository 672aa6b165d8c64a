package io.github.dockerpulls.hub.internal;

import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.HubListener;
import io.github.dockerpulls.hub.RequestEvent;
import io.github.dockerpulls.hub.RetryPolicy;
import io.github.dockerpulls.hub.Sleeper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends one logical request to Docker Hub: waits for the {@link RequestGate}, adds the User-Agent
 * and the bearer token, retries 5xx answers, timeouts and broken connections with jittered
 * exponential backoff, waits out 429 answers as the Hub asks, and renews the token once after a
 * 401. Whatever is left (2xx and other 4xx) goes back to the caller as an {@link Answer}.
 */
public final class HubHttp {
  /** A final answer. The body is read whole: Hub answers are small (100 repositories a page). */
  public record Answer(int status, okhttp3.Headers headers, String contentType, String body) {
    boolean isSuccessful() {
      return status >= 200 && status < 300;
    }
  }

  /** Supplies bearer tokens; {@code invalidate} forgets one the Hub refused. */
  interface Tokens {
    String current();

    void invalidate(String token);
  }

  private final OkHttpClient client;
  private final String userAgent;
  private final RetryPolicy retry;
  private final Clock clock;
  private final Sleeper sleeper;
  private final HubListener listener;
  private final RequestGate gate;

  HubHttp(
      OkHttpClient client,
      String userAgent,
      RetryPolicy retry,
      Clock clock,
      Sleeper sleeper,
      HubListener listener) {
    this.client = client;
    this.userAgent = userAgent;
    this.retry = retry;
    this.clock = clock;
    this.sleeper = sleeper;
    this.listener = listener;
    this.gate = new RequestGate(clock, sleeper);
  }

  Clock clock() {
    return clock;
  }

  /**
   * Sends {@code request}, retrying as the policy allows.
   *
   * @param endpoint the name listeners see, such as {@code list_repositories}
   * @param tokens the bearer token source, or null for an anonymous request
   */
  Answer send(Request request, String endpoint, Tokens tokens) {
    return send(request, endpoint, tokens, true, null);
  }

  /**
   * Like {@link #send(Request, String, Tokens)}, within a deadline.
   *
   * @param waitOnRateLimit false to hand a 429 answer back at once (the registry's manifest answers
   *     429 when the pull limit is used up, which is a result, not a reason to wait)
   * @param deadline when the caller gives up, or null for no limit but the retry policy's: no
   *     attempt starts after it, no wait reaches past it, and an exchange under way is cut off
   */
  Answer send(
      Request request, String endpoint, Tokens tokens, boolean waitOnRateLimit, Instant deadline) {
    Duration waited = Duration.ZERO;
    boolean renewedToken = false;
    int attempt = 0;
    IOException lastFailure = null;
    while (true) {
      attempt++;
      waited = waited.plus(awaitGate(request, waited, deadline));
      Duration left = remaining(deadline);
      if (left != null && left.isZero()) {
        throw outOfTime(request, attempt - 1, deadline, lastFailure);
      }
      String token = tokens == null ? null : tokens.current();
      Request.Builder builder = request.newBuilder().header("User-Agent", userAgent);
      if (token != null) {
        builder.header("Authorization", "Bearer " + token);
      }
      Answer answer;
      Instant started = clock.instant();
      try {
        answer = exchange(builder.build(), left);
      } catch (IOException e) {
        listener.onRequest(new RequestEvent(endpoint, 0, elapsed(started), attempt));
        if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
          throw new HubException.Unreachable("interrupted while talking to Docker Hub", e);
        }
        lastFailure = e;
        Duration pause = backoff(attempt);
        if (attempt >= retry.maxAttempts()
            || waited.plus(pause).compareTo(retry.maxTotalWait()) > 0) {
          throw new HubException.Unreachable(
              "could not reach Docker Hub at "
                  + withoutQuery(request)
                  + " after "
                  + attempt
                  + (attempt == 1 ? " attempt: " : " attempts: ")
                  + describe(e),
              e);
        }
        if (!fits(pause, deadline)) {
          throw outOfTime(request, attempt, deadline, e);
        }
        waited = waited.plus(pause);
        pause(pause);
        continue;
      }
      listener.onRequest(new RequestEvent(endpoint, answer.status(), elapsed(started), attempt));
      Headers.rateLimit(answer.headers())
          .ifPresent(
              limit -> {
                gate.observe(limit);
                listener.onRateLimit(limit);
              });

      int status = answer.status();
      if (status == 401 && token != null && !renewedToken) {
        tokens.invalidate(token);
        renewedToken = true;
        attempt--;
        continue;
      }
      if (status == 429 && waitOnRateLimit) {
        Instant now = clock.instant();
        Instant retryAt =
            Headers.retryAt(answer.headers(), now).orElse(now.plus(retry.backoffCeiling(attempt)));
        Duration pause = Duration.between(now, retryAt);
        if (pause.isNegative()) {
          pause = Duration.ZERO;
        }
        if (attempt >= retry.maxAttempts()
            || waited.plus(pause).compareTo(retry.maxTotalWait()) > 0
            || !fits(pause, deadline)) {
          // Not waited for here. The gate is left alone, so other callers (other targets of a
          // poller) still try: the Hub answers each of them itself.
          String message = HubJson.errorMessage(answer.body());
          throw new HubException.RateLimited(
              "Docker Hub's rate limit is exhausted"
                  + (message.isEmpty() ? "" : " (" + oneLine(message, 120) + ")")
                  + "; it accepts requests again at "
                  + retryAt,
              retryAt);
        }
        gate.blockUntil(retryAt, "Docker Hub answered 429 Too Many Requests");
        continue; // the gate holds the next attempt until retryAt, and counts that wait
      }
      if (status >= 500) {
        Duration pause = backoff(attempt);
        if (attempt >= retry.maxAttempts()
            || waited.plus(pause).compareTo(retry.maxTotalWait()) > 0
            || !fits(pause, deadline)) {
          String excerpt = excerpt(answer);
          throw new HubException.ServerError(
              "Docker Hub answered "
                  + status
                  + " to "
                  + request.method()
                  + " "
                  + request.url().encodedPath()
                  + (attempt == 1 ? "" : " " + attempt + " times")
                  + (excerpt.isEmpty() ? "" : ": " + excerpt),
              status);
        }
        waited = waited.plus(pause);
        pause(pause);
        continue;
      }
      return answer;
    }
  }

  /**
   * Waits until the gate lets a request through, but never longer than the retry policy's waiting
   * budget or the deadline allow: a longer hold ends in {@link HubException.RateLimited} at once,
   * with nothing sent.
   *
   * @return how long it held the request
   */
  private Duration awaitGate(Request request, Duration waited, Instant deadline) {
    Instant now = clock.instant();
    Instant notBefore = gate.notBefore();
    Duration hold = Duration.between(now, notBefore);
    if (!hold.isNegative() && !hold.isZero()) {
      Duration allowed = retry.maxTotalWait().minus(waited);
      if (hold.compareTo(allowed) > 0 || !fits(hold, deadline)) {
        throw new HubException.RateLimited(
            "Docker Hub's rate limit is used up until "
                + notBefore
                + ", longer than this request may wait; "
                + withoutQuery(request)
                + " was not sent",
            notBefore);
      }
    }
    if (!hold.isNegative() && !hold.isZero()) {
      listener.onRateLimitWait(
          notBefore,
          gate.lastReason().isEmpty()
              ? "Docker Hub's rate limit"
              : gate.lastReason() + " (" + withoutQuery(request) + ")");
    }
    try {
      gate.awaitTurn();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HubException.Unreachable("interrupted while talking to Docker Hub", e);
    }
    return hold.isNegative() ? Duration.ZERO : hold;
  }

  /** What is left until {@code deadline}: null without one, zero when it has passed. */
  private Duration remaining(Instant deadline) {
    if (deadline == null) {
      return null;
    }
    Duration left = Duration.between(clock.instant(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Whether a wait of {@code pause} ends before {@code deadline} (always, without one). */
  private boolean fits(Duration pause, Instant deadline) {
    return deadline == null || clock.instant().plus(pause).isBefore(deadline);
  }

  private HubException outOfTime(
      Request request, int attempts, Instant deadline, IOException lastFailure) {
    return new HubException.Unreachable(
        "Docker Hub did not answer "
            + withoutQuery(request)
            + " in the time allowed (until "
            + deadline
            + ")"
            + (attempts <= 0
                ? ""
                : " after " + attempts + (attempts == 1 ? " attempt" : " attempts"))
            + (lastFailure == null ? "" : ": " + describe(lastFailure)),
        lastFailure);
  }

  private static String withoutQuery(Request request) {
    return request.url().newBuilder().query(null).build().toString();
  }

  private Answer exchange(Request request, Duration left) throws IOException {
    Call call = client.newCall(request);
    if (left != null && left.toMillis() < client.callTimeoutMillis()) {
      // The deadline is nearer than the client's own call timeout: cut the exchange off there.
      call.timeout().timeout(Math.max(1, left.toMillis()), TimeUnit.MILLISECONDS);
    }
    try (Response response = call.execute()) {
      ResponseBody body = response.body();
      String text = body.string();
      String contentType = response.header("Content-Type", "");
      return new Answer(response.code(), response.headers(), contentType, text);
    }
  }

  private Duration backoff(int attempt) {
    long ceiling = retry.backoffCeiling(attempt).toMillis();
    return Duration.ofMillis(ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1));
  }

  private void pause(Duration pause) {
    try {
      sleeper.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HubException.Unreachable("interrupted while talking to Docker Hub", e);
    }
  }

  private Duration elapsed(Instant started) {
    Duration d = Duration.between(started, clock.instant());
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    String kind = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? kind : kind + ": " + oneLine(message, 160);
  }

  /** True when the body is JSON (checked by content type and by its first character). */
  static boolean isJson(Answer answer) {
    String type = answer.contentType().toLowerCase(Locale.ROOT);
    String body = answer.body().stripLeading();
    boolean looksJson = body.startsWith("{") || body.startsWith("[");
    return type.contains("json") && looksJson;
  }

  /** The body's first characters on one line, for messages. */
  static String excerpt(Answer answer) {
    return oneLine(answer.body(), 120);
  }

  /**
   * {@code text} on one line, control characters as {@code ?}, at most {@code max} code points and
   * then {@code ...} when there were more. (The modules above keep the same rule in their own
   * helper; this library depends on nothing of theirs.)
   */
  static String oneLine(String text, int max) {
    if (text == null) {
      return "";
    }
    if (alreadyOneLine(text, max)) {
      return text; // what nearly every description is: nothing to change, nothing to copy
    }
    return collapse(text, max);
  }

  /** {@link #oneLine} the long way, for any text. */
  static String collapse(String text, int max) {
    String collapsed = text.replaceAll("\\s+", " ").strip();
    StringBuilder out = new StringBuilder();
    collapsed
        .codePoints()
        .limit(max)
        .forEach(c -> out.append(Character.isISOControl(c) ? "?" : Character.toString(c)));
    boolean cut = collapsed.codePointCount(0, collapsed.length()) > max;
    return cut ? out + "..." : out.toString();
  }

  /**
   * Whether {@link #oneLine} would return {@code text} as it is: no longer than {@code max}, no
   * control character, no white space at either end, and no two spaces in a row.
   */
  private static boolean alreadyOneLine(String text, int max) {
    int n = text.length();
    if (n > max
        || n == 0
        || Character.isWhitespace(text.charAt(0))
        || Character.isWhitespace(text.charAt(n - 1))
        || Character.isSpaceChar(text.charAt(0))
        || Character.isSpaceChar(text.charAt(n - 1))) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c == ' ' && text.charAt(i - 1) == ' ')) {
        return false;
      }
    }
    return true;
  }
}
