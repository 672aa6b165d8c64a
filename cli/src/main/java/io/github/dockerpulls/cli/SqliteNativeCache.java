package io.github.dockerpulls.cli;

import io.github.dockerpulls.files.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * sqlite-jdbc copies its native library out of the jar into the temporary directory at every start,
 * which costs a short command 60 to 80 ms. This keeps one copy per sqlite-jdbc version and platform
 * in dockerpulls' cache directory, written once (atomically, so that concurrent commands never load
 * half a file), and points sqlite-jdbc at it. Anything that goes wrong leaves sqlite-jdbc to do as
 * it always does.
 */
final class SqliteNativeCache {
  private static final String PATH_PROPERTY = "org.sqlite.lib.path";
  private static final String NAME_PROPERTY = "org.sqlite.lib.name";

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
      String resource = LibraryLoaderUtil.getNativeLibResourcePath();
      String name = LibraryLoaderUtil.getNativeLibName();
      Path dir =
          base.resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion())
              .resolve(resource.replaceFirst("^/+", ""));
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
      System.setProperty(PATH_PROPERTY, dir.toString());
      System.setProperty(NAME_PROPERTY, name);
    } catch (IOException | RuntimeException e) {
      // The cache cannot be written (a read-only home, say): sqlite-jdbc extracts as usual.
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
