package io.github.dockerpulls.exporter.web;

import io.github.dockerpulls.exporter.http.Http11Server;
import io.github.dockerpulls.exporter.http.HttpRequest;
import io.github.dockerpulls.exporter.http.HttpResponse;
import io.github.dockerpulls.exporter.metrics.SnapshotCollector;
import io.github.dockerpulls.history.Granularity;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryReport;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.text.CompactNumbers;
import io.github.dockerpulls.text.Escape;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /badge/NS/NAME.svg?metric=...} and {@code /badge/NS/NAME.json?metric=...}: a README badge
 * for one tracked repository (pulls, pulls in the last 7 or 30 days, stars), as a small SVG or in
 * shields.io's endpoint-badge schema. Numbers are abbreviated as shields does (1.2M, 4.8B). A
 * repository that is not tracked gets 404 with a grey "not tracked" badge, never a 500. Answers may
 * be cached for the refresh interval.
 */
public final class Badges implements Http11Server.Handler {
  public static final String PREFIX = "/badge/";

  private static final Map<String, String> LABELS =
      Map.of(
          "pulls", "docker pulls",
          "pulls-7d", "pulls/week",
          "pulls-30d", "pulls/month",
          "stars", "stars");

  private final SnapshotCollector collector;
  private final HistoryStore history;
  private final Clock clock;
  private final Duration maxAge;

  public Badges(SnapshotCollector collector, HistoryStore history, Clock clock, Duration maxAge) {
    this.collector = collector;
    this.history = history;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  private record Badge(String label, String message, String color) {}

  @Override
  public HttpResponse handle(HttpRequest request) {
    String rest = request.path().substring(PREFIX.length());
    boolean svg = rest.endsWith(".svg");
    boolean json = rest.endsWith(".json");
    if (!svg && !json) {
      return HttpResponse.text(404, "not found: badges end in .svg or .json\n");
    }
    String name = rest.substring(0, rest.length() - (svg ? 4 : 5));
    String metric =
        HistoryEndpoint.query(request.rawQuery()).getOrDefault("metric", List.of("pulls")).get(0);
    String label = LABELS.get(metric);
    if (label == null) {
      return answer(
          400, svg, new Badge("badge", "metric: pulls, pulls-7d, pulls-30d or stars", "red"), 0);
    }
    Optional<RepositoryStats> repo =
        collector.view().repositories().stream().filter(r -> r.fullName().equals(name)).findFirst();
    if (repo.isEmpty()) {
      return answer(404, svg, new Badge(label, "not tracked", "lightgrey"), 60);
    }
    String message =
        switch (metric) {
          case "stars" ->
              repo.get().starCount().isPresent()
                  ? CompactNumbers.format(repo.get().starCount().getAsLong())
                  : "unknown";
          case "pulls-7d" -> recent(repo.get(), Duration.ofDays(7));
          case "pulls-30d" -> recent(repo.get(), Duration.ofDays(30));
          default -> CompactNumbers.format(repo.get().pullCount());
        };
    return answer(
        200,
        svg,
        new Badge(label, message, "unknown".equals(message) ? "lightgrey" : "blue"),
        maxAge.toSeconds());
  }

  /** The pulls of the last {@code days}, from the history. */
  private String recent(RepositoryStats repo, Duration days) {
    if (history == null) {
      return "unknown";
    }
    Instant now = clock.instant();
    try {
      HistoryReport report =
          history.report(
              List.of(Target.repository(repo.fullName())),
              now.minus(days),
              now,
              Granularity.DAY,
              ZoneOffset.UTC);
      if (report.repositories().isEmpty() || report.repositories().get(0).pulls() == null) {
        return "unknown";
      }
      return CompactNumbers.format(report.repositories().get(0).pulls());
    } catch (HistoryException | RuntimeException e) {
      return "unknown";
    }
  }

  private static HttpResponse answer(int status, boolean svg, Badge badge, long maxAgeSeconds) {
    HttpResponse response =
        svg
            ? HttpResponse.of(status, "image/svg+xml", svg(badge).getBytes(StandardCharsets.UTF_8))
            : HttpResponse.of(
                status,
                "application/json",
                ("{\"schemaVersion\":1,\"label\":"
                        + Escape.json(badge.label())
                        + ",\"message\":"
                        + Escape.json(badge.message())
                        + ",\"color\":"
                        + Escape.json(badge.color())
                        + "}")
                    .getBytes(StandardCharsets.UTF_8));
    return response.header(
        "Cache-Control", maxAgeSeconds > 0 ? "public, max-age=" + maxAgeSeconds : "no-store");
  }

  /** The hex colours shields.io uses for these names. */
  private static String hex(String color) {
    return switch (color) {
      case "blue" -> "#007ec6";
      case "red" -> "#e05d44";
      default -> "#9f9f9f";
    };
  }

  /** A flat badge in shields.io's proportions: 20 px high, Verdana 11 px, widths estimated. */
  static String svg(Badge badge) {
    int left = width(badge.label()) + 10;
    int right = width(badge.message()) + 10;
    int total = left + right;
    String label = Escape.html(badge.label());
    String message = Escape.html(badge.message());
    String color = hex(badge.color());
    return String.format(
        Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"20\" role=\"img\""
            + " aria-label=\"%s: %s\"><title>%s: %s</title>"
            + "<linearGradient id=\"s\" x2=\"0\" y2=\"100%%\"><stop offset=\"0\" stop-color=\"#bbb\""
            + " stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>"
            + "<clipPath id=\"r\"><rect width=\"%d\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath>"
            + "<g clip-path=\"url(#r)\"><rect width=\"%d\" height=\"20\" fill=\"#555\"/>"
            + "<rect x=\"%d\" width=\"%d\" height=\"20\" fill=\"%s\"/>"
            + "<rect width=\"%d\" height=\"20\" fill=\"url(#s)\"/></g>"
            + "<g fill=\"#fff\" text-anchor=\"middle\""
            + " font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"11\">"
            + "<text x=\"%d\" y=\"15\" fill=\"#010101\" fill-opacity=\".3\">%s</text>"
            + "<text x=\"%d\" y=\"14\">%s</text>"
            + "<text x=\"%d\" y=\"15\" fill=\"#010101\" fill-opacity=\".3\">%s</text>"
            + "<text x=\"%d\" y=\"14\">%s</text></g></svg>",
        total,
        label,
        message,
        label,
        message,
        total,
        left,
        left,
        right,
        color,
        total,
        left / 2,
        label,
        left / 2,
        label,
        left + right / 2,
        message,
        left + right / 2,
        message);
  }

  /** The text's width in Verdana 11 px, estimated per character class. */
  static int width(String text) {
    double w = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      w +=
          c == ' '
              ? 3.9
              : "ijlt.,:;'!|/".indexOf(c) >= 0
                  ? 3.8
                  : Character.isUpperCase(c) || c == 'm' || c == 'w'
                      ? 9.0
                      : Character.isDigit(c) ? 7.0 : 6.8;
    }
    return (int) Math.ceil(w);
  }
}
