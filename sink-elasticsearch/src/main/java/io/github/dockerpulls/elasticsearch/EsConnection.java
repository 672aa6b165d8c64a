package io.github.dockerpulls.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.TransportUtils;
import co.elastic.clients.transport.instrumentation.NoopInstrumentation;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.github.dockerpulls.text.Messages;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * An Elasticsearch client made from {@link EsSettings}, and the translation of its failures into
 * one-line {@link SinkException}s.
 */
public final class EsConnection implements AutoCloseable {
  /** A node URL without a port gets Elasticsearch's (and Metricbeat's) default. */
  public static final int DEFAULT_PORT = 9200;

  private final EsSettings settings;
  private final RestClient rest;
  private final ElasticsearchClient client;

  public EsConnection(EsSettings settings) {
    this.settings = settings;
    List<HttpHost> hosts = new ArrayList<>();
    for (URI uri : settings.hosts()) {
      int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
      hosts.add(
          new HttpHost(uri.getHost(), port, uri.getScheme().toLowerCase(java.util.Locale.ROOT)));
    }
    RestClientBuilder builder = RestClient.builder(hosts.toArray(HttpHost[]::new));
    List<Header> headers = new ArrayList<>();
    if (settings.apiKey() != null) {
      headers.add(new BasicHeader("Authorization", "ApiKey " + settings.apiKey()));
    } else if (settings.username() != null) {
      // Preemptive: no 401 round trip before every request.
      String pair = settings.username() + ":" + settings.password();
      headers.add(
          new BasicHeader(
              "Authorization",
              "Basic "
                  + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
    }
    builder.setDefaultHeaders(headers.toArray(Header[]::new));
    SSLContext ssl = sslContext(settings);
    builder.setHttpClientConfigCallback(
        http -> {
          if (ssl != null) {
            http.setSSLContext(ssl);
          }
          if (settings.insecure()) {
            http.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);
          }
          return http;
        });
    int timeout = (int) settings.timeout().toMillis();
    builder.setRequestConfigCallback(
        request -> request.setConnectTimeout(timeout).setSocketTimeout(timeout));
    builder.setCompressionEnabled(true);
    this.rest = builder.build();
    this.client =
        new ElasticsearchClient(
            new RestClientTransport(
                rest,
                new JacksonJsonpMapper(),
                null, // the client's own defaults (its User-Agent and meta header)
                NoopInstrumentation.INSTANCE));
  }

  /**
   * Reads the CA certificate or checks the fingerprint the settings name, without connecting.
   *
   * @throws IllegalArgumentException if it cannot be used
   */
  public static void checkTrust(EsSettings settings) {
    sslContext(settings);
  }

  private static SSLContext sslContext(EsSettings settings) {
    try {
      if (settings.insecure()) {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEverything()}, null);
        return context;
      }
      if (settings.caCertificate() != null) {
        return TransportUtils.sslContextFromHttpCaCrt(settings.caCertificate().toFile());
      }
      if (settings.caFingerprint() != null) {
        return TransportUtils.sslContextFromCaFingerprint(settings.caFingerprint());
      }
      return null;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the CA certificate "
              + settings.caCertificate()
              + " ("
              + e.getMessage()
              + ")");
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "unusable CA certificate " + settings.caCertificate() + ": " + e.getMessage());
    }
  }

  /** The low-level client under {@link #client()}, for requests whose answers are read raw. */
  RestClient rest() {
    return rest;
  }

  public ElasticsearchClient client() {
    return client;
  }

  public EsSettings settings() {
    return settings;
  }

  /**
   * Checks that the cluster answers and accepts the credentials ({@code GET _cluster/health}).
   *
   * @throws SinkException if it does not
   */
  public HealthStatus health() {
    try {
      return client.cluster().health(h -> h).status();
    } catch (IOException | RuntimeException e) {
      throw translate(e, "reach");
    }
  }

  /**
   * One line saying why an action on Elasticsearch failed, classified. What the server said is part
   * of it, with the configured credentials masked: a server or proxy that echoes the Authorization
   * header in its error puts no password on a terminal or in a log.
   */
  public SinkException translate(Throwable e, String action) {
    SinkException raw = classify(e, action);
    String masked = mask(raw.getMessage());
    return masked.equals(raw.getMessage()) ? raw : new SinkException(raw.kind(), masked, raw);
  }

  /** {@code text} with every form of the configured secrets replaced by {@code ****}. */
  String mask(String text) {
    if (text == null) {
      return null;
    }
    List<String> secrets = new ArrayList<>();
    if (settings.apiKey() != null) {
      secrets.add(settings.apiKey());
    }
    if (settings.password() != null) {
      secrets.add(
          Base64.getEncoder()
              .encodeToString(
                  (settings.username() + ":" + settings.password())
                      .getBytes(StandardCharsets.UTF_8)));
      secrets.add(settings.password());
    }
    String masked = text;
    for (String secret : secrets) {
      if (!secret.isEmpty()) {
        masked = masked.replace(secret, "****");
      }
    }
    return masked;
  }

  private SinkException classify(Throwable e, String action) {
    String where = "Elasticsearch at " + settings.where();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ElasticsearchException es) {
        return byStatus(
            es.status(), where, action, es.error().type() + ": " + es.error().reason(), e);
      }
      if (t instanceof org.elasticsearch.client.ResponseException re) {
        org.elasticsearch.client.Response r = re.getResponse();
        String[] error = elasticsearchError(r);
        if (error != null) {
          return byStatus(
              r.getStatusLine().getStatusCode(), where, action, error[0] + ": " + error[1], e);
        }
        return notTheAnswer(
            where,
            action,
            r.getRequestLine().getMethod() + " " + pathOf(r.getRequestLine().getUri()),
            r.getStatusLine().getStatusCode(),
            r.getHeader("Content-Type"),
            excerpt(r.getEntity()),
            r.getHeader("X-Elastic-Product") != null,
            e);
      }
      if (t instanceof TransportException te
          && te.statusCode() > 0
          && te.response() != null
          && !isJson(te.response().header("Content-Type"))) {
        return notTheAnswer(
            where,
            action,
            "the " + te.endpointId().replaceFirst("^es/", "") + " request",
            te.statusCode(),
            te.response().header("Content-Type"),
            excerpt(te.response()),
            te.response().header("X-Elastic-Product") != null,
            e);
      }
      if (t instanceof TransportException te && te.statusCode() > 0) {
        String message = te.getMessage();
        if (message != null && message.contains("X-Elastic-Product")) {
          return new SinkException(
              SinkException.Kind.REFUSED,
              "the server at "
                  + settings.where()
                  + " is not Elasticsearch (no X-Elastic-Product header)",
              e);
        }
        return byStatus(te.statusCode(), where, action, "HTTP " + te.statusCode(), e);
      }
      if (t instanceof javax.net.ssl.SSLHandshakeException || t instanceof SSLException) {
        return new SinkException(
            SinkException.Kind.TLS,
            "TLS with " + where + " failed (" + firstLine(t.getMessage()) + "); trust its CA",
            e);
      }
      if (t instanceof UnknownHostException) {
        return unavailable(where, action, "unknown host " + t.getMessage(), e);
      }
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return unavailable(where, action, firstLine(t.getMessage()), e);
      }
      if (t instanceof SocketTimeoutException) {
        return unavailable(
            where, action, "no answer within " + settings.timeout().toSeconds() + " s", e);
      }
    }
    return unavailable(
        where, action, e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()), e);
  }

  /**
   * An answer that is not Elasticsearch's JSON: says what was asked, what was expected and what
   * came. A 501 from a server that does not say it is Elasticsearch is a wrong URL, not an outage.
   */
  private static SinkException notTheAnswer(
      String where,
      String action,
      String request,
      int status,
      String contentType,
      String excerpt,
      boolean saysElastic,
      Throwable e) {
    String came =
        status
            + (contentType == null || contentType.isBlank() ? "" : " " + contentType)
            + (excerpt.isEmpty() ? "" : " (" + excerpt + ")");
    String message =
        "cannot "
            + action
            + " "
            + where
            + ": "
            + request
            + " was answered with "
            + came
            + ", not Elasticsearch's JSON"
            + (saysElastic ? "" : "; is this the address of an Elasticsearch node?");
    if (status == 401 || status == 403) {
      return new SinkException(SinkException.Kind.CREDENTIALS, message, e);
    }
    boolean transientFailure = status == 429 || (status >= 500 && status != 501);
    return new SinkException(
        transientFailure ? SinkException.Kind.UNAVAILABLE : SinkException.Kind.REFUSED, message, e);
  }

  /**
   * The type and reason of an error answer from Elasticsearch itself (JSON, {@code
   * X-Elastic-Product}), as the typed client reports them; null for any other answer.
   */
  private static String[] elasticsearchError(org.elasticsearch.client.Response r) {
    if (r.getHeader("X-Elastic-Product") == null
        || !isJson(r.getHeader("Content-Type"))
        || r.getEntity() == null) {
      return null;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode error =
          Jackson.MAPPER.readTree(r.getEntity().getContent()).path("error");
      if (!error.hasNonNull("type")) {
        return null;
      }
      return new String[] {error.path("type").asText(), error.path("reason").asText()};
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  private static boolean isJson(String contentType) {
    return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("json");
  }

  private static String pathOf(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /** The first characters of a body, on one line, tags and all. */
  private static String excerpt(org.apache.http.HttpEntity entity) {
    if (entity == null) {
      return "";
    }
    try {
      return oneLine(org.apache.http.util.EntityUtils.toString(entity));
    } catch (IOException | RuntimeException unreadable) {
      return "";
    }
  }

  private static String excerpt(co.elastic.clients.transport.http.TransportHttpClient.Response r) {
    try {
      co.elastic.clients.util.BinaryData body = r.body();
      if (body == null) {
        return "";
      }
      java.nio.ByteBuffer bytes = body.asByteBuffer();
      byte[] copy = new byte[Math.min(bytes.remaining(), 4096)];
      bytes.get(copy);
      return oneLine(new String(copy, java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException unreadable) {
      return "";
    }
  }

  /** An answer's body for a message: an HTML error page loses its tags. */
  private static String oneLine(String body) {
    return Messages.oneLine(body.replaceAll("<[^>]{0,200}>", " "), 120);
  }

  private static SinkException byStatus(
      int status, String where, String action, String reason, Throwable e) {
    if (status == 401) {
      return new SinkException(
          SinkException.Kind.CREDENTIALS,
          where + " refused the credentials (401 " + firstLine(reason) + ")",
          e);
    }
    if (status == 403) {
      return new SinkException(
          SinkException.Kind.CREDENTIALS,
          where + " did not allow us to " + action + " (403 " + firstLine(reason) + ")",
          e);
    }
    if (status == 429 || status >= 500) {
      return unavailable(where, action, status + " " + firstLine(reason), e);
    }
    return new SinkException(
        SinkException.Kind.REFUSED,
        "cannot " + action + " " + where + ": " + status + " " + firstLine(reason),
        e);
  }

  private static SinkException unavailable(String where, String action, String why, Throwable e) {
    return new SinkException(
        SinkException.Kind.UNAVAILABLE, "cannot " + action + " " + where + " (" + why + ")", e);
  }

  static String firstLine(String s) {
    if (s == null) {
      return "no details";
    }
    int nl = s.indexOf('\n');
    return Messages.oneLine(nl < 0 ? s : s.substring(0, nl), 300);
  }

  @Override
  public void close() {
    try {
      rest.close();
    } catch (IOException ignored) {
      // nothing left to do with a client that failed to close
    }
  }

  private static final class TrustEverything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
