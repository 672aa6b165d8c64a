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
    System.clearProperty("org.sqlite.tmpdir");
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
    // Which library fits this machine was remembered beside the copies, for the next runs.
    Path versions = cache.resolve(cache.relativize(dir).getName(0));
    Path remembered = versions.resolve("platform-" + SqliteNativeCache.platform());
    assertThat(Files.readString(remembered).strip())
        .isEqualTo("/" + versions.relativize(dir).toString().replace('\\', '/'));
    // sqlite-jdbc's search for stale copies of its library looks there too, not in /tmp.
    assertThat(System.getProperty("org.sqlite.tmpdir")).isEqualTo(versions.toString());

    // A record that points outside, or at a library that is gone, is not followed.
    Files.writeString(remembered, "/org/sqlite/native/../../../../etc\n");
    System.clearProperty("org.sqlite.lib.path");
    SqliteNativeCache.use(Map.of("DOCKERPULLS_CACHE_DIR", cache.toString()));
    assertThat(System.getProperty("org.sqlite.lib.path")).isEqualTo(dir.toString());
    assertThat(Files.readString(remembered).strip()).startsWith("/org/sqlite/native/");
    assertThat(Files.readString(remembered)).doesNotContain("..");

    Files.writeString(remembered, "/org/sqlite/native/Nowhere/none\n");
    System.clearProperty("org.sqlite.lib.path");
    SqliteNativeCache.use(Map.of("DOCKERPULLS_CACHE_DIR", cache.toString()));
    assertThat(System.getProperty("org.sqlite.lib.path")).isEqualTo(dir.toString());
  }

  @Test
  void thePlatformNamesTheCLibraryOnLinux() {
    String platform = SqliteNativeCache.platform();
    assertThat(platform).matches("[A-Za-z0-9._-]+");
    if (System.getProperty("os.name").equals("Linux")) {
      assertThat(platform).matches("Linux-.+-(glibc|musl)");
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
