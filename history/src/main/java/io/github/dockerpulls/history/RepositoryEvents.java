package io.github.dockerpulls.history;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What changed about one repository over a window besides its pulls, as the recorded observations
 * show it: its star count at each change, and each push (a new last-updated time). What a
 * repository's page marks on its time axis.
 *
 * @param stars the star count where it changed, oldest first; the first observation in the window
 *     included
 * @param pushes the last-updated times that observations in the window brought, oldest first
 * @param truncated whether the window held more changes than {@link #MAX} of either kind
 */
public record RepositoryEvents(List<Stars> stars, List<Instant> pushes, boolean truncated) {
  /** The most changes of each kind given. */
  public static final int MAX = 2_000;

  public RepositoryEvents {
    stars = List.copyOf(stars);
    pushes = List.copyOf(pushes);
  }

  /** A star count as of a time. */
  public record Stars(Instant at, long stars) {}

  /** Reads them from both tables of observations. */
  static RepositoryEvents read(Connection c, long repositoryId, Instant since, Instant until)
      throws SQLException {
    List<Stars> stars = new ArrayList<>();
    List<Instant> pushes = new ArrayList<>();
    boolean[] truncated = {false};
    Long[] last = {null, null}; // stars, push
    boolean[] first = {true};
    try {
      HistoryQueries.observations(
          c,
          repositoryId,
          since,
          until,
          (at, pullCount, s, pushed, growth) -> {
            if (s != null && !s.equals(last[0])) {
              if (stars.size() < MAX) {
                stars.add(new Stars(Instant.ofEpochSecond(at), s));
              } else {
                truncated[0] = true;
              }
              last[0] = s;
            }
            if (pushed != null && !pushed.equals(last[1])) {
              // The first observation's last push is a push only when it falls in the window.
              if (!first[0] || pushed >= since.getEpochSecond()) {
                if (pushes.size() < MAX) {
                  pushes.add(Instant.ofEpochSecond(pushed));
                } else {
                  truncated[0] = true;
                }
              }
              last[1] = pushed;
            }
            first[0] = false;
          });
    } catch (java.io.IOException e) {
      throw new IllegalStateException("collecting in memory does not fail", e);
    }
    return new RepositoryEvents(stars, pushes, truncated[0]);
  }
}
