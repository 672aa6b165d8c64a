package io.github.dockerpulls.cli;

import com.squareup.moshi.JsonWriter;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Snapshot;
import io.github.dockerpulls.hub.Target;
import io.github.dockerpulls.hub.TargetResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okio.Buffer;

/** How {@code export} prints a snapshot. */
public enum Format {
  /** Aligned columns with thousands separators, for people. */
  TABLE {
    @Override
    void write(Snapshot snapshot, PrintWriter out) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"REPOSITORY", "PULLS", "STARS", "LAST UPDATED"});
      long total = 0;
      for (RepositoryStats r : snapshot.repositories()) {
        total += r.pullCount();
        rows.add(
            new String[] {
              r.fullName(),
              thousands(r.pullCount()),
              r.starCount().isPresent() ? thousands(r.starCount().getAsLong()) : "-",
              r.lastUpdated().map(HUMAN_TIME::format).orElse("-")
            });
      }
      int[] widths = new int[4];
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      }
      for (String[] row : rows) {
        String line =
            pad(row[0], widths[0], false)
                + "  "
                + pad(row[1], widths[1], true)
                + "  "
                + pad(row[2], widths[2], true)
                + "  "
                + row[3];
        out.println(line.stripTrailing());
      }
      int n = snapshot.repositories().size();
      out.println();
      out.println(
          n
              + (n == 1 ? " repository, " : " repositories, ")
              + thousands(total)
              + " pulls, observed "
              + snapshot.observedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
  },

  /** One JSON document: the observation time, the repositories and each target's outcome. */
  JSON {
    @Override
    void write(Snapshot snapshot, PrintWriter out) throws IOException {
      Buffer buffer = new Buffer();
      try (JsonWriter json = JsonWriter.of(buffer)) {
        json.setIndent("  ");
        json.beginObject();
        json.name("observed_at").value(snapshot.observedAt().toString());
        json.name("repositories").beginArray();
        for (RepositoryStats r : snapshot.repositories()) {
          writeRepository(json, r);
        }
        json.endArray();
        json.name("targets").beginArray();
        for (TargetResult t : snapshot.targets()) {
          json.beginObject();
          json.name("target").value(t.target().id());
          json.name("type")
              .value(t.target() instanceof Target.Organization ? "organization" : "repository");
          json.name("ok").value(t.ok());
          if (t.ok()) {
            json.name("repository_count").value(t.repositories().size());
          } else {
            HubException e = t.error().orElseThrow();
            json.name("error").beginObject();
            json.name("kind").value(errorKind(e));
            json.name("message").value(e.getMessage());
            if (e.retryTime().isPresent()) {
              json.name("retry_at").value(e.retryTime().get().toString());
            }
            json.endObject();
          }
          json.endObject();
        }
        json.endArray();
        json.endObject();
      }
      out.println(buffer.readUtf8());
    }
  };

  private static final DateTimeFormatter HUMAN_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  abstract void write(Snapshot snapshot, PrintWriter out) throws IOException;

  static void writeRepository(JsonWriter json, RepositoryStats r) throws IOException {
    json.beginObject();
    json.name("namespace").value(r.namespace());
    json.name("name").value(r.name());
    json.name("pull_count").value(r.pullCount());
    if (r.starCount().isPresent()) {
      json.name("star_count").value(r.starCount().getAsLong());
    }
    if (r.lastUpdated().isPresent()) {
      json.name("last_updated").value(r.lastUpdated().get().toString());
    }
    if (r.collaboratorCount().isPresent()) {
      json.name("collaborator_count").value(r.collaboratorCount().getAsLong());
    }
    json.endObject();
  }

  /** {@code not_found}, {@code rate_limited}, ...: the error's class in snake case. */
  static String errorKind(HubException e) {
    return e.getClass()
        .getSimpleName()
        .replaceAll("([a-z])([A-Z])", "$1_$2")
        .toLowerCase(Locale.ROOT);
  }

  static String thousands(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String pad(String s, int width, boolean right) {
    String spaces = " ".repeat(Math.max(0, width - s.length()));
    return right ? spaces + s : s + spaces;
  }

  /** The name users type: {@code table}, {@code json}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
