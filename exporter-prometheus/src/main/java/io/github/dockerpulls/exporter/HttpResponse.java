package io.github.dockerpulls.exporter;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer for {@link Http11Server}: status, header fields and the whole body. The server adds
 * {@code Content-Length}, {@code Connection} and {@code X-Content-Type-Options}, and leaves the
 * body out for {@code HEAD}.
 */
final class HttpResponse {
  final int status;
  final Map<String, String> headers = new LinkedHashMap<>();
  final byte[] body;

  private HttpResponse(int status, byte[] body) {
    this.status = status;
    this.body = body;
  }

  static HttpResponse of(int status, String contentType, byte[] body) {
    HttpResponse r = new HttpResponse(status, body);
    r.headers.put("Content-Type", contentType);
    return r;
  }

  /** A plain-text answer; the body is UTF-8. */
  static HttpResponse text(int status, String body) {
    return of(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  /** An answer without a body. */
  static HttpResponse empty(int status) {
    return new HttpResponse(status, new byte[0]);
  }

  /** Sets a header field (replacing one of the same name) and returns this answer. */
  HttpResponse header(String name, String value) {
    headers.put(name, value);
    return this;
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
