package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SqliteNativeCacheTest {
  @AfterEach
  void forget() {
    // Later tests in this JVM let sqlite-jdbc extract its library as usual.
    System.clearProperty("org.sqlite.lib.path");
    System.clearProperty("org.sqlite.lib.name");
  }

  @Test
  void theLibraryIsCopiedOnceIntoTheCacheAndSqliteJdbcPointedAtIt() throws Exception {
    System.clearProperty("org.sqlite.lib.path");
    Path cache = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "cache-");
    SqliteNativeCache.use(Map.of("DOCKERPULLS_CACHE_DIR", cache.toString()));
    Path dir = Path.of(System.getProperty("org.sqlite.lib.path"));
    Path library = dir.resolve(System.getProperty("org.sqlite.lib.name"));
    assertThat(dir).startsWith(cache);
    assertThat(library).isRegularFile();
    assertThat(Files.size(library)).isGreaterThan(100_000);
    long written = Files.getLastModifiedTime(library).toMillis();

    System.clearProperty("org.sqlite.lib.path");
    Thread.sleep(20);
    SqliteNativeCache.use(Map.of("DOCKERPULLS_CACHE_DIR", cache.toString()));
    assertThat(Files.getLastModifiedTime(library).toMillis()).isEqualTo(written);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(library); // no partial copy left
    }
  }

  @Test
  void withoutACacheDirectorySqliteJdbcIsLeftAlone() {
    System.clearProperty("org.sqlite.lib.path");
    SqliteNativeCache.use(Map.of());
    assertThat(System.getProperty("org.sqlite.lib.path")).isNull();
  }

  @Test
  void theCacheDirectoryFollowsTheLaunchersRules() {
    assertThat(
            SqliteNativeCache.cacheDirectory(Map.of("DOCKERPULLS_CACHE_DIR", "/c", "HOME", "/h")))
        .isEqualTo(Path.of("/c"));
    assertThat(SqliteNativeCache.cacheDirectory(Map.of("XDG_CACHE_HOME", "/x", "HOME", "/h")))
        .isEqualTo(Path.of("/x/dockerpulls"));
    assertThat(SqliteNativeCache.cacheDirectory(Map.of("HOME", "/h")))
        .isEqualTo(Path.of("/h/.cache/dockerpulls"));
  }
}
