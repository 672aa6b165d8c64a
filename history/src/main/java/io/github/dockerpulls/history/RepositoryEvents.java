package io.github.dockerpulls.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
    boolean truncated = false;
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT observed_at, star_count, last_updated FROM observation"
                + " WHERE repository_id = ? AND observed_at BETWEEN ? AND ?"
                + " UNION ALL SELECT observed_at, star_count, last_updated FROM recent"
                + " WHERE repository_id = ? AND observed_at BETWEEN ? AND ?"
                + " ORDER BY observed_at")) {
      for (int i = 0; i < 2; i++) {
        q.setLong(1 + 3 * i, repositoryId);
        q.setLong(2 + 3 * i, since.getEpochSecond());
        q.setLong(3 + 3 * i, until.getEpochSecond());
      }
      Long lastStars = null;
      Long lastPush = null;
      boolean first = true;
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          long at = r.getLong(1);
          long s = r.getLong(2);
          boolean hasStars = !r.wasNull();
          long pushed = r.getLong(3);
          boolean hasPush = !r.wasNull();
          if (hasStars && (lastStars == null || s != lastStars)) {
            if (stars.size() < MAX) {
              stars.add(new Stars(Instant.ofEpochSecond(at), s));
            } else {
              truncated = true;
            }
            lastStars = s;
          }
          if (hasPush && (lastPush == null || pushed != lastPush)) {
            // The first observation's last push is a push only when it falls in the window.
            if (!first || pushed >= since.getEpochSecond()) {
              if (pushes.size() < MAX) {
                pushes.add(Instant.ofEpochSecond(pushed));
              } else {
                truncated = true;
              }
            }
            lastPush = pushed;
          }
          first = false;
        }
      }
    }
    return new RepositoryEvents(stars, pushes, truncated);
  }
}
