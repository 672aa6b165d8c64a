package io.github.dockerpulls.cli;

import io.github.dockerpulls.elasticsearch.DeliveryReport;
import io.github.dockerpulls.elasticsearch.ElasticsearchSink;
import io.github.dockerpulls.elasticsearch.EsConnection;
import io.github.dockerpulls.elasticsearch.EsSettings;
import io.github.dockerpulls.elasticsearch.Spool;
import io.github.dockerpulls.exporter.ExporterServer;
import io.github.dockerpulls.exporter.metrics.HubRequestMetrics;
import io.github.dockerpulls.exporter.metrics.InternalErrors;
import io.github.dockerpulls.exporter.metrics.SinkState;
import io.github.dockerpulls.exporter.metrics.SnapshotCollector;
import io.github.dockerpulls.exporter.metrics.TagCollector;
import io.github.dockerpulls.history.HistoryRecorder;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.hub.DockerHub;
import io.github.dockerpulls.hub.HubListener;
import io.github.dockerpulls.hub.Poller;
import io.github.dockerpulls.hub.Target;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dockerpulls serve}: refreshes the targets in the background and serves the latest data to
 * Prometheus on port 2113, a drop-in replacement for the Flask exporter.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Refresh the targets every interval and serve them at /metrics for Prometheus.",
      "Scrapes never call Docker Hub: they get the latest refresh's figures."
    },
    footerHeading = "%nEndpoints:%n",
    footer = {
      "  /metrics    Prometheus text, OpenMetrics, gzip (also /metrics/)",
      "  /-/healthy  200 while the process runs",
      "  /-/ready    200 once a refresh has read a target, 503 before",
      "  /           a page listing the repositories and each target's state",
      "  /api/v1/history?org=NS&repo=NS/NAME&since=30d&by=day",
      "              pulls per period from the history, as report -f json prints them"
    })
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TargetOptions targets;

  @Mixin HubOptions hub;

  @Mixin CredentialOptions credentials;

  @Mixin RegistryOptions registryUrls;

  @Mixin LoggingOptions logging;

  @Mixin ElasticsearchOptions elasticsearch;

  @Mixin ElasticsearchOptions.Sink esSink;

  @Mixin MetricOptions metrics;

  @Mixin HistoryOptions history;

  @Mixin HistoryOptions.Recording recording;

  @Mixin HistoryOptions.Keep keep;

  @Option(
      names = "--http",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Serve /metrics and the other pages (default: on). --no-http only writes to"
              + " Elasticsearch, which then needs --es-url.")
  boolean http;

  @Mixin ConfigOption config;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "${env:DOCKERPULLS_PORT:-2113}",
      description = "Port to listen on (env DOCKERPULLS_PORT, default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--listen-address",
      paramLabel = "ADDRESS",
      defaultValue = "${env:DOCKERPULLS_LISTEN_ADDRESS:-0.0.0.0}",
      description =
          "Address to listen on (env DOCKERPULLS_LISTEN_ADDRESS, default ${DEFAULT-VALUE}:"
              + " every interface).")
  String listenAddress;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "${env:DOCKERPULLS_INTERVAL:-5m}",
      converter = DurationConverter.class,
      description =
          "Time between refreshes, such as 30s, 5m or 1h (env DOCKERPULLS_INTERVAL, default"
              + " ${DEFAULT-VALUE}). The first refresh starts at once.")
  Duration interval;

  @Option(
      names = "--target-timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:DOCKERPULLS_TARGET_TIMEOUT:-1m}",
      converter = DurationConverter.class,
      description =
          "The longest one target's refresh may take, retries and waits included (env"
              + " DOCKERPULLS_TARGET_TIMEOUT, default ${DEFAULT-VALUE}). Targets refresh side by"
              + " side, so a slow one delays no other.")
  Duration targetTimeout;

  @Option(
      names = "--pull-limit",
      description =
          "Also report the registry's pull rate limit for this IP or account (two more requests"
              + " per refresh; a HEAD, which does not count as a pull).")
  boolean pullLimit;

  @Option(
      names = "--tags",
      defaultValue = "${env:DOCKERPULLS_TAGS:-false}",
      description =
          "Also read each repository's newest tags (env DOCKERPULLS_TAGS): their last push and last"
              + " pull as metrics, and the tags on the repository page. One request per repository"
              + " each --tags-interval.")
  boolean tags;

  @Option(
      names = "--tags-interval",
      paramLabel = "DURATION",
      defaultValue = "${env:DOCKERPULLS_TAGS_INTERVAL:-6h}",
      converter = DurationConverter.class,
      description =
          "Time between readings of the tags (env DOCKERPULLS_TAGS_INTERVAL, default"
              + " ${DEFAULT-VALUE}).")
  Duration tagsInterval;

  @Option(
      names = "--tags-max",
      paramLabel = "N",
      defaultValue = "${env:DOCKERPULLS_TAGS_MAX:-20}",
      description =
          "The newest tags read per repository (env DOCKERPULLS_TAGS_MAX, default"
              + " ${DEFAULT-VALUE}, at most 100): each is two series.")
  int tagsMax;

  @Option(
      names = "--jvm-metrics",
      defaultValue = "${env:DOCKERPULLS_JVM_METRICS:-false}",
      description =
          "Also serve the JVM's metrics (jvm_memory_*, jvm_gc_*, jvm_threads_*, ...) beside the"
              + " process metrics (env DOCKERPULLS_JVM_METRICS).")
  boolean jvmMetrics;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "${env:DOCKERPULLS_LOG_FORMAT:-text}",
      description =
          "Log lines on stderr: ${COMPLETION-CANDIDATES} (env DOCKERPULLS_LOG_FORMAT, default text).")
  RefreshLog.LogFormat logFormat;

  @Mixin WebSecurityOptions security;

  /** Released to stop serving: by SIGTERM (a shutdown hook) or by tests. */
  final CountDownLatch stop = new CountDownLatch(1);

  /** Set once the server listens. */
  final CountDownLatch listening = new CountDownLatch(1);

  /** Set once everything is closed: the shutdown hook waits for it, so SIGTERM ends cleanly. */
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** How long SIGTERM waits for the refresh, the server and the sink to close. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    List<Target> list = targets.targets();
    if (port < 1 || port > 65535) {
      throw new ParameterException(
          spec.commandLine(), "--port: " + port + " is not a port (1 to 65535)");
    }
    if (tags && (tagsMax < 1 || tagsMax > 100)) {
      throw new ParameterException(spec.commandLine(), "--tags-max: from 1 to 100, not " + tagsMax);
    }
    if (tags && tagsInterval.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new ParameterException(spec.commandLine(), "--tags-interval: at least 1m");
    }
    WebSecurityOptions.Settings web = security.settings();
    if (!http && !elasticsearch.configured()) {
      throw new ParameterException(
          spec.commandLine(), "--no-http needs --es-url: there would be nowhere to write");
    }
    EsSettings es = elasticsearch.configured() ? elasticsearch.settings(clock, esSink) : null;
    HubRequestMetrics requests = new HubRequestMetrics();
    PrometheusRegistry registry = new PrometheusRegistry();
    SnapshotCollector collector =
        new SnapshotCollector(metrics.legacyMetric, requests).clock(clock);
    registry.register(collector);
    TagCollector tagCollector = tags ? new TagCollector() : null;
    if (tagCollector != null) {
      registry.register(tagCollector);
    }
    registerOwnMetrics(registry, jvmMetrics);
    InternalErrors internalErrors = new InternalErrors();
    registry.register(internalErrors);
    RefreshLog log = new RefreshLog(spec.commandLine().getErr(), logFormat, requests, clock);
    List<String> jvm = JvmFootprint.apply();
    if (!jvm.isEmpty()) {
      log.log(
          "info",
          "jvm: set "
              + String.join(", ", jvm)
              + " (not on the command line), so that the heap gives memory back",
          Map.of());
    }

    if (es != null && es.insecure()) {
      log.log("warn", ElasticsearchOptions.INSECURE, Map.of());
    }
    SinkMetrics sinkMetrics = new SinkMetrics(collector, clock);
    // The history is closed last, after the poller that records into it; the log bridge after all.
    try (LogBridge bridge = LogBridge.install(log);
        HistoryStore store =
            recording.enabled
                ? history.openForServing(
                    keep.retention(spec),
                    clock,
                    warning -> log.log("warn", "history: " + warning, Map.of()))
                : null;
        DockerHub client =
            hub.buildHub(
                credentials,
                registryUrls,
                HubListener.all(
                    requests,
                    new HubListener() {
                      @Override
                      public void onRateLimitWait(Instant until, String reason) {
                        if (LoggingOptions.isWorthSaying(reason)) {
                          log.log(
                              "info",
                              "waiting for " + reason + " until " + until,
                              Map.of("until", until.toString()));
                        }
                      }
                    }));
        ExporterServer server =
            http ? listen(collector, tagCollector, registry, web, store, list) : null;
        EsConnection connection = es != null ? new EsConnection(es) : null;
        ElasticsearchSink sink =
            connection != null
                ? ElasticsearchSink.background(
                    connection,
                    report -> {
                      logDelivery(log, report);
                      sinkMetrics.delivered(report);
                    },
                    Duration.ofSeconds(30))
                : null;
        Poller poller = poller(client, list, collector, log, sink, store, server);
        TagRefresher tagRefresher =
            tagCollector != null
                ? new TagRefresher(client, collector, tagCollector, tagsMax, log, clock)
                : null) {
      sinkMetrics.watch(sink);
      internalErrors
          .source("refresh", poller::refreshFailures)
          .source("listener", poller::listenerFailures);
      if (server != null) {
        internalErrors.source("http", server::errors);
      }
      if (tagRefresher != null) {
        internalErrors.source("tags", tagRefresher::unexpectedFailures);
      }
      String refreshing =
          "refreshing "
              + list.stream().map(Target::id).collect(Collectors.joining(", "))
              + " every "
              + DurationConverter.format(interval);
      if (server != null) {
        log.log(
            "info",
            "listening on "
                + server.scheme()
                + "://"
                + listenAddress
                + ":"
                + server.port()
                + "/metrics, "
                + refreshing,
            Map.of("port", server.port()));
      } else {
        log.log("info", "not serving HTTP (--no-http), " + refreshing, Map.of());
      }
      if (store != null) {
        log.log("info", "recording history in " + store.location(), Map.of());
      }
      if (es != null) {
        log.log(
            "info",
            "writing to Elasticsearch at "
                + es.where()
                + " into "
                + es.indexPrefix()
                + "-YYYY, spool in "
                + es.spoolDir(),
            Map.of());
      }
      // On SIGTERM the JVM runs this hook and then halts: it waits until the poller, the sink and
      // the server are closed, and "stopping" is logged, before it lets the JVM go.
      Thread hook =
          new Thread(
              () -> {
                stop.countDown();
                try {
                  stopped.await(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "dockerpulls-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      if (tagRefresher != null) {
        tagRefresher.start(tagsInterval);
        log.log(
            "info",
            "reading the newest "
                + tagsMax
                + " tags of each repository every "
                + DurationConverter.format(tagsInterval),
            Map.of());
      }
      poller.start();
      listening.countDown();
      stop.await();
      log.log("info", "stopping", Map.of());
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // SIGTERM: the JVM is already shutting down, which is why we stop.
      }
    } finally {
      // After the resources above are closed: the shutdown hook may let the JVM go.
      stopped.countDown();
    }
    return ExitCode.OK;
  }

  private Poller poller(
      DockerHub client,
      List<Target> list,
      SnapshotCollector collector,
      RefreshLog log,
      ElasticsearchSink sink,
      HistoryStore store,
      ExporterServer server) {
    Poller.Builder b =
        Poller.builder()
            .hub(client)
            .targets(list)
            .interval(interval)
            .targetTimeout(targetTimeout)
            // Replicas then observe at the same times and write each Elasticsearch document once.
            .alignToInterval(true)
            .probePullLimit(pullLimit)
            .clock(clock)
            .listener(collector)
            .listener(log);
    if (sink != null) {
      b.listener(sink);
    }
    if (store != null) {
      b.listener(
          new HistoryRecorder(
              store,
              e ->
                  log.log(
                      "warn",
                      "history: "
                          + HistoryOptions.message(e)
                          + "; serving goes on, the history misses refreshes",
                      Map.of()),
              file -> log.log("info", "history: recording again in " + file, Map.of())));
      if (server != null) {
        // After the recording (listeners run in turn): the dashboard's answers made again.
        b.listener(snapshot -> server.historyChanged());
      }
    }
    return b.build();
  }

  /**
   * The metrics about the exporter itself: {@code dockerpulls_build_info} and client_java's process
   * metrics ({@code process_cpu_seconds_total}, {@code process_resident_memory_bytes}, {@code
   * process_start_time_seconds}, open file descriptors), and with {@code jvm} its JVM metrics.
   */
  static void registerOwnMetrics(PrometheusRegistry registry, boolean jvm) {
    String version = DockerHub.version();
    String revision = VersionProvider.commit();
    String javaVersion = System.getProperty("java.version", "unknown");
    registry.register(
        () ->
            new io.prometheus.metrics.model.snapshots.MetricSnapshots(
                io.prometheus.metrics.model.snapshots.GaugeSnapshot.builder()
                    .name("dockerpulls_build_info")
                    .help("The dockerpulls build serving these metrics; always 1.")
                    .dataPoint(
                        io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot
                            .builder()
                            .labels(
                                io.prometheus.metrics.model.snapshots.Labels.of(
                                    "version", version,
                                    "revision", revision,
                                    "javaversion", javaVersion))
                            .value(1)
                            .build())
                    .build()));
    if (jvm) {
      io.prometheus.metrics.instrumentation.jvm.JvmMetrics.builder().register(registry);
    } else {
      io.prometheus.metrics.instrumentation.jvm.ProcessMetrics.builder().register(registry);
    }
  }

  /** Feeds the sink's spool and deliveries into the exporter's metrics and page. */
  static final class SinkMetrics {
    private final SnapshotCollector collector;
    private final Clock clock;
    private volatile ElasticsearchSink sink;
    private volatile Instant lastDelivery;

    SinkMetrics(SnapshotCollector collector, Clock clock) {
      this.collector = collector;
      this.clock = clock;
    }

    void watch(ElasticsearchSink sink) {
      this.sink = sink;
      update();
    }

    void delivered(DeliveryReport report) {
      if (report.snapshots() > 0) {
        lastDelivery = clock.instant();
      }
      update();
    }

    private void update() {
      ElasticsearchSink s = sink;
      if (s == null) {
        return;
      }
      Spool.Stats stats = s.spoolStats();
      collector.sinkState(
          new SinkState(
              stats.snapshots(),
              stats.bytes(),
              stats.oldest(),
              stats.droppedTotal(),
              Optional.ofNullable(lastDelivery)));
    }
  }

  private static void logDelivery(RefreshLog log, DeliveryReport report) {
    for (String rejected : report.rejected()) {
      log.log("warn", "elasticsearch rejected " + rejected, Map.of());
    }
    for (String warning : report.warnings()) {
      log.log("warn", "elasticsearch: " + ElasticsearchOptions.warning(warning), Map.of());
    }
    if (report.snapshots() > 0) {
      log.log(
          "info",
          "elasticsearch: " + ElasticsearchOptions.summary(report),
          Map.of("documents", report.documents(), "snapshots", report.snapshots()));
    }
    report
        .failure()
        .ifPresent(
            f ->
                log.log(
                    "warn",
                    "elasticsearch: "
                        + ElasticsearchOptions.message(f)
                        + (report.pending() > 0
                            ? "; " + ElasticsearchOptions.waiting(report) + ", retrying every 30s"
                            : report.pending() < 0
                                ? "; " + ElasticsearchOptions.waiting(report)
                                : ""),
                    Map.of("pending", report.pending())));
  }

  private ExporterServer listen(
      SnapshotCollector collector,
      TagCollector tagCollector,
      PrometheusRegistry registry,
      WebSecurityOptions.Settings web,
      HistoryStore store,
      List<Target> list) {
    try {
      return ExporterServer.builder()
          .history(store, list)
          .noHistoryBecause(
              recording.enabled
                  ? "it could not be opened when the exporter started (its log says why)"
                  : "the exporter runs with --no-history")
          .clock(clock)
          .interval(interval)
          .tls(web.tls())
          .basicAuth(web.basicAuth())
          .webConfig(web.file())
          .host(listenAddress)
          .port(port)
          .collector(collector)
          .tags(tagCollector)
          .registry(registry)
          .version(DockerHub.version())
          .start();
    } catch (IOException | IllegalArgumentException e) {
      throw new ServeFailure(
          "cannot listen on " + listenAddress + ":" + port + ": " + e.getMessage());
    }
  }

  /** A failure to start serving; the message is the one line the user sees. */
  static final class ServeFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServeFailure(String message) {
      super(message);
    }
  }
}
