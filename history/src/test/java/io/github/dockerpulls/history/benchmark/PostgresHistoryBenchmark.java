package io.github.dockerpulls.history.benchmark;

import io.github.dockerpulls.history.Histories;

/**
 * {@link HistoryBenchmark} on a real PostgreSQL server that this JVM starts (as the tests do:
 * Debian's package, loopback, stopped at the end), so that the two kinds of history are measured
 * alike.
 *
 * <p>Arguments: {@code [repositories] [days]}.
 */
public final class PostgresHistoryBenchmark {
  private PostgresHistoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repositories = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 365;
    HistoryBenchmark.run(Histories.newDatabase(), repositories, days);
    System.exit(0);
  }
}
