package io.github.dockerpulls.history;

import java.time.Instant;
import java.util.List;

/**
 * One repository's pulls in the windows that end now (the last 24 hours, 7 days, 30 days, as asked)
 * and since when the history covers it.
 *
 * @param coveredFrom the repository's first observation; null when the history does not know it
 * @param pulls the pulls of each window, in the order asked; null where the history covers none of
 *     it
 */
public record RecentPulls(Instant coveredFrom, List<Long> pulls) {
  public RecentPulls {
    pulls = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(pulls));
  }

  /** Whether any window's pulls are known. */
  public boolean anyKnown() {
    return pulls.stream().anyMatch(java.util.Objects::nonNull);
  }
}
