package io.github.dockerpulls.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The proxy settings people give every other tool: {@code HTTPS_PROXY} for https URLs, {@code
 * HTTP_PROXY} for http ones (either in lower case too), and {@code NO_PROXY}, a comma-separated
 * list of hosts and domains ({@code example.com} also covers {@code api.example.com}; {@code *}
 * covers all) that are reached directly. The JVM's own {@code https.proxyHost} and {@code
 * http.proxyHost}, when set, win over the variables.
 */
final class EnvironmentProxy extends ProxySelector {
  private final Proxy https;
  private final Proxy http;
  private final List<String> direct;

  private EnvironmentProxy(Proxy https, Proxy http, List<String> direct) {
    this.https = https;
    this.http = http;
    this.direct = direct;
  }

  /**
   * Sends {@code builder}'s requests through the proxy the environment names, if any.
   *
   * @throws picocli.CommandLine.ParameterException for an unusable proxy URL
   */
  static void apply(
      io.github.dockerpulls.hub.DockerHub.Builder builder,
      Map<String, String> env,
      picocli.CommandLine commandLine) {
    try {
      builder.proxySelector(from(env));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(commandLine, e.getMessage());
    }
  }

  /**
   * The selector the environment describes, or null when it names no proxy (or the JVM's properties
   * do).
   *
   * @throws IllegalArgumentException with a one-line message for an unusable proxy URL
   */
  static ProxySelector from(Map<String, String> env) {
    if (System.getProperty("https.proxyHost") != null
        || System.getProperty("http.proxyHost") != null) {
      return null;
    }
    Proxy https = proxy(env, "HTTPS_PROXY");
    Proxy http = proxy(env, "HTTP_PROXY");
    if (https == null && http == null) {
      return null;
    }
    List<String> direct = new ArrayList<>();
    String none = variable(env, "NO_PROXY");
    if (none != null) {
      for (String entry : none.split(",")) {
        String e = entry.strip().toLowerCase(Locale.ROOT);
        if (!e.isEmpty()) {
          direct.add(e.startsWith(".") ? e.substring(1) : e);
        }
      }
    }
    return new EnvironmentProxy(https, http, direct);
  }

  private static String variable(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      value = env.get(name.toLowerCase(Locale.ROOT));
    }
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static Proxy proxy(Map<String, String> env, String name) {
    String value = variable(env, name);
    if (value == null) {
      return null;
    }
    URI uri;
    try {
      uri = URI.create(value.contains("://") ? value : "http://" + value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " is not a proxy URL such as http://proxy:3128");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(name + " is not a proxy URL such as http://proxy:3128");
    }
    if (uri.getUserInfo() != null) {
      throw new IllegalArgumentException(
          name + " carries a user and password, which dockerpulls does not send to proxies");
    }
    int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(uri.getHost(), port));
  }

  @Override
  public List<Proxy> select(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    for (String d : direct) {
      if (d.equals("*") || host.equals(d) || host.endsWith("." + d)) {
        return List.of(Proxy.NO_PROXY);
      }
    }
    Proxy p = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
    return List.of(p == null ? Proxy.NO_PROXY : p);
  }

  @Override
  public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
    // OkHttp reports the failure itself.
  }
}
