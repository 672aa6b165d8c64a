package io.github.dockerpulls.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.testing.CapturedLog;
import io.github.dockerpulls.hub.testing.FakeClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  @TempDir Path dir;

  private static List<RepositoryStats> repos(int n) {
    List<RepositoryStats> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(
          new RepositoryStats(
              "camunda",
              String.format("repo-%05d", i),
              1_000_000L + i,
              OptionalLong.of(3),
              Optional.of(T0),
              OptionalLong.empty()));
    }
    return list;
  }

  private static List<Instant> waiting(Spool spool) throws IOException {
    List<Instant> times = new ArrayList<>();
    for (Path p : spool.pending()) {
      times.add(spool.read(p).observedAt());
    }
    return times;
  }

  @Test
  void whatAnotherProcessReadsIsWhatThisOneDeliversFromMemory() throws IOException {
    List<RepositoryStats> written = new ArrayList<>(repos(3));
    written.add(
        new RepositoryStats(
            "camunda", "bare", 7, OptionalLong.empty(), Optional.empty(), OptionalLong.of(2)));
    Spool spool = new Spool(dir);
    Path file = spool.add(T0, written);

    Spool.Entry fromMemory = spool.read(file);
    Spool.Entry fromDisk = new Spool(dir).read(file);

    assertThat(fromDisk).isEqualTo(fromMemory);
    assertThat(fromDisk.repositories()).isEqualTo(written);
    assertThat(fromDisk.observedAt()).isEqualTo(T0);
  }

  @Test
  void aSpoolFileChangedSinceItWasWrittenIsReadAgain() throws IOException {
    Spool spool = new Spool(dir);
    Path file = spool.add(T0, repos(2));
    Path other = new Spool(dir.resolve("other")).add(T0, repos(5));
    Files.copy(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(T0.plusSeconds(60)));

    assertThat(spool.read(file).repositories()).hasSize(5);
  }

  @Test
  void aRemovedEntryIsNotServedFromMemory() throws IOException {
    Spool spool = new Spool(dir);
    Path file = spool.add(T0, repos(2));
    spool.remove(spool.read(file));

    assertThat(spool.pending()).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> spool.read(file))
        .isInstanceOf(IOException.class);
  }

  @Test
  void beyondItsSizeTheOldestSnapshotsGoFirstCountedAndLoggedOnce() throws IOException {
    FakeClock clock = new FakeClock(T0);
    Path probe = new Spool(dir.resolve("probe")).add(T0, repos(50));
    long one = Files.size(probe);
    Spool spool = new Spool(dir.resolve("spool"), 3 * one + one / 2, Duration.ofDays(7), clock);
    CapturedLog log = CapturedLog.of(Spool.class);
    try {
      for (int i = 0; i < 3; i++) {
        spool.add(T0.plusSeconds(300L * i), repos(50));
      }
      assertThat(log.messages()).isEmpty();
      spool.add(T0.plusSeconds(900), repos(50));
      spool.add(T0.plusSeconds(1200), repos(50));
    } finally {
      log.close();
    }
    assertThat(waiting(spool))
        .containsExactly(T0.plusSeconds(600), T0.plusSeconds(900), T0.plusSeconds(1200));
    Spool.Stats stats = spool.stats();
    assertThat(stats.snapshots()).isEqualTo(3);
    assertThat(stats.bytes()).isEqualTo(3 * one);
    assertThat(stats.oldest()).hasValue(T0.plusSeconds(600));
    assertThat(stats.droppedTotal()).isEqualTo(2);
    assertThat(log.messages()).hasSize(2);
    assertThat(log.messages().get(0))
        .startsWith("elasticsearch spool: dropped the oldest snapshot (observed " + T0 + ")")
        .contains("7 days")
        .endsWith("; 1 dropped since start");
  }

  @Test
  void snapshotsOlderThanTheAgeBoundAreDroppedButTheNewestStaysWhateverItsSize()
      throws IOException {
    FakeClock clock = new FakeClock(T0);
    Spool spool = new Spool(dir, 10, Duration.ofHours(2), clock);
    spool.add(T0, repos(10));
    // Larger than the bound on its own: kept, being the newest.
    assertThat(waiting(spool)).containsExactly(T0);
    clock.advance(Duration.ofHours(3));
    spool.add(clock.instant(), repos(10));
    assertThat(waiting(spool)).containsExactly(T0.plus(Duration.ofHours(3)));
    assertThat(spool.droppedTotal()).isEqualTo(1);
  }

  @Test
  void withinItsBoundsNothingIsDropped() throws IOException {
    Spool spool = new Spool(dir);
    for (int i = 0; i < 5; i++) {
      spool.add(T0.plusSeconds(i), repos(20));
    }
    assertThat(spool.pending()).hasSize(5);
    assertThat(spool.stats().droppedTotal()).isZero();
  }

  @Test
  void boundsAreWrittenAsPeopleReadThem() {
    assertThat(Spool.bytes(512L * 1024 * 1024)).isEqualTo("512 MiB");
    assertThat(Spool.bytes(64 * 1024)).isEqualTo("64 KiB");
    assertThat(Spool.bytes(900)).isEqualTo("900 bytes");
    assertThat(Spool.age(Duration.ofDays(7))).isEqualTo("7 days");
    assertThat(Spool.age(Duration.ofHours(1))).isEqualTo("1 hour");
    assertThat(Spool.age(Duration.ofMinutes(90))).isEqualTo("90 minutes");
  }

  @Test
  void aSnapshotIsDeliveredOnlyToTheDestinationItWasSpooledFor() throws Exception {
    Spool one = new Spool(dir, 1 << 30, Duration.ofDays(7), Clock.systemUTC(), "https://a:9200\nx");
    Spool two = new Spool(dir, 1 << 30, Duration.ofDays(7), Clock.systemUTC(), "https://b:9200\nx");
    Spool prefix =
        new Spool(dir, 1 << 30, Duration.ofDays(7), Clock.systemUTC(), "https://a:9200\ny");
    Path forOne = one.add(T0, repos(2));
    Path forTwo = two.add(T0.plusSeconds(60), repos(3));
    // Written by a version that knew no destinations: whoever reads it first delivers it.
    Path older = new Spool(dir).add(T0.plusSeconds(120), repos(1));
    assertThat(one.pending()).containsExactly(forOne, older);
    assertThat(two.pending()).containsExactly(forTwo, older);
    assertThat(prefix.pending()).containsExactly(older);
    assertThat(Spool.observedAt(forTwo)).hasValue(T0.plusSeconds(60));
    assertThat(one.stats().snapshots()).isEqualTo(2);
  }
}
