package io.github.dockerpulls.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.cli.DockerPulls;
import io.github.dockerpulls.exporter.metrics.HubRequestMetrics;
import io.github.dockerpulls.exporter.metrics.PrometheusText;
import io.github.dockerpulls.hub.PullLimit;
import io.github.dockerpulls.hub.RateLimit;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.RequestEvent;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.TargetResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the exporter really has, read from the exporter itself rather than written down again: its
 * metric names, its default port. The manifests and dashboards are checked against these.
 */
final class ExporterFacts {
  private static final Pattern TYPE_LINE = Pattern.compile("^# TYPE (\\S+) ", Pattern.MULTILINE);
  private static final Pattern METRIC_TOKEN =
      Pattern.compile("\\b(docker_image_pulls|dockerhub_[a-z_]+)\\b");

  private ExporterFacts() {}

  /** Every family name the exporter can serve, from a snapshot that has every kind of figure. */
  static Set<String> metricNames() {
    RepositoryStats repo =
        new RepositoryStats(
            "camunda",
            "zeebe",
            9_876_543L,
            OptionalLong.of(120),
            Optional.of(Instant.parse("2026-11-21T17:45:30Z")),
            OptionalLong.empty());
    Snapshot snapshot =
        Snapshot.of(
            Instant.parse("2026-11-22T10:00:00Z"),
            Duration.ofMillis(350),
            java.util.List.of(
                TargetResult.success(Target.organization("camunda"), java.util.List.of(repo))),
            Optional.of(new RateLimit(180, 170, Instant.parse("2026-11-22T10:01:00Z"))),
            Optional.of(
                new PullLimit(
                    OptionalLong.of(100),
                    OptionalLong.of(76),
                    Optional.of(Duration.ofHours(6)),
                    Optional.of("192.0.2.10"))));
    HubRequestMetrics requests = new HubRequestMetrics();
    requests.onRequest(new RequestEvent("list_repositories", 200, Duration.ofMillis(80), 1));
    String text;
    try {
      text = new String(PrometheusText.of(snapshot, true, requests), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> names = new TreeSet<>();
    Matcher m = TYPE_LINE.matcher(text);
    while (m.find()) {
      String name = m.group(1);
      names.add(name);
      if (text.contains("# TYPE " + name + " counter")) {
        names.add(name + "_total");
      }
    }
    return names;
  }

  /** The metric names a PromQL expression uses (those of this exporter's naming). */
  static Set<String> metricsIn(String promql) {
    Set<String> used = new TreeSet<>();
    Matcher m = METRIC_TOKEN.matcher(promql);
    while (m.find()) {
      used.add(m.group(1));
    }
    return used;
  }

  /** {@code serve}'s default port, as its --port option declares it. */
  static int defaultPort() {
    String declared =
        DockerPulls.commandLine()
            .getSubcommands()
            .get("serve")
            .getCommandSpec()
            .findOption("--port")
            .defaultValue();
    // picocli hands the default out already resolved ("2113"), or as declared.
    Matcher m = Pattern.compile("(\\d+)}?$").matcher(declared);
    assertThat(m.find()).as(declared).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
