package io.github.dockerpulls.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  @TempDir Path dir;

  @Test
  void replacesTheFileAndLeavesNothingElseBehind() throws IOException {
    Path target = dir.resolve("metrics.prom");
    Files.writeString(target, "old\n");

    AtomicFile.replace(
        target, null, true, out -> out.write("new\n".getBytes(StandardCharsets.UTF_8)));

    assertEquals("new\n", Files.readString(target));
    assertEquals(List.of(target), list());
  }

  @Test
  void aFailedWriteKeepsTheOldFileAndRemovesTheTemporaryOne() throws IOException {
    Path target = dir.resolve("metrics.prom");
    Files.writeString(target, "old\n");

    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                AtomicFile.replace(
                    target,
                    null,
                    false,
                    out -> {
                      out.write("half".getBytes(StandardCharsets.UTF_8));
                      throw new IOException("disk full");
                    }));

    assertEquals("disk full", thrown.getMessage());
    assertEquals("old\n", Files.readString(target));
    assertEquals(List.of(target), list());
  }

  @Test
  void givesTheNewFileThePermissionsAsked() throws IOException {
    Path target = dir.resolve("out.csv");

    AtomicFile.replace(
        target, PosixFilePermissions.fromString("rw-r--r--"), false, out -> out.write('x'));

    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
  }

  @Test
  void withoutPermissionsTheFileStaysTheOwnersAlone() throws IOException {
    Path target = dir.resolve("snapshot.json");

    AtomicFile.replace(target, null, true, out -> out.write('x'));

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
  }

  private List<Path> list() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }
}
