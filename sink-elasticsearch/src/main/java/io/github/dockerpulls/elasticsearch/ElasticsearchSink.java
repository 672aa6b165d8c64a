package io.github.dockerpulls.elasticsearch;

import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.BackoffPolicy;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.SnapshotListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Writes snapshots to Elasticsearch: one document per repository into {@code PREFIX-YYYY}, with the
 * index template put first.
 *
 * <p>Every snapshot goes to the {@link Spool} first and leaves it once Elasticsearch accepted its
 * documents, so nothing collected is lost when Elasticsearch is down or the process stops; the
 * spool is delivered oldest first. Document ids come from the repository and the observation time,
 * and documents are created, never replaced: delivering an observation twice, or two exporters
 * observing the same (aligned) time, writes each document once. A whole request that fails
 * (connection, 429, 5xx) is tried again with a doubling wait, then left in the spool; items refused
 * with 429 are retried by the bulk ingester. A document refused for good (a mapping conflict) is
 * reported with its repository and reason, kept under {@code rejected/}, and does not hold back the
 * others.
 *
 * <p>{@link #write} delivers at once (for {@code export}); as a {@link SnapshotListener} (for
 * {@code serve}) the sink spools on the poller's thread and delivers on its own, retrying a waiting
 * spool every {@code retryEvery}.
 */
public final class ElasticsearchSink implements SnapshotListener, AutoCloseable {
  /**
   * How a {@link DeliveryReport#warnings() warning} that the spool cannot be written begins, so
   * that a caller can add how its users choose another directory.
   */
  public static final String SPOOL_UNWRITABLE = "cannot write the spool in ";

  private static final System.Logger LOG = System.getLogger(ElasticsearchSink.class.getName());
  private final EsConnection connection;
  private final EsSettings settings;
  private final Spool spool;
  private final PreviousCounts previous = new PreviousCounts();
  private final ReentrantLock delivering = new ReentrantLock();
  private final Consumer<DeliveryReport> reports;
  private final Duration retryEvery;
  private volatile boolean setUp;
  private final java.util.concurrent.atomic.AtomicBoolean spoolBroken =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final AtomicLong lostWithoutSpool = new AtomicLong();
  private ScheduledExecutorService background;
  private ScheduledFuture<?> retry;

  private ElasticsearchSink(
      EsConnection connection, Consumer<DeliveryReport> reports, Duration retryEvery) {
    this.connection = connection;
    this.settings = connection.settings();
    this.spool =
        new Spool(
            settings.spoolDir(),
            settings.spoolMaxBytes(),
            settings.spoolMaxAge(),
            settings.clock(),
            // Snapshots spooled here are delivered only to this cluster and index prefix, even
            // when other processes share the spool directory.
            settings.where() + "\n" + settings.indexPrefix());
    this.reports = reports;
    this.retryEvery = retryEvery;
  }

  /** A sink for one-shot writes with {@link #write}. */
  public static ElasticsearchSink create(EsConnection connection) {
    return new ElasticsearchSink(connection, r -> {}, Duration.ofSeconds(30));
  }

  /**
   * A sink that delivers in the background: each snapshot handed to {@link #onSnapshot} is spooled
   * and then written; {@code reports} hears about every delivery, and a spool that could not be
   * delivered is tried again every {@code retryEvery}. Whatever waits in the spool from earlier
   * runs is delivered at once.
   */
  public static ElasticsearchSink background(
      EsConnection connection, Consumer<DeliveryReport> reports, Duration retryEvery) {
    ElasticsearchSink sink = new ElasticsearchSink(connection, reports, retryEvery);
    sink.background =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dockerpulls-elasticsearch");
              t.setDaemon(true);
              return t;
            });
    sink.background.execute(sink::deliverAndReport);
    return sink;
  }

  public Spool spool() {
    return spool;
  }

  /**
   * Spools a snapshot's repositories and delivers everything waiting, oldest first. When the spool
   * cannot be written, the snapshot is sent directly instead, and the report says why.
   */
  public DeliveryReport write(Snapshot snapshot) {
    if (snapshot.repositories().isEmpty()) {
      return deliver();
    }
    Optional<String> unusable = trySpool(snapshot);
    return unusable.isPresent() ? directly(snapshot, unusable.get()) : deliver();
  }

  @Override
  public void onSnapshot(Snapshot snapshot) {
    if (snapshot.repositories().isEmpty()) {
      return;
    }
    Optional<String> unusable = trySpool(snapshot);
    if (unusable.isPresent()) {
      background.execute(() -> reports.accept(directly(snapshot, unusable.get())));
    } else {
      background.execute(this::deliverAndReport);
    }
  }

  /**
   * Spools a snapshot; when the spool cannot be written, the reason, said once until it works again
   * (empty otherwise).
   */
  private Optional<String> trySpool(Snapshot snapshot) {
    try {
      spool.add(snapshot.observedAt(), snapshot.repositories());
      if (spoolBroken.compareAndSet(true, false)) {
        LOG.log(
            System.Logger.Level.INFO,
            "elasticsearch: the spool in " + spool.dir() + " can be written again");
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      String reason = describe(e);
      if (spoolBroken.compareAndSet(false, true)) {
        return Optional.of(
            SPOOL_UNWRITABLE
                + spool.dir()
                + " ("
                + reason
                + "): snapshots go to Elasticsearch directly, and nothing can be buffered while"
                + " it cannot be reached (make it writable, or choose another)");
      }
      return Optional.of("");
    }
  }

  private static String describe(Exception e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such directory";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * Writes one snapshot without the spool. When that fails the snapshot is lost, and counted.
   *
   * @param warning the spool's problem to report, or empty when it was reported before
   */
  private DeliveryReport directly(Snapshot snapshot, String warning) {
    Tally tally = new Tally();
    if (!warning.isEmpty()) {
      tally.warnings.add(warning);
    }
    delivering.lock();
    try {
      Written w =
          writeWithRetries(new Spool.Entry(null, snapshot.observedAt(), snapshot.repositories()));
      tally.snapshots = 1;
      tally.documents = w.documents();
      tally.existing = w.existing();
      tally.indices.add(IndexSetup.indexFor(settings.indexPrefix(), snapshot.observedAt()));
      tally.rejected.addAll(w.rejected());
      tally.warnings.addAll(w.warnings());
      return tally.report(0, null);
    } catch (SinkException e) {
      lostWithoutSpool.incrementAndGet();
      return tally.report(
          0,
          new SinkException(
              e.kind(),
              e.getMessage() + "; the snapshot of " + snapshot.observedAt() + " is lost (no spool)",
              e));
    } finally {
      delivering.unlock();
    }
  }

  /**
   * The spool's state for metrics: what waits, and every snapshot dropped (to stay within the
   * spool's bounds, or lost because there was no spool to keep it in).
   */
  public Spool.Stats spoolStats() {
    Spool.Stats s = spool.stats();
    return new Spool.Stats(
        s.snapshots(), s.bytes(), s.oldest(), s.droppedTotal() + lostWithoutSpool.get());
  }

  private void deliverAndReport() {
    DeliveryReport report = deliver();
    if (report.snapshots() > 0 || report.failure().isPresent() || !report.rejected().isEmpty()) {
      reports.accept(report);
    }
    synchronized (this) {
      if (retry != null) {
        retry.cancel(false);
        retry = null;
      }
      if (report.pending() > 0 && !background.isShutdown()) {
        retry =
            background.schedule(
                this::deliverAndReport, retryEvery.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private DeliveryReport failed(SinkException e) {
    int pending;
    try {
      pending = spool.pending().size();
    } catch (IOException io) {
      pending = -1;
    }
    return new Tally().report(pending, e);
  }

  /** What one delivery has done so far; it becomes the delivery's report. */
  private final class Tally {
    private final long start = System.nanoTime();
    int snapshots;
    long documents;
    long existing;
    final TreeSet<String> indices = new TreeSet<>();
    final List<String> rejected = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    DeliveryReport report(int pending, SinkException failure) {
      return new DeliveryReport(
          snapshots,
          documents,
          existing,
          List.copyOf(indices),
          rejected,
          warnings,
          pending,
          spool.dir(),
          Optional.ofNullable(failure),
          Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** Whether a missing directory could be made: its nearest existing ancestor is a directory. */
  private static boolean creatable(Path dir) {
    for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        return Files.isDirectory(p);
      }
    }
    return false;
  }

  /** Delivers everything waiting in the spool, oldest first, and says what it did. */
  public DeliveryReport deliver() {
    Tally tally = new Tally();
    if (Files.exists(spool.dir()) && !Files.isDirectory(spool.dir())
        || !Files.exists(spool.dir()) && !creatable(spool.dir())) {
      return tally.report(0, null); // no spool, so nothing waits in one
    }
    delivering.lock();
    try (AutoCloseable lock = spool.tryLock().orElse(null)) {
      if (lock == null) {
        return tally.report(
            spool.pending().size(),
            new SinkException(
                SinkException.Kind.UNAVAILABLE,
                "another dockerpulls is delivering the spool in " + spool.dir(),
                null));
      }
      List<Path> waiting = spool.pending();
      for (int i = 0; i < waiting.size(); i++) {
        Path file = waiting.get(i);
        Spool.Entry entry;
        try {
          entry = spool.read(file);
        } catch (IOException | RuntimeException unreadable) {
          // A file we cannot read would block the spool forever: set it aside.
          Files.move(file, file.resolveSibling(file.getFileName() + ".unreadable"));
          tally.rejected.add(file.getFileName() + ": unreadable, set aside");
          continue;
        }
        try {
          Written w = writeWithRetries(entry);
          spool.remove(entry);
          tally.snapshots++;
          tally.documents += w.documents();
          tally.existing += w.existing();
          tally.indices.add(IndexSetup.indexFor(settings.indexPrefix(), entry.observedAt()));
          tally.warnings.addAll(w.warnings());
          if (!w.rejected().isEmpty()) {
            spool.keepRejected(entry, w.rejectedDocuments());
            tally.rejected.addAll(w.rejected());
          }
        } catch (SinkException e) {
          return tally.report(waiting.size() - i, e);
        }
      }
      return tally.report(0, null);
    } catch (Exception e) {
      return new Tally()
          .report(
              -1,
              new SinkException(
                  SinkException.Kind.REFUSED,
                  "cannot use the spool in " + spool.dir() + " (" + e.getMessage() + ")",
                  e));
    } finally {
      delivering.unlock();
    }
  }

  private record Written(
      long documents,
      long existing,
      List<String> rejected,
      List<Map<String, Object>> rejectedDocuments,
      List<String> warnings) {}

  private Written writeWithRetries(Spool.Entry entry) {
    long wait = settings.firstBackoff().toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        return writeOnce(entry);
      } catch (SinkException e) {
        if (!e.transientFailure() || attempt >= settings.attempts()) {
          throw e;
        }
      }
      try {
        Thread.sleep(wait + (long) (Math.random() * wait / 2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SinkException(SinkException.Kind.UNAVAILABLE, "interrupted", e);
      }
      wait *= 2;
    }
  }

  /** Runs the one-time index set-up on a thread of its own, which ends with it. */
  private static final java.util.concurrent.Executor SETUP =
      task -> {
        Thread t = new Thread(task, "dockerpulls-es-setup");
        t.setDaemon(true);
        t.start();
      };

  private interface SetUpStep {
    void run() throws IOException;
  }

  private static java.util.concurrent.CompletableFuture<Void> setUp(SetUpStep step) {
    return java.util.concurrent.CompletableFuture.runAsync(
        () -> {
          try {
            step.run();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        },
        SETUP);
  }

  /** Waits for a set-up step and throws what it threw. */
  private static void awaitSetUp(java.util.concurrent.CompletableFuture<Void> install)
      throws IOException {
    try {
      install.join();
    } catch (java.util.concurrent.CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.io.UncheckedIOException io) {
        throw io.getCause();
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private record Item(RepositoryStats repository, Map<String, Object> source, String index) {}

  private record Failed(BulkResponseItem item, Item context) {}

  private Written writeOnce(Spool.Entry entry) {
    Instant at = entry.observedAt();
    String index = IndexSetup.indexFor(settings.indexPrefix(), at);
    Map<String, Long> before;
    try {
      if (!setUp) {
        // The template, the new fields of existing indices and the lookup of earlier counts do
        // not depend on each other: the first two go on threads of their own while the lookup
        // runs, which saves a new process two round trips.
        java.util.concurrent.CompletableFuture<Void> template =
            setUp(() -> IndexSetup.putTemplate(connection.client(), settings.indexPrefix()));
        java.util.concurrent.CompletableFuture<Void> fields =
            setUp(
                () -> IndexSetup.addFieldsToExisting(connection.client(), settings.indexPrefix()));
        try {
          before =
              previous.before(connection.rest(), settings.indexPrefix(), at, entry.repositories());
        } finally {
          awaitSetUp(template);
          awaitSetUp(fields);
        }
        setUp = true;
      } else {
        before =
            previous.before(connection.rest(), settings.indexPrefix(), at, entry.repositories());
      }
    } catch (IOException | RuntimeException e) {
      throw connection.translate(e, "write to");
    }
    ConcurrentLinkedQueue<Failed> failedItems = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> requestFailures = new ConcurrentLinkedQueue<>();
    AtomicLong accepted = new AtomicLong();
    AtomicLong existing = new AtomicLong();
    BulkListener<Item> listener =
        new BulkListener<>() {
          @Override
          public void beforeBulk(long id, BulkRequest request, List<Item> contexts) {}

          @Override
          public void afterBulk(
              long id, BulkRequest request, List<Item> contexts, BulkResponse response) {
            List<BulkResponseItem> items = response.items();
            for (int i = 0; i < items.size(); i++) {
              BulkResponseItem item = items.get(i);
              if (item.error() == null && item.status() < 300) {
                accepted.incrementAndGet();
              } else if (item.status() == 409) {
                // Created before: by an earlier try whose answer was lost, or by another
                // exporter observing the same period. The document stays as it is.
                existing.incrementAndGet();
              } else {
                failedItems.add(new Failed(item, contexts.get(i)));
              }
            }
          }

          @Override
          public void afterBulk(
              long id, BulkRequest request, List<Item> contexts, Throwable failure) {
            requestFailures.add(failure);
          }
        };
    BulkIngester<Item> ingester =
        BulkIngester.of(
            b ->
                b.client(connection.client())
                    .maxOperations(settings.bulkOperations())
                    .maxSize(8L * 1024 * 1024)
                    .maxConcurrentRequests(2)
                    .backoffPolicy(
                        BackoffPolicy.exponentialBackoff(settings.firstBackoff().toMillis(), 4))
                    .listener(listener));
    List<String> warnings = new ArrayList<>();
    try {
      for (RepositoryStats r : entry.repositories()) {
        Long earlier = before.get(r.fullName());
        if (earlier != null && r.pullCount() < earlier) {
          warnings.add(
              r.fullName()
                  + ": Docker Hub's pull count went down from "
                  + earlier
                  + " to "
                  + r.pullCount()
                  + " at "
                  + at
                  + "; pull_count_delta 0 written");
        }
        Map<String, Object> source = PullDocument.source(r, at, PreviousCounts.delta(r, before));
        String id = PullDocument.id(r, at);
        Item item = new Item(r, source, index);
        ingester.add(op -> op.create(cr -> cr.index(index).id(id).document(source)), item);
      }
    } finally {
      ingester.close();
    }
    if (!requestFailures.isEmpty()) {
      throw connection.translate(requestFailures.peek(), "write to");
    }
    List<String> rejected = new ArrayList<>();
    List<Map<String, Object>> rejectedDocs = new ArrayList<>();
    for (Failed failed : failedItems) {
      BulkResponseItem item = failed.item();
      Item context = failed.context();
      int status = item.status();
      String reason =
          item.error() == null
              ? "status " + status
              : item.error().type() + ": " + EsConnection.firstLine(item.error().reason());
      if (status == 429 || status >= 500) {
        throw new SinkException(
            SinkException.Kind.UNAVAILABLE,
            "Elasticsearch at "
                + settings.where()
                + " did not take "
                + context.repository().fullName()
                + " ("
                + status
                + " "
                + reason
                + ")",
            null);
      }
      rejected.add(context.repository().fullName() + " into " + context.index() + ": " + reason);
      Map<String, Object> kept = new java.util.LinkedHashMap<>();
      kept.put("_index", context.index());
      kept.put("_id", item.id());
      kept.put("reason", reason);
      kept.put("source", context.source());
      rejectedDocs.add(kept);
    }
    previous.remember(at, entry.repositories());
    return new Written(accepted.get(), existing.get(), rejected, rejectedDocs, warnings);
  }

  /** Stops background delivery; what waits stays in the spool for the next run. */
  @Override
  public void close() {
    if (background != null) {
      background.shutdown();
      try {
        if (!background.awaitTermination(5, TimeUnit.SECONDS)) {
          background.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
