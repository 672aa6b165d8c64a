package io.github.dockerpulls.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dockerpulls.hub.RepositoryStats;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Observations waiting for Elasticsearch: one JSON file per snapshot, named by its observation time
 * so that they are delivered in order, written atomically (a temporary file moved into place),
 * removed once delivered. Documents Elasticsearch rejected for good are kept under {@code
 * rejected/} as NDJSON for a person to look at.
 */
public final class Spool {
  private static final String PREFIX = "snapshot-";
  private static final String SUFFIX = ".json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  public Spool(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
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
    ObjectNode root = JSON.createObjectNode();
    root.put("format", 1);
    root.put("observed_at", observedAt.toString());
    ArrayNode repos = root.putArray("repositories");
    for (RepositoryStats r : repositories) {
      ObjectNode n = repos.addObject();
      n.put("namespace", r.namespace());
      n.put("name", r.name());
      n.put("pull_count", r.pullCount());
      r.starCount().ifPresent(v -> n.put("star_count", v));
      r.collaboratorCount().ifPresent(v -> n.put("collaborator_count", v));
      r.lastUpdated().ifPresent(t -> n.put("last_updated", t.toString()));
    }
    Path target = dir.resolve(fileName(observedAt));
    Path temp = Files.createTempFile(dir, ".incoming-", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
        JSON.writeValue(new NonClosing(out), root);
        ch.force(true);
      }
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    return target;
  }

  /** File names sort by observation time: nanoseconds since the epoch, zero-padded. */
  static String fileName(Instant t) {
    long nanos = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    return PREFIX + String.format("%020d", nanos) + SUFFIX;
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
                return n.startsWith(PREFIX) && n.endsWith(SUFFIX);
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
