package io.github.dockerpulls.history;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A process that records 500 repositories per transaction, a minute apart from {@code args[1]} on,
 * until it is killed, printing the number of committed transactions after each: {@link CrashTest}
 * kills it with SIGKILL mid-write.
 */
final class CrashingWriter {
  private CrashingWriter() {}

  public static void main(String[] args) throws Exception {
    Instant start = Instant.parse(args[1]);
    try (HistoryStore store =
        HistoryStore.open(Path.of(args[0]), Retention.DEFAULT, Clock.systemUTC())) {
      for (int i = 0; ; i++) {
        List<Observation> batch = new ArrayList<>();
        for (int r = 0; r < 500; r++) {
          batch.add(Observation.ofPulls("crash", "repo" + r, start.plus(Duration.ofMinutes(i)), i));
        }
        store.record(batch);
        System.out.println("committed " + (i + 1));
        System.out.flush();
      }
    }
  }
}
