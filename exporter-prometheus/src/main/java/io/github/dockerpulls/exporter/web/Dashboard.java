package io.github.dockerpulls.exporter.web;

import io.github.dockerpulls.exporter.http.HttpRequest;
import io.github.dockerpulls.exporter.http.HttpResponse;
import io.github.dockerpulls.exporter.metrics.ExporterView;
import io.github.dockerpulls.exporter.metrics.SinkState;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.text.Escape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The exporter's pages: the dashboard at {@code /}, one repository at {@code /r/NS/NAME}, and their
 * assets under {@code /assets/} (the chart library, uPlot, comes from its WebJar inside the jar:
 * nothing is loaded from the internet). The pages are shells that {@code app.js} fills from the
 * JSON API; without JavaScript, {@code /} shows the figures as plain tables.
 */
public final class Dashboard {
  public static final String ASSETS = "/assets/";
  public static final String REPOSITORY = "/r/";

  private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final String OWN = "io/github/dockerpulls/exporter/dashboard/";

  /** One asset: its bytes, plain and gzipped, and its type. */
  record Asset(String type, byte[] plain, byte[] gzip) {}

  private static final Map<String, Asset> FILES =
      Map.of(
          "uplot.js", load(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
          "uplot.css", load(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"),
          "app.js", load(OWN + "app.js", "text/javascript; charset=utf-8"),
          "app.css", load(OWN + "app.css", "text/css; charset=utf-8"));

  /** The page's policy: its own scripts, styles and data only, and no framing. */
  public static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private Dashboard() {}

  private static Asset load(String resource, String type) {
    try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + resource);
      }
      byte[] plain = in.readAllBytes();
      ByteArrayOutputStream zipped = new ByteArrayOutputStream(plain.length / 3);
      try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
        gz.write(plain);
      }
      return new Asset(type, plain, zipped.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text of an asset, for the static report that inlines them. */
  static String text(String name) {
    return new String(FILES.get(name).plain(), StandardCharsets.UTF_8);
  }

  /** {@code /assets/NAME}, gzipped when the client takes it; cached for a day. */
  public static HttpResponse asset(HttpRequest request) {
    Asset asset = FILES.get(request.path().substring(ASSETS.length()));
    if (asset == null) {
      return HttpResponse.text(404, "not found\n");
    }
    boolean gzip =
        String.valueOf(request.header("Accept-Encoding")).toLowerCase(Locale.ROOT).contains("gzip");
    HttpResponse response = HttpResponse.of(200, asset.type(), gzip ? asset.gzip() : asset.plain());
    if (gzip) {
      response.header("Content-Encoding", "gzip");
    }
    return response
        .header("Cache-Control", "public, max-age=86400")
        .header("Vary", "Accept-Encoding");
  }

  /** The dashboard at {@code /}. */
  public static HttpResponse overview(ExporterView view, SinkState sink, String version) {
    String page =
        shell("dockerpulls", "", null, version)
            .replace(
                "@NOSCRIPT@", "<noscript>" + NoScriptFigures.content(view, sink) + "</noscript>");
    return html(200, page);
  }

  /** {@code /r/NS/NAME}: one repository, or 404 when it is not tracked or not a name. */
  public static HttpResponse repository(HttpRequest request, ExporterView view, String version) {
    String name = request.path().substring(REPOSITORY.length());
    try {
      Target.repository(name);
    } catch (HubException.InvalidName | IllegalArgumentException e) {
      return html(404, notFound("not a repository name", version));
    }
    java.util.Optional<io.github.dockerpulls.hub.RepositoryStats> tracked =
        view.repositories().stream().filter(r -> r.fullName().equals(name)).findFirst();
    if (tracked.isEmpty()) {
      return html(404, notFound(name + " is not tracked by this exporter", version));
    }
    // The Hub's description, as text in an attribute: the page's script shows it as text.
    String page =
        shell(
                name + " · dockerpulls",
                "../../",
                name,
                tracked.get().description().orElse(null),
                version)
            .replace(
                "@NOSCRIPT@",
                "<noscript><p>This page draws its chart with JavaScript; "
                    + "<a href=\"../../\">the overview</a> lists every repository without it.</p></noscript>");
    return html(200, page);
  }

  private static String notFound(String why, String version) {
    return shell("not found · dockerpulls", "../../", null, version)
        .replace("@NOSCRIPT@", "")
        .replace(
            "<main id=\"app\" aria-live=\"polite\"></main>",
            "<main><p>" + Escape.html(why) + ". <a href=\"../../\">All repositories</a></p></main>")
        .replace("<script src=\"../../assets/app.js\" defer></script>", "");
  }

  private static HttpResponse html(int status, String page) {
    return HttpResponse.of(
            status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8))
        .header("Content-Security-Policy", POLICY)
        .header("X-Frame-Options", "DENY")
        .header("Referrer-Policy", "no-referrer");
  }

  /**
   * The page around the app: a head with the assets (at {@code base}, relative, so the exporter may
   * sit behind a path prefix), a header, and the app's container.
   */
  static String shell(String title, String base, String repository, String version) {
    return shell(title, base, repository, null, version);
  }

  /** The same, with a repository's description for its page (as text), or null. */
  static String shell(
      String title, String base, String repository, String description, String version) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<meta name=\"color-scheme\" content=\"light dark\">"
        + "<title>"
        + Escape.html(title)
        + "</title>"
        + "<link rel=\"stylesheet\" href=\""
        + base
        + "assets/uplot.css\">"
        + "<link rel=\"stylesheet\" href=\""
        + base
        + "assets/app.css\">"
        + "<script src=\""
        + base
        + "assets/uplot.js\" defer></script>"
        + "<script src=\""
        + base
        + "assets/app.js\" defer></script>"
        + "</head>\n<body data-base=\""
        + base
        + "\""
        + (repository == null ? "" : " data-repo=\"" + Escape.html(repository) + "\"")
        + (description == null ? "" : " data-description=\"" + Escape.html(description) + "\"")
        + ">\n<header><h1><a href=\""
        + (base.isEmpty() ? "./" : base)
        + "\">dockerpulls</a></h1>"
        + "<p class=\"muted\">Docker Hub pulls, tracked. Metrics: <a href=\""
        + base
        + "metrics\">/metrics</a>"
        + " · API: <a href=\""
        + base
        + "api/v1/status\">/api/v1/status</a>, <a href=\""
        + base
        + "api/v1/history\">/api/v1/history</a></p></header>\n"
        + "@NOSCRIPT@"
        + "<main id=\"app\" aria-live=\"polite\"></main>\n"
        + "<footer>dockerpulls "
        + Escape.html(version)
        + "</footer>\n"
        + "</body></html>\n";
  }
}
