package io.github.dockerpulls.cli;

import io.github.dockerpulls.files.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    write(file, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
  }

  /** {@link #write(Path, String)} for content written as it is made. */
  static void write(Path file, AtomicFile.Content content) throws IOException {
    Path target = file.toAbsolutePath();
    Set<PosixFilePermission> permissions =
        Files.exists(target) && supportsPosix(target)
            ? Files.getPosixFilePermissions(target)
            : READABLE;
    AtomicFile.replace(target, permissions, false, content);
  }

  private static boolean supportsPosix(Path file) {
    return Files.getFileAttributeView(file, PosixFileAttributeView.class) != null;
  }
}
