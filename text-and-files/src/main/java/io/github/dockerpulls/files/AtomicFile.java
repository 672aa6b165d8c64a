package io.github.dockerpulls.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Replaces a file in one step: the content goes to a hidden temporary file beside the target, which
 * is then renamed over it. A reader sees the old file or the new one, never half of either, and a
 * failure leaves the old file as it was and no temporary file behind. dockerpulls' output files,
 * the Elasticsearch spool and the native library cache all write this way.
 */
public final class AtomicFile {
  /** Writes the new content; the stream is closed by {@link AtomicFile}. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFile() {}

  /**
   * Writes {@code content} to {@code target}'s directory and renames it over {@code target}.
   *
   * @param permissions the new file's POSIX permissions; null keeps the temporary file's (owner
   *     only). Ignored where the file system has none.
   * @param durable whether the data reach the disk before the rename (fsync), so that a crash right
   *     after never leaves an empty file under the final name
   */
  public static void replace(
      Path target, Set<PosixFilePermission> permissions, boolean durable, Content content)
      throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(channel)) {
        content.writeTo(out);
        out.flush();
        if (durable) {
          channel.force(true);
        }
      }
      if (permissions != null) {
        PosixFileAttributeView posix =
            Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        if (posix != null) {
          posix.setPermissions(permissions);
        }
      }
      try {
        Files.move(
            temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
