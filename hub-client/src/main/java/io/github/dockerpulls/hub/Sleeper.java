package io.github.dockerpulls.hub;

import java.time.Duration;

/**
 * How the client waits (between retries, until a rate limit resets). The default sleeps the current
 * thread; tests pass one that moves a fake clock instead.
 */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM =
      duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
          Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
      };

  void sleep(Duration duration) throws InterruptedException;
}
