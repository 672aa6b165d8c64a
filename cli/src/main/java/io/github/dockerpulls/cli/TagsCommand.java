package io.github.dockerpulls.cli;

import io.github.dockerpulls.hub.DockerHub;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.HubListener;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.hub.Tag;
import io.github.dockerpulls.hub.TagsJson;
import io.github.dockerpulls.hub.Target;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dockerpulls tags}: the tags of repositories, with their last push and last pull. */
@Command(
    name = "tags",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "List the tags of repositories: digest, size, last push and last pull, per platform too.",
      "Docker Hub counts no pulls per tag, and crawlers and scanners touch the last-pulled time:"
          + " --not-pulled-since lists what nobody pulled, but a recent pull proves no use."
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  every repository's tags were read",
      "  1  Docker Hub could not be reached, or no repository's tags were read",
      "  2  bad input (nothing was sent)",
      "  3  some repositories failed and the others were printed"
    })
public final class TagsCommand implements Callable<Integer> {
  /** {@code tags -f}. */
  enum TagsFormat {
    table,
    json,
    csv
  }

  /** {@code tags -s}. */
  enum TagsSort {
    pushed,
    pulled,
    name,
    size
  }

  @Spec CommandSpec spec;

  @Mixin TargetOptions targets;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  TagsFormat format;

  @Option(
      names = {"-s", "--sort"},
      paramLabel = "ORDER",
      defaultValue = "pushed",
      description =
          "Order of each repository's tags: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE});"
              + " pushed, pulled and size put the newest or largest first.")
  TagsSort sort;

  @Option(
      names = "--not-pulled-since",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Only the tags not pulled within DURATION, such as 90d: never pulled, or last pulled"
              + " before then.")
  Duration notPulledSince;

  @Option(
      names = "--max-tags",
      paramLabel = "N",
      defaultValue = "" + DockerHub.DEFAULT_MAX_TAGS,
      description =
          "The most tags read of one repository, newest first (default ${DEFAULT-VALUE}).")
  int maxTags;

  @Mixin HubOptions hub;

  @Mixin CredentialOptions credentials;

  @Mixin LoggingOptions logging;

  @Mixin ConfigOption config;

  /** The clock that says what "now" is; tests fix it. */
  Clock clock = Clock.systemUTC();

  /** One repository's tags, as read. */
  record RepositoryTags(String namespace, String name, List<Tag> tags) {}

  @Override
  public Integer call() throws IOException {
    List<Target> list = targets.targets();
    if (maxTags < 1) {
      throw new ParameterException(spec.commandLine(), "--max-tags: at least 1");
    }
    PrintWriter err = spec.commandLine().getErr();
    Instant now = clock.instant();
    List<RepositoryTags> read = new ArrayList<>();
    int failed = 0;
    int asked = 0;
    try (DockerHub client = hub.buildHub(credentials, null, HubListener.NONE)) {
      for (Target t : list) {
        List<String[]> names = new ArrayList<>();
        try {
          if (t instanceof Target.Organization o) {
            for (RepositoryStats r : client.listRepositories(o.namespace()).repositories()) {
              names.add(new String[] {r.namespace(), r.name()});
            }
          } else {
            Target.Repository r = (Target.Repository) t;
            names.add(new String[] {r.namespace(), r.name()});
          }
        } catch (HubException e) {
          err.println("dockerpulls: " + t.id() + ": " + ErrorText.hub(e));
          failed++;
          asked++;
          continue;
        }
        for (String[] n : names) {
          asked++;
          try {
            List<Tag> tags = new ArrayList<>(client.listTags(n[0], n[1], maxTags));
            if (notPulledSince != null) {
              Instant cut = now.minus(notPulledSince);
              tags.removeIf(
                  tag -> tag.lastPulled().isPresent() && !tag.lastPulled().get().isBefore(cut));
            }
            tags.sort(order());
            read.add(new RepositoryTags(n[0], n[1], tags));
          } catch (HubException e) {
            err.println("dockerpulls: " + n[0] + "/" + n[1] + ": " + ErrorText.hub(e));
            failed++;
          }
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(
        switch (format) {
          case table -> table(read);
          case json -> json(read);
          case csv -> csv(read);
        });
    out.flush();
    err.flush();
    if (failed == 0) {
      return ExitCode.OK;
    }
    return failed == asked ? ExitCode.FAILED : ExitCode.PARTIAL;
  }

  private Comparator<Tag> order() {
    Comparator<Tag> byName = Comparator.comparing(Tag::name);
    Comparator<Optional<Instant>> newest =
        Comparator.comparing(o -> o.orElse(Instant.MIN), Comparator.reverseOrder());
    return switch (sort) {
      case name -> byName;
      case pushed -> Comparator.comparing(Tag::lastPushed, newest).thenComparing(byName);
      case pulled -> Comparator.comparing(Tag::lastPulled, newest).thenComparing(byName);
      case size ->
          Comparator.comparingLong((Tag t) -> t.fullSize().orElse(-1))
              .reversed()
              .thenComparing(byName);
    };
  }

  private static String time(Optional<Instant> t) {
    return t.map(Format::humanTime).orElse("-");
  }

  static String table(List<RepositoryTags> read) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"REPOSITORY", "TAG", "PUSHED", "PULLED", "SIZE", "PLATFORMS"});
    int tags = 0;
    for (RepositoryTags r : read) {
      for (Tag t : r.tags()) {
        tags++;
        List<String> platforms = new ArrayList<>();
        for (Tag.Image i : t.images()) {
          platforms.add(i.os().orElse("?") + "/" + i.architecture().orElse("?"));
        }
        rows.add(
            new String[] {
              r.namespace() + "/" + r.name(),
              t.name(),
              time(t.lastPushed()),
              time(t.lastPulled()),
              t.fullSize().isPresent()
                  ? String.format(java.util.Locale.ROOT, "%.1f MB", t.fullSize().getAsLong() / 1e6)
                  : "-",
              String.join(",", platforms)
            });
      }
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String cell = row[i];
        if (i == 4) {
          line.append(" ".repeat(widths[i] - cell.length())).append(cell);
        } else {
          line.append(cell).append(" ".repeat(i == row.length - 1 ? 0 : widths[i] - cell.length()));
        }
        line.append(i == row.length - 1 ? "" : "  ");
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    b.append('\n')
        .append(tags)
        .append(tags == 1 ? " tag of " : " tags of ")
        .append(read.size())
        .append(read.size() == 1 ? " repository\n" : " repositories\n");
    return b.toString();
  }

  /** The JSON issue 25 names: repositories, each with its tags and their platforms' images. */
  static String json(List<RepositoryTags> read) {
    List<TagsJson.Repository> repositories = new ArrayList<>(read.size());
    for (RepositoryTags r : read) {
      repositories.add(new TagsJson.Repository(r.namespace(), r.name(), r.tags()));
    }
    return TagsJson.render(repositories, true) + "\n";
  }

  static String csv(List<RepositoryTags> read) {
    StringBuilder b =
        new StringBuilder("namespace,name,tag,digest,full_size,last_pushed,last_pulled,status\r\n");
    for (RepositoryTags r : read) {
      for (Tag t : r.tags()) {
        b.append(Format.csvField(r.namespace()))
            .append(',')
            .append(Format.csvField(r.name()))
            .append(',')
            .append(Format.csvField(t.name()))
            .append(',')
            .append(t.digest().orElse(""))
            .append(',')
            .append(t.fullSize().isPresent() ? Long.toString(t.fullSize().getAsLong()) : "")
            .append(',')
            .append(t.lastPushed().map(Instant::toString).orElse(""))
            .append(',')
            .append(t.lastPulled().map(Instant::toString).orElse(""))
            .append(',')
            .append(t.status().orElse(""))
            .append("\r\n");
      }
    }
    return b.toString();
  }
}
