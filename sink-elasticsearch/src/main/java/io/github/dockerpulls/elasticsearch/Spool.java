package io.github.dockerpulls.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dockerpulls.files.AtomicFile;
import io.github.dockerpulls.hub.RepositoryStats;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Observations waiting for Elasticsearch: one JSON file per snapshot, named by its observation time
 * so that they are delivered in order, written atomically (a temporary file moved into place),
 * removed once delivered. Documents Elasticsearch rejected for good are kept under {@code
 * rejected/} as NDJSON for a person to look at.
 *
 * <p>The spool is bounded in size and in age: after each snapshot is added, the oldest ones go
 * until the rest fit (the newest always stays), each loss counted and logged once with what it
 * dropped.
 */
public final class Spool {
  private static final System.Logger LOG = System.getLogger(Spool.class.getName());
  private static final String PREFIX = "snapshot-";
  private static final String SUFFIX = ".json";
  private static final ObjectMapper JSON = Jackson.MAPPER;

  /** The default bound of the spool's size: 512 MiB, about 850 snapshots of 5,000 repositories. */
  public static final long DEFAULT_MAX_BYTES = 512L * 1024 * 1024;

  /** The default bound of the age of what waits: 7 days. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);

  private final Path dir;
  private final long maxBytes;
  private final Duration maxAge;
  private final Clock clock;

  /** The destination's key in this spool's file names; empty for a spool of no one destination. */
  private final String destination;

  private final AtomicLong dropped = new AtomicLong();

  /** A spool with the default bounds. */
  public Spool(Path dir) {
    this(dir, DEFAULT_MAX_BYTES, DEFAULT_MAX_AGE, Clock.systemUTC());
  }

  /**
   * @param maxBytes the most the waiting snapshots may take together
   * @param maxAge how old a waiting observation may get
   */
  public Spool(Path dir, long maxBytes, Duration maxAge, Clock clock) {
    this(dir, maxBytes, maxAge, clock, null);
  }

  /**
   * A spool whose snapshots are for one {@code destination} (such as an Elasticsearch URL and index
   * prefix): its files carry the destination's key, and snapshots spooled for another destination
   * in the same directory are neither delivered nor counted here. Files of an earlier version,
   * without a key, are delivered by the first spool that reads them.
   */
  public Spool(Path dir, long maxBytes, Duration maxAge, Clock clock, String destination) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("the spool's size bound must be positive");
    }
    if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("the spool's age bound must be positive");
    }
    this.dir = dir;
    this.destination = destination == null ? "" : key(destination);
    this.maxBytes = maxBytes;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  public Path dir() {
    return dir;
  }

  /** What waits, for metrics and the page. */
  public record Stats(int snapshots, long bytes, Optional<Instant> oldest, long droppedTotal) {}

  /** The spool's state now; zero snapshots when its directory cannot be read. */
  public Stats stats() {
    List<Path> files;
    try {
      files = pending();
    } catch (IOException e) {
      return new Stats(0, 0, Optional.empty(), dropped.get());
    }
    long bytes = 0;
    for (Path f : files) {
      bytes += sizeOf(f);
    }
    Optional<Instant> oldest = files.isEmpty() ? Optional.empty() : observedAt(files.get(0));
    return new Stats(files.size(), bytes, oldest, dropped.get());
  }

  /** Snapshots dropped to keep within the bounds since this spool was made. */
  public long droppedTotal() {
    return dropped.get();
  }

  /**
   * Drops the oldest waiting snapshots until the rest fit the size and age bounds; the newest is
   * kept whatever its size. Returns how many went.
   */
  public int enforceBounds() throws IOException {
    List<Path> files = pending();
    if (files.size() <= 1) {
      return 0;
    }
    long total = 0;
    long[] sizes = new long[files.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = sizeOf(files.get(i));
      total += sizes[i];
    }
    Instant tooOld = clock.instant().minus(maxAge);
    int drop = 0;
    while (drop < files.size() - 1) {
      Optional<Instant> at = observedAt(files.get(drop));
      boolean old = at.isPresent() && at.get().isBefore(tooOld);
      if (!old && total <= maxBytes) {
        break;
      }
      total -= sizes[drop];
      drop++;
    }
    for (int i = 0; i < drop; i++) {
      Files.deleteIfExists(files.get(i));
    }
    if (drop > 0) {
      long sum = dropped.addAndGet(drop);
      LOG.log(
          System.Logger.Level.WARNING,
          "elasticsearch spool: dropped the "
              + (drop == 1 ? "oldest snapshot" : drop + " oldest snapshots")
              + " (observed "
              + observedAt(files.get(0)).map(Instant::toString).orElse("?")
              + (drop == 1
                  ? ""
                  : " to " + observedAt(files.get(drop - 1)).map(Instant::toString).orElse("?"))
              + ") to stay within "
              + bytes(maxBytes)
              + " and "
              + age(maxAge)
              + "; "
              + sum
              + " dropped since start");
    }
    return drop;
  }

  /** {@code 512 MiB}, {@code 64 KiB}, {@code 900 bytes}. */
  static String bytes(long n) {
    if (n >= 1024 * 1024 && n % (1024 * 1024) == 0) {
      return n / (1024 * 1024) + " MiB";
    }
    if (n >= 1024 && n % 1024 == 0) {
      return n / 1024 + " KiB";
    }
    return n + " bytes";
  }

  /** {@code 7 days}, {@code 12 hours}, {@code 90 minutes}, {@code 30 seconds}. */
  static String age(Duration d) {
    if (d.toSeconds() % 86_400 == 0) {
      return d.toDays() + (d.toDays() == 1 ? " day" : " days");
    }
    if (d.toSeconds() % 3_600 == 0) {
      return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
    }
    if (d.toSeconds() % 60 == 0) {
      return d.toMinutes() + " minutes";
    }
    return d.toSeconds() + " seconds";
  }

  private static long sizeOf(Path f) {
    try {
      return Files.size(f);
    } catch (IOException gone) {
      return 0;
    }
  }

  /** A destination's key in file names: 16 hex digits of its SHA-256. */
  static String key(String destination) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(destination.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The destination key a spool file's name carries, or empty for a file without one. */
  private static String keyOf(String name) {
    String core = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
    int dash = core.indexOf('-');
    return dash < 0 ? "" : core.substring(dash + 1);
  }

  /** Whether this spool delivers {@code name}: its destination's, or one of no destination. */
  private boolean ours(String name) {
    String key = keyOf(name);
    return key.isEmpty() || key.equals(destination);
  }

  /** The observation time a spool file's name carries. */
  static Optional<Instant> observedAt(Path file) {
    String n = file.getFileName().toString();
    if (!n.startsWith(PREFIX) || !n.endsWith(SUFFIX)) {
      return Optional.empty();
    }
    try {
      String core = n.substring(PREFIX.length(), n.length() - SUFFIX.length());
      int dash = core.indexOf('-');
      long nanos = Long.parseLong(dash < 0 ? core : core.substring(0, dash));
      return Optional.of(
          Instant.ofEpochSecond(
              Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A snapshot's repositories at one observation time, as stored in the spool. */
  public record Entry(Path file, Instant observedAt, List<RepositoryStats> repositories) {}

  /**
   * Stores an observation; returns its file. Storing the same observation again replaces it.
   *
   * @throws IOException if the directory cannot be written
   */
  public Path add(Instant observedAt, List<RepositoryStats> repositories) throws IOException {
    Files.createDirectories(dir);
    Path target = dir.resolve(fileName(observedAt, destination));
    AtomicFile.replace(
        target,
        null,
        true,
        out -> {
          try (com.fasterxml.jackson.core.JsonGenerator json =
              JSON.getFactory().createGenerator(new NonClosing(out))) {
            json.writeStartObject();
            json.writeNumberField("format", 1);
            json.writeStringField("observed_at", observedAt.toString());
            json.writeArrayFieldStart("repositories");
            for (RepositoryStats r : repositories) {
              json.writeStartObject();
              json.writeStringField("namespace", r.namespace());
              json.writeStringField("name", r.name());
              json.writeNumberField("pull_count", r.pullCount());
              if (r.starCount().isPresent()) {
                json.writeNumberField("star_count", r.starCount().getAsLong());
              }
              if (r.collaboratorCount().isPresent()) {
                json.writeNumberField("collaborator_count", r.collaboratorCount().getAsLong());
              }
              if (r.lastUpdated().isPresent()) {
                json.writeStringField("last_updated", r.lastUpdated().get().toString());
              }
              json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
          }
        });
    lastAdded =
        new Written(
            new Entry(target, observedAt, List.copyOf(repositories)),
            Files.size(target),
            Files.getLastModifiedTime(target));
    enforceBounds();
    return target;
  }

  /**
   * The observation this process spooled last, so that delivering it right away does not read back
   * and parse what was just written; used only while its file is the one written (same size and
   * modification time).
   */
  private record Written(Entry entry, long size, java.nio.file.attribute.FileTime modified) {}

  private volatile Written lastAdded;

  /**
   * File names sort by observation time: nanoseconds since the epoch, zero-padded, then the
   * destination's key when the spool has one.
   */
  static String fileName(Instant t, String destinationKey) {
    long nanos = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    return PREFIX
        + String.format("%020d", nanos)
        + (destinationKey.isEmpty() ? "" : "-" + destinationKey)
        + SUFFIX;
  }

  /** The waiting observations, oldest first. */
  public List<Path> pending() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(
              p -> {
                String n = p.getFileName().toString();
                return n.startsWith(PREFIX) && n.endsWith(SUFFIX) && ours(n);
              })
          .sorted()
          .toList();
    }
  }

  /**
   * Reads one waiting observation.
   *
   * @throws IOException if it cannot be read or is not a spool file
   */
  public Entry read(Path file) throws IOException {
    Written last = lastAdded;
    if (last != null
        && last.entry().file().equals(file)
        && Files.size(file) == last.size()
        && Files.getLastModifiedTime(file).equals(last.modified())) {
      return last.entry();
    }
    JsonNode root = JSON.readTree(file.toFile());
    if (root == null || root.path("format").asInt() != 1 || !root.path("repositories").isArray()) {
      throw new IOException(file + " is not a dockerpulls spool file");
    }
    Instant at = Instant.parse(root.path("observed_at").asText());
    List<RepositoryStats> repos = new ArrayList<>();
    for (JsonNode n : root.path("repositories")) {
      repos.add(
          new RepositoryStats(
              n.path("namespace").asText(),
              n.path("name").asText(),
              n.path("pull_count").asLong(),
              optionalLong(n, "star_count"),
              n.hasNonNull("last_updated")
                  ? Optional.of(Instant.parse(n.get("last_updated").asText()))
                  : Optional.empty(),
              optionalLong(n, "collaborator_count")));
    }
    return new Entry(file, at, List.copyOf(repos));
  }

  private static OptionalLong optionalLong(JsonNode n, String field) {
    return n.hasNonNull(field) ? OptionalLong.of(n.get(field).asLong()) : OptionalLong.empty();
  }

  /** Forgets a delivered observation. */
  public void remove(Entry entry) throws IOException {
    Written last = lastAdded;
    if (last != null && last.entry().file().equals(entry.file())) {
      lastAdded = null;
    }
    Files.deleteIfExists(entry.file());
  }

  /** Keeps documents Elasticsearch refused for good, beside the spool. */
  public Path keepRejected(Entry entry, List<Map<String, Object>> rejected) throws IOException {
    Path rejectedDir = dir.resolve("rejected");
    Files.createDirectories(rejectedDir);
    Path file =
        rejectedDir.resolve(entry.file().getFileName().toString().replace(SUFFIX, ".ndjson"));
    StringBuilder lines = new StringBuilder();
    for (Map<String, Object> doc : rejected) {
      lines.append(JSON.writeValueAsString(doc)).append('\n');
    }
    Files.writeString(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Takes the spool's lock, so that two processes sharing a spool do not deliver the same files at
   * once; empty when another process holds it.
   */
  public Optional<AutoCloseable> tryLock() throws IOException {
    Files.createDirectories(dir);
    FileChannel channel =
        FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException heldHere) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      return Optional.empty();
    }
    FileLock held = lock;
    return Optional.of(
        () -> {
          held.release();
          channel.close();
        });
  }

  /** Keeps Jackson from closing the channel before it is forced to disk. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
