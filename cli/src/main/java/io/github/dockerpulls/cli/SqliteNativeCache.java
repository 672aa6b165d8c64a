package io.github.dockerpulls.cli;

import io.github.dockerpulls.files.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * sqlite-jdbc copies its native library out of the jar into the temporary directory at every start,
 * which costs a short command 60 to 80 ms. This keeps one copy per sqlite-jdbc version and platform
 * in dockerpulls' cache directory, written once (atomically, so that concurrent commands never load
 * half a file), and points sqlite-jdbc at it. Which of its libraries fits this machine is asked of
 * sqlite-jdbc once per platform and remembered beside the copy: its answer runs {@code uname} as a
 * process, on Linux at every start. Anything that goes wrong leaves sqlite-jdbc to do as it always
 * does.
 */
final class SqliteNativeCache {
  private static final String PATH_PROPERTY = "org.sqlite.lib.path";
  private static final String NAME_PROPERTY = "org.sqlite.lib.name";
  private static final String TMPDIR_PROPERTY = "org.sqlite.tmpdir";

  private SqliteNativeCache() {}

  /** Uses the cached library, copying it there first when needed; once per process. */
  static synchronized void use(Map<String, String> env) {
    if (System.getProperty(PATH_PROPERTY) != null) {
      return; // chosen by the user, or done already
    }
    Path base = cacheDirectory(env);
    if (base == null) {
      return;
    }
    try {
      Path versions = base.resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion());
      String name = LibraryLoaderUtil.getNativeLibName();
      String platform = platform();
      Path remembered = platform == null ? null : versions.resolve("platform-" + platform);
      Path dir = remembered == null ? null : rememberedDirectory(versions, remembered, name);
      if (dir == null) {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath();
        dir = versions.resolve(resource.replaceFirst("^/+", ""));
        Path library = dir.resolve(name);
        if (!Files.isRegularFile(library)) {
          try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource + "/" + name)) {
            if (in == null) {
              return; // a platform the jar has no library for: sqlite-jdbc says so itself
            }
            Files.createDirectories(dir);
            AtomicFile.replace(library, null, false, in::transferTo);
          }
        }
        if (remembered != null) {
          byte[] line = (resource + "\n").getBytes(StandardCharsets.UTF_8);
          try {
            AtomicFile.replace(remembered, null, false, out -> out.write(line));
          } catch (IOException e) {
            // Only the next start's shortcut is lost: it asks sqlite-jdbc again.
          }
        }
      }
      System.setProperty(PATH_PROPERTY, dir.toString());
      System.setProperty(NAME_PROPERTY, name);
      if (System.getProperty(TMPDIR_PROPERTY) == null) {
        // At every start sqlite-jdbc lists its temporary directory for stale copies of its
        // library; with the library cached here, that directory is this small one, not /tmp.
        System.setProperty(TMPDIR_PROPERTY, versions.toString());
      }
    } catch (IOException | RuntimeException e) {
      // The cache cannot be written (a read-only home, say): sqlite-jdbc extracts as usual.
    }
  }

  /**
   * What decides which library fits, read without starting a process: the operating system, the
   * architecture and, on Linux, whether this process runs on musl or glibc (the C library it has
   * mapped). Null where only sqlite-jdbc can tell (Android).
   */
  static String platform() {
    String os = System.getProperty("os.name", "");
    String arch = System.getProperty("os.arch", "");
    if (System.getProperty("java.runtime.name", "").toLowerCase(Locale.ROOT).contains("android")
        || System.getProperty("java.vm.vendor", "").toLowerCase(Locale.ROOT).contains("android")) {
      return null;
    }
    String libc = "";
    if (os.equals("Linux")) {
      try {
        String maps = Files.readString(Path.of("/proc/self/maps"));
        // musl's loader and library: ld-musl-x86_64.so.1, libc.musl-x86_64.so.1
        libc = maps.contains("ld-musl-") || maps.contains("libc.musl-") ? "-musl" : "-glibc";
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
    String key = (os + "-" + arch + libc).replaceAll("[^A-Za-z0-9._-]", "_");
    return key.isEmpty() ? null : key;
  }

  /**
   * The directory of the library a previous run chose for this platform, when the record of it is
   * sound and the library is there; null otherwise.
   */
  private static Path rememberedDirectory(Path versions, Path remembered, String name) {
    try {
      String resource = Files.readString(remembered, StandardCharsets.UTF_8).strip();
      if (!resource.startsWith("/org/sqlite/native/") || resource.contains("..")) {
        return null;
      }
      Path dir = versions.resolve(resource.substring(1));
      return Files.isRegularFile(dir.resolve(name)) ? dir : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The launcher's cache directory: DOCKERPULLS_CACHE_DIR, XDG_CACHE_HOME or ~/.cache. */
  static Path cacheDirectory(Map<String, String> env) {
    String own = env.get("DOCKERPULLS_CACHE_DIR");
    if (own != null && !own.isBlank()) {
      return Path.of(own);
    }
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "dockerpulls");
    }
    String home = env.get("HOME");
    return home == null || home.isBlank() ? null : Path.of(home, ".cache", "dockerpulls");
  }
}
