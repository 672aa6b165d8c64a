package io.github.dockerpulls.cli;

import picocli.CommandLine.Option;

/** What the Prometheus output holds: shared by {@code serve} and {@code export -f prometheus}. */
public final class MetricOptions {
  @Option(
      names = "--legacy-metric",
      negatable = true,
      defaultValue = "${env:DOCKERPULLS_LEGACY_METRIC:-true}",
      fallbackValue = "true",
      description =
          "Include docker_image_pulls{image,organization} as the Flask exporter served it"
              + " (env DOCKERPULLS_LEGACY_METRIC, default: on; --no-legacy-metric leaves it out).")
  boolean legacyMetric;
}
