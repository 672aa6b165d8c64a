package io.github.dockerpulls.importers;

import io.github.dockerpulls.history.Granularity;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.InsightFigure;
import io.github.dockerpulls.history.InsightsBatch;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.PublisherAnalytics;
import java.io.IOException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Docker Hub Insights of one namespace, read from the DVP Data API into the history: first the
 * exported summary files of each complete week and month since {@code since} (per repository, tag
 * and digest, with downloads and version checks apart), each committed with a mark so that a
 * resumed import passes over what an earlier one finished; then, for the periods no export covered,
 * each repository's weekly and monthly pulls as JSON.
 */
public final class InsightsImport {
  /** Repositories whose JSON pulls are committed together. */
  static final int REPOSITORIES_PER_COMMIT = 50;

  /** Told how far the import is. */
  @FunctionalInterface
  public interface Progress {
    void at(String step);
  }

  /**
   * What an import did.
   *
   * @param jsonFor what the JSON pulls were read for: {@code weeks}, {@code months}, {@code weeks
   *     and months}, or empty
   * @param files the exported files read
   * @param resumed the periods passed over as finished by an earlier import
   * @param rows the rows of the files read
   * @param repositories the repositories whose JSON pulls were read (for the periods no export
   *     covered)
   * @param figures the figures stored (rows taken and JSON periods)
   * @param periods the repositories' periods stored
   * @param first the earliest period stored, or null
   * @param last the latest period stored, or null
   * @param skipped one line per kind of what was passed over
   */
  public record Result(
      String jsonFor,
      int files,
      int resumed,
      long rows,
      int repositories,
      long figures,
      long periods,
      LocalDate first,
      LocalDate last,
      List<String> skipped) {
    public Result {
      skipped = List.copyOf(skipped);
    }
  }

  private final PublisherAnalytics api;
  private final long maxFileBytes;

  public InsightsImport(PublisherAnalytics api, long maxFileBytes) {
    this.api = api;
    this.maxFileBytes = maxFileBytes;
  }

  /** A period of the namespace's Insights: a week or a month of a year. */
  record Period(Granularity by, int year, int number, LocalDate start) {
    String timespan() {
      return by == Granularity.WEEK ? "weeks" : "months";
    }

    LocalDate end() {
      return by == Granularity.WEEK ? start.plusWeeks(1) : start.plusMonths(1);
    }

    String key(String namespace) {
      return namespace + "/" + timespan() + "/" + year + "/" + number;
    }
  }

  /** The period a week or month number of a year stands for. */
  static Period period(Granularity by, int year, int number) {
    LocalDate start =
        by == Granularity.WEEK
            ? LocalDate.of(year, 1, 4)
                .with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, number)
                .with(DayOfWeek.MONDAY)
            : LocalDate.of(year, number, 1);
    return new Period(by, year, number, start);
  }

  /**
   * Imports the namespace's Insights into {@code store}.
   *
   * @param repositories the namespace's repositories (its listing), whose JSON pulls are read for
   *     the periods no export covers; the namespace's extra repositories are added
   * @param since the first day a period may start on
   * @param today periods ending after it are not complete and left out
   * @throws ImportException when the namespace has no Insights, or the credentials cannot read them
   */
  public Result into(
      HistoryStore store,
      String namespace,
      List<String> repositories,
      LocalDate since,
      LocalDate today,
      Progress progress)
      throws ImportException, HistoryException {
    PublisherAnalytics.Namespace offer;
    try {
      offer = api.namespace(namespace);
    } catch (HubException.NotFound e) {
      throw new ImportException(
          "no Insights for '"
              + namespace
              + "': Docker Hub offers them to Docker Verified Publishers and Docker-Sponsored"
              + " Open Source namespaces, to their members",
          e);
    } catch (HubException.Unauthorized e) {
      throw new ImportException(
          "these credentials cannot read the Insights of '"
              + namespace
              + "' (Docker Hub answered "
              + e.getMessage()
              + "): use those of a member of the organization",
          e);
    }
    SkipTally skips = new SkipTally();
    Counts counts = new Counts();
    Run run = new Run(namespace, offer, since, today, progress, skips, counts, new HashSet<>());
    try (InsightsBatch batch = store.insights(InsightsBatch.Source.EXPORT)) {
      exports(batch, run);
    }
    try (InsightsBatch batch = store.insights(InsightsBatch.Source.API)) {
      Set<String> names = new TreeSet<>(repositories);
      for (String extra : offer.extraRepos()) {
        int slash = extra.indexOf('/');
        names.add(slash >= 0 ? extra.substring(slash + 1) : extra);
      }
      json(batch, run, new ArrayList<>(names));
    }
    return new Result(
        counts.jsonFor,
        counts.files,
        counts.resumed,
        counts.rows,
        counts.repositories,
        counts.figures,
        counts.periods,
        counts.first,
        counts.last,
        skips.lines());
  }

  /** One import's settings and tallies, shared by its two passes. */
  private record Run(
      String namespace,
      PublisherAnalytics.Namespace offer,
      LocalDate since,
      LocalDate today,
      Progress progress,
      SkipTally skips,
      Counts counts,
      Set<String> covered) {}

  private static final class Counts {
    String jsonFor = "";
    int files;
    int resumed;
    long rows;
    int repositories;
    long figures;
    long periods;
    LocalDate first;
    LocalDate last;

    void period(LocalDate start) {
      if (first == null || start.isBefore(first)) {
        first = start;
      }
      if (last == null || start.isAfter(last)) {
        last = start;
      }
    }
  }

  private void exports(InsightsBatch batch, Run run) throws ImportException, HistoryException {
    String namespace = run.namespace();
    PublisherAnalytics.Namespace offer = run.offer();
    LocalDate since = run.since();
    LocalDate today = run.today();
    Progress progress = run.progress();
    SkipTally skips = run.skips();
    Counts counts = run.counts();
    Set<String> covered = run.covered();
    List<Integer> years;
    try {
      years = api.exportYears(namespace);
    } catch (HubException.NotFound e) {
      return; // no exports: the JSON pulls are all there is
    } catch (HubException e) {
      skips.skip("listings of exported files that failed", e.getMessage());
      return;
    }
    InsightsFiles reader = new InsightsFiles(since, today, namespace);
    for (Granularity by : List.of(Granularity.WEEK, Granularity.MONTH)) {
      String timespan = by == Granularity.WEEK ? "weeks" : "months";
      boolean tags = offer.offers("summary", timespan);
      boolean repos = offer.offers("repo-summary", timespan);
      if (!tags && !repos) {
        continue;
      }
      for (int year : years) {
        if (year < since.getYear() || year > today.getYear()) {
          continue;
        }
        List<Integer> numbers;
        try {
          numbers = api.exportPeriods(namespace, year, timespan);
        } catch (HubException.NotFound e) {
          continue; // none of this timespan in this year
        } catch (HubException e) {
          skips.skip("listings of exported files that failed", e.getMessage());
          continue;
        }
        for (int n : numbers) {
          Period p;
          try {
            p = period(by, year, n);
          } catch (java.time.DateTimeException e) {
            skips.skip("export periods that do not exist", year + " " + timespan + " " + n);
            continue;
          }
          if (p.start().isBefore(since) || p.end().isAfter(today)) {
            continue;
          }
          String key = p.key(namespace);
          if (batch.done(key)) {
            covered.add(key);
            counts.resumed++;
            continue;
          }
          progress.at(String.format(Locale.ROOT, "insights: %s %d of %d", timespan, n, year));
          boolean read = false;
          boolean failed = false;
          // Tags first, then the repositories' own figures, so that these win where both say.
          for (String view :
              tags && repos
                  ? List.of("summary", "repo-summary")
                  : List.of(tags ? "summary" : "repo-summary")) {
            try {
              for (PublisherAnalytics.ExportFile f :
                  api.exportFiles(namespace, year, timespan, n, view)) {
                InsightsFiles.Result r =
                    api.download(
                        f,
                        maxFileBytes,
                        in -> {
                          try {
                            return reader
                                .period(by, p.start())
                                .read(view + " of " + key, in, batch, rows -> {});
                          } catch (ImportException | HistoryException e) {
                            throw new Wrapped(e);
                          }
                        });
                counts.files++;
                counts.rows += r.rows();
                counts.figures += r.figures();
                r.skipped().forEach(line -> skips.skip("in exported files:", line));
                read = true;
              }
              counts.periods += batch.commit().periods();
            } catch (Wrapped w) {
              if (w.getCause() instanceof HistoryException h) {
                throw h;
              }
              skips.skip("exported files that are no known report", w.getCause().getMessage());
              failed = true;
            } catch (HubException | IOException e) {
              skips.skip(
                  "exported files that could not be read",
                  key
                      + " "
                      + view
                      + ": "
                      + io.github.dockerpulls.text.Messages.oneLine(
                          String.valueOf(e.getMessage()), 160));
              failed = true;
            }
          }
          if (!failed && read) {
            batch.commit(key);
            covered.add(key);
            counts.period(p.start());
          }
        }
      }
    }
  }

  /** A failure of the reader inside a download, carried out of it. */
  private static final class Wrapped extends IOException {
    private static final long serialVersionUID = 1L;

    Wrapped(Exception cause) {
      super(cause);
    }
  }

  private void json(InsightsBatch batch, Run run, List<String> repositories)
      throws HistoryException {
    String namespace = run.namespace();
    LocalDate since = run.since();
    LocalDate today = run.today();
    Progress progress = run.progress();
    SkipTally skips = run.skips();
    Counts counts = run.counts();
    Set<String> covered = run.covered();
    List<Granularity> wanted = new ArrayList<>();
    for (Granularity by : List.of(Granularity.WEEK, Granularity.MONTH)) {
      if (!allCovered(namespace, by, since, today, covered)) {
        wanted.add(by);
      }
    }
    if (wanted.isEmpty()) {
      return;
    }
    counts.jsonFor =
        String.join(
            " and ",
            wanted.stream().map(by -> by == Granularity.WEEK ? "weeks" : "months").toList());
    String window = window(since, today);
    int done = 0;
    for (String repository : repositories) {
      counts.repositories++;
      for (Granularity by : wanted) {
        String timespan = by == Granularity.WEEK ? "weeks" : "months";
        List<PublisherAnalytics.Pulls> pulls;
        try {
          pulls = api.pulls(namespace, repository, timespan, window);
        } catch (HubException.NotFound e) {
          continue; // a repository without Insights (new, or private to others)
        } catch (HubException e) {
          skips.skip(
              "repositories whose pulls could not be read",
              namespace + "/" + repository + ": " + e.getMessage());
          continue;
        }
        for (PublisherAnalytics.Pulls p : pulls) {
          LocalDate start = p.start().atZone(ZoneOffset.UTC).toLocalDate();
          Period period = periodOf(by, start);
          if (period == null || !period.start().equals(start)) {
            skips.skip(
                "JSON periods that are not whole weeks or months",
                namespace + "/" + repository + " " + p.start());
            continue;
          }
          if (start.isBefore(since) || period.end().isAfter(today)) {
            continue;
          }
          if (covered.contains(period.key(namespace))) {
            continue;
          }
          batch.add(
              new InsightFigure(
                  by,
                  start,
                  namespace,
                  repository,
                  InsightFigure.Dimension.REPOSITORY,
                  "",
                  null,
                  null,
                  p.pullCount(),
                  p.ipCount()));
          counts.figures++;
          counts.period(start);
        }
      }
      if (++done % REPOSITORIES_PER_COMMIT == 0) {
        counts.periods += batch.commit().periods();
        progress.at(
            String.format(
                Locale.ROOT, "insights: %,d of %,d repositories", done, repositories.size()));
      }
    }
    counts.periods += batch.commit().periods();
  }

  /** The week or month that starts on {@code start}, or null when none does. */
  static Period periodOf(Granularity by, LocalDate start) {
    if (by == Granularity.WEEK) {
      if (start.getDayOfWeek() != DayOfWeek.MONDAY) {
        return null;
      }
      return new Period(
          by,
          start.get(IsoFields.WEEK_BASED_YEAR),
          start.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR),
          start);
    }
    return start.getDayOfMonth() == 1
        ? new Period(by, start.getYear(), start.getMonthValue(), start)
        : null;
  }

  private static boolean allCovered(
      String namespace, Granularity by, LocalDate since, LocalDate today, Set<String> covered) {
    LocalDate start =
        by == Granularity.WEEK
            ? since.with(java.time.temporal.TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY))
            : since.withDayOfMonth(1).equals(since) ? since : since.withDayOfMonth(1).plusMonths(1);
    for (Period p = periodOf(by, start); !p.end().isAfter(today); p = periodOf(by, p.end())) {
      if (!covered.contains(p.key(namespace))) {
        return false;
      }
    }
    return true;
  }

  /** The shortest window the JSON answers offer that reaches back to {@code since}. */
  static String window(LocalDate since, LocalDate today) {
    for (int months : new int[] {2, 3, 6}) {
      if (!since.isBefore(today.minusMonths(months))) {
        return "last-" + months + "-months";
      }
    }
    return "last-12-months";
  }
}
