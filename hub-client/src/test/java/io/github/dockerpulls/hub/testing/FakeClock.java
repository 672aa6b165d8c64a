package io.github.dockerpulls.hub.testing;

import io.github.dockerpulls.hub.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that only moves when told to, and a {@link Sleeper} that moves it instead of sleeping.
 */
public final class FakeClock extends Clock implements Sleeper {
  private Instant now;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  public FakeClock(Instant start) {
    this.now = start;
  }

  public synchronized void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    advance(duration);
  }

  /** Every wait the code under test asked for, in order. */
  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  public Duration totalSlept() {
    return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
