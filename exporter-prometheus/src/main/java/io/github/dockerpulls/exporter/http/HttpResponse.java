package io.github.dockerpulls.exporter.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer for {@link Http11Server}: status, header fields and the whole body. The server adds
 * {@code Content-Length}, {@code Connection} and {@code X-Content-Type-Options}, and leaves the
 * body out for {@code HEAD}.
 *
 * <p>The body may be two arrays sent one after the other, so that {@code /metrics} answers with the
 * bytes it rendered at the refresh and the few it renders per scrape without copying either: the
 * server writes them with one gathering write.
 */
public final class HttpResponse {
  final int status;
  public final Map<String, String> headers = new LinkedHashMap<>();
  final byte[] body;

  /** Sent after {@link #body}; empty for most answers. */
  final byte[] tail;

  /** The body made while it is sent, for a streamed answer; null otherwise. */
  final BodySource source;

  private HttpResponse(int status, byte[] body, byte[] tail) {
    this(status, body, tail, null);
  }

  private HttpResponse(int status, byte[] body, byte[] tail, BodySource source) {
    this.status = status;
    this.body = body;
    this.tail = tail;
    this.source = source;
  }

  private HttpResponse(int status, byte[] body) {
    this(status, body, NONE);
  }

  private static final byte[] NONE = new byte[0];

  public static HttpResponse of(int status, String contentType, byte[] body) {
    return of(status, contentType, body, NONE);
  }

  /** An answer whose body is {@code body} followed by {@code tail}, neither copied. */
  public static HttpResponse of(int status, String contentType, byte[] body, byte[] tail) {
    HttpResponse r = new HttpResponse(status, body, tail);
    r.headers.put("Content-Type", contentType);
    return r;
  }

  /**
   * An answer whose body {@code source} makes part by part as the client takes it (chunked transfer
   * encoding): for answers too large to hold, such as a year of history.
   */
  public static HttpResponse streamed(int status, String contentType, BodySource source) {
    HttpResponse r = new HttpResponse(status, NONE, NONE, java.util.Objects.requireNonNull(source));
    r.headers.put("Content-Type", contentType);
    return r;
  }

  /** The body's length in bytes, tail included. */
  int length() {
    return body.length + tail.length;
  }

  /** A plain-text answer; the body is UTF-8. */
  public static HttpResponse text(int status, String body) {
    return of(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  /** An answer without a body. */
  public static HttpResponse empty(int status) {
    return new HttpResponse(status, new byte[0]);
  }

  /** Sets a header field (replacing one of the same name) and returns this answer. */
  public HttpResponse header(String name, String value) {
    headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
    headers.put(name, value);
    return this;
  }

  /**
   * This answer gzipped when the client takes gzip, the body is text of more than a kilobyte and
   * not encoded yet (pages and JSON of thousands of repositories shrink about tenfold).
   */
  public HttpResponse compressedFor(HttpRequest request) {
    String type = headers.getOrDefault("Content-Type", "");
    boolean text =
        type.startsWith("text/") || type.startsWith("application/json") || type.contains("svg");
    String accepts = String.valueOf(request.header("Accept-Encoding"));
    if (source != null
        || length() <= 1024
        || tail.length > 0
        || !text
        || headers.containsKey("Content-Encoding")
        || !accepts.toLowerCase(java.util.Locale.ROOT).contains("gzip")) {
      return this;
    }
    java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream(body.length / 6 + 64);
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
      gz.write(body);
    } catch (java.io.IOException e) {
      return this; // a byte array stream does not fail
    }
    HttpResponse r = new HttpResponse(status, zipped.toByteArray(), NONE);
    r.headers.putAll(headers);
    r.headers.put("Content-Encoding", "gzip");
    r.headers.merge("Vary", "Accept-Encoding", (a, b) -> a.contains(b) ? a : a + ", " + b);
    return r;
  }

  /** The reason phrase of {@code status}, for the status line. */
  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 204 -> "No Content";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 411 -> "Length Required";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status " + status;
    };
  }
}
