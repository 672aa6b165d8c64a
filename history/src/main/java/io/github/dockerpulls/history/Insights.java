package io.github.dockerpulls.history;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the history holds of Docker Hub Insights for one repository over a report's window: totals
 * of complete weeks or months, kept apart from the pulls read off the counter.
 *
 * @param series the repository's figures per period, oldest first: only the periods the history
 *     holds
 * @param tags the tags (and digests, {@value InsightsBatch#UNTAGGED}, {@value InsightsBatch#OTHER})
 *     with their pulls over the window, the largest first, {@value InsightsBatch#OTHER} last
 * @param breakdowns per dimension ({@code country}, {@code cloud}, {@code client}) the keys with
 *     their pulls over the window, the largest first; empty when the source gave none
 */
public record Insights(
    List<Figures> series, List<Tag> tags, Map<String, List<Breakdown>> breakdowns) {
  public Insights {
    series = List.copyOf(series);
    tags = List.copyOf(tags);
    // In the order given (country, cloud, client), which the JSON keeps.
    breakdowns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(breakdowns));
  }

  /**
   * These Insights with only the tags that {@code pattern} matches: a glob where {@code *} stands
   * for any characters and {@code ?} for one, matched whole and case-sensitively as tags are;
   * {@code *} keeps them all.
   */
  public Insights matching(String pattern) {
    if (pattern == null || pattern.equals("*")) {
      return this;
    }
    java.util.regex.Pattern glob = glob(pattern);
    return new Insights(
        series, tags.stream().filter(t -> glob.matcher(t.tag()).matches()).toList(), breakdowns);
  }

  /** A glob of {@code *} and {@code ?} as a regular expression. */
  static java.util.regex.Pattern glob(String pattern) {
    StringBuilder b = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          b.append(java.util.regex.Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        b.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      b.append(java.util.regex.Pattern.quote(literal.toString()));
    }
    return java.util.regex.Pattern.compile(b.toString());
  }

  /**
   * One period's figures.
   *
   * @param pulls downloads plus version checks where both are known, else the pulls counted
   * @param downloads null when the source did not say
   * @param versionChecks null when the source did not say
   * @param uniqueIps null when the source did not say
   */
  public record Figures(
      Instant start, Instant end, long pulls, Long downloads, Long versionChecks, Long uniqueIps) {}

  /** One tag's figures over the window and per period. */
  public record Tag(
      String tag, long pulls, Long downloads, Long versionChecks, List<Figures> series) {
    public Tag {
      series = List.copyOf(series);
    }
  }

  /** One country's, cloud provider's or client's figures over the window. */
  public record Breakdown(String key, long pulls, Long downloads, Long versionChecks) {}
}
