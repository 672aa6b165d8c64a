package io.github.dockerpulls.history;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Receives a report as the history computes it, one repository at a time, so that an answer of any
 * size is written out as it is made and never held whole: {@link HistoryStore#stream} calls {@link
 * #begin} once, {@link #repository} for each repository, then {@link #end}.
 */
public interface ReportWriter {
  /**
   * @param since the first period's start
   * @param until the end of the window
   */
  void begin(Instant since, Instant until, Granularity by, ZoneId zone) throws IOException;

  void repository(RepositoryHistory repository) throws IOException;

  void end() throws IOException;
}
