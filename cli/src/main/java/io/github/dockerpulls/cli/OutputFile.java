package io.github.dockerpulls.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * {@code export --output FILE}: the file is replaced in one step, so a reader (node_exporter's
 * textfile collector, a web server, a script) sees the old content or the new, never half of it.
 */
final class OutputFile {
  private static final Set<PosixFilePermission> READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  private OutputFile() {}

  /** Why {@code file} cannot be an output, checked before anything is fetched; null when fine. */
  static String problem(Path file) {
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent();
    if (Files.isDirectory(absolute)) {
      return file + " is a directory";
    }
    if (dir == null || !Files.isDirectory(dir)) {
      return "the directory of " + file + " does not exist";
    }
    if (!Files.isWritable(dir)) {
      return "cannot write in the directory of " + file;
    }
    return null;
  }

  /**
   * Writes {@code content} to a temporary file beside {@code file}, then renames it over {@code
   * file}. The new file keeps the permissions of the one it replaces, or gets rw-r--r--.
   */
  static void write(Path file, String content) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      PosixFileAttributeView posix = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
      if (posix != null) {
        posix.setPermissions(
            Files.exists(target) ? Files.getPosixFilePermissions(target) : READABLE);
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
  }
}
