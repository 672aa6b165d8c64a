package io.github.dockerpulls.exporter.http;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as {@link Http11Server} read it: the method, the path and the query as they came
 * (still percent-encoded), the header fields by lower-case name, and the client's address.
 */
public record HttpRequest(
    String method,
    String path,
    String rawQuery,
    Map<String, List<String>> headers,
    InetAddress client) {

  /** The first value of the header {@code name} (any case), or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Every value of the header {@code name} (any case). */
  public List<String> headers(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  boolean isHead() {
    return method.equals("HEAD");
  }
}
