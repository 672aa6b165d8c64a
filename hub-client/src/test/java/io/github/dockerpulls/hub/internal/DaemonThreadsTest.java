package io.github.dockerpulls.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {
  @Test
  void aPoolMakesDaemonThreadsWhenWorkComesAndEndsThemWhenIdle() throws Exception {
    ExecutorService pool = DaemonThreads.pool(3, "test-pool", Duration.ofMillis(50));
    try {
      List<Future<String>> names = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        names.add(
            pool.submit(
                () -> {
                  Thread t = Thread.currentThread();
                  return t.getName() + (t.isDaemon() ? " daemon" : " user");
                }));
      }
      for (Future<String> name : names) {
        assertThat(name.get()).matches("test-pool-[123] daemon");
      }
      ThreadPoolExecutor executor = (ThreadPoolExecutor) pool;
      assertThat(executor.getLargestPoolSize()).isLessThanOrEqualTo(3);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (executor.getPoolSize() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(executor.getPoolSize()).isZero();
      // and it works again after
      assertThat(pool.submit(() -> 42).get()).isEqualTo(42);
    } finally {
      pool.shutdownNow();
    }
  }
}
