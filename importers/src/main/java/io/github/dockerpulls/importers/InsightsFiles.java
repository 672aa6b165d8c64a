package io.github.dockerpulls.importers;

import io.github.dockerpulls.history.Granularity;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.InsightFigure;
import io.github.dockerpulls.history.InsightFigure.Dimension;
import io.github.dockerpulls.history.InsightsBatch;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.Names;
import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Docker Hub Insights reports as CSV files, read a row at a time into an {@link InsightsBatch}: the
 * summary and trends reports of Docker Hub's web pages (DVP Core), and the summary files of the DVP
 * Data API's exports (DSOS and legacy DVP). Columns are recognised by name, whatever their case,
 * spaces, underscores or dashes, in any order; which report a file is follows from the columns it
 * has. Gzipped files read alike.
 *
 * <p>One row that cannot be read is passed over and counted, never the file: the summary says how
 * many and shows the first. Only complete periods since {@code since} are taken.
 */
public final class InsightsFiles {
  /** The reports recognised. */
  public enum Kind {
    /** DVP Core summary: a period, a level (repository, tag, digest) and a reference per row. */
    SUMMARY("summary"),
    /** DVP Core trends: a period, a repository, a tag, a country, a cloud, a client per row. */
    TRENDS("trends"),
    /** DVP Data API summary (DSOS, legacy DVP): a repository and a reference, no period. */
    EXPORT_SUMMARY("exported summary");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** The logical columns, each with the names (normalised) it goes by. */
  enum Column {
    GRANULARITY("dategranularity", "granularity", "timespan"),
    DATE("datereference", "date", "periodstart", "start"),
    LEVEL("level"),
    REFERENCE("reference"),
    REPOSITORY("imagerepository", "repository", "repo", "repositoryname"),
    NAMESPACE("namespace"),
    TAG("tag"),
    DOWNLOADS("datadownloads", "downloads"),
    CHECKS("versionchecks", "versioncheck"),
    PULLS("pulls", "eventcount", "pullcount", "totalpulls"),
    BY_TAG("pullsbytag"),
    BY_DIGEST("pullsbydigest"),
    IPS("uniqueipaddresses", "uniqueips", "ipcount", "uniqueipaddress"),
    COUNTRY("ipcountry", "country"),
    CLOUD("cloudserviceprovider", "cloudprovider", "host"),
    CLIENT("useragent", "useragenttool", "client");

    final List<String> names;

    Column(String... names) {
      this.names = List.of(names);
    }
  }

  /**
   * What one file gave.
   *
   * @param kind the report it is
   * @param rows the rows read, the header not counted
   * @param figures the rows taken
   * @param first the earliest period taken, or null
   * @param last the latest period taken, or null
   * @param skipped one line per kind of row passed over
   * @param namespaces the namespaces of the rows taken
   */
  public record Result(
      Kind kind,
      long rows,
      long figures,
      LocalDate first,
      LocalDate last,
      List<String> skipped,
      java.util.Set<String> namespaces) {
    public Result {
      skipped = List.copyOf(skipped);
      namespaces = java.util.Set.copyOf(namespaces);
    }
  }

  /**
   * The largest figure one row may hold, as for the Hub's counts: 10^15, far beyond any real week's
   * pulls. A larger one is no count, and its row is skipped.
   */
  static final long MAX_COUNT = io.github.dockerpulls.hub.RepositoryStats.MAX_COUNT;

  private final LocalDate since;
  private final LocalDate today;
  private final String namespace;
  private final Granularity periodBy;
  private final LocalDate periodStart;

  /**
   * @param since the first day a period may start on: earlier periods are passed over
   * @param today periods that end after it (still running) are passed over
   * @param namespace the namespace of rows that name only a repository, or null
   */
  public InsightsFiles(LocalDate since, LocalDate today, String namespace) {
    this(since, today, namespace, null, null);
  }

  private InsightsFiles(
      LocalDate since, LocalDate today, String namespace, Granularity by, LocalDate start) {
    this.since = since;
    this.today = today;
    this.namespace = namespace;
    this.periodBy = by;
    this.periodStart = start;
  }

  /**
   * The same reader for files that do not say their period (the DVP Data API's exports): each row
   * is of the week or month starting on {@code start}.
   */
  public InsightsFiles period(Granularity by, LocalDate start) {
    return new InsightsFiles(since, today, namespace, by, start);
  }

  /** A header's name as compared: lower case, letters and digits only. */
  static String normalise(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = Character.toLowerCase(name.charAt(i));
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * Reads one report into {@code batch} (not committing it).
   *
   * @param name how messages name the file
   * @param progress told the rows read so far, every 100,000 rows
   * @throws ImportException when the columns are not those of a known report, or a report of the
   *     DVP Data API is read without its period
   */
  public Result read(String name, InputStream in, InsightsBatch batch, LongConsumer progress)
      throws IOException, ImportException, HistoryException {
    try (CsvRows rows = CsvRows.of(in)) {
      rows.sniff();
      List<String> header;
      try {
        header = rows.next();
      } catch (CsvRows.BadRow e) {
        throw notAReport(name + ": the header cannot be read (" + e.getMessage() + ")");
      }
      if (header == null) {
        throw notAReport(name + ": the file is empty");
      }
      Map<Column, Integer> at = columns(header);
      Kind kind = kind(at);
      if (kind == null) {
        throw notAReport(
            name
                + ": columns "
                + shortList(header)
                + " are not a Docker Hub Insights summary or trends report");
      }
      if (kind == Kind.EXPORT_SUMMARY && !at.containsKey(Column.DATE) && periodStart == null) {
        throw notAReport(
            name + ": an exported summary without a period column; import it with --org");
      }
      Reading r = new Reading(kind, at, batch);
      long read = 0;
      while (true) {
        List<String> row;
        try {
          row = rows.next();
        } catch (CsvRows.BadRow e) {
          r.skips.skip("rows too long or unreadable", e.getMessage());
          read++;
          continue;
        }
        if (row == null) {
          break;
        }
        if (row.size() == 1 && row.get(0).isBlank()) {
          continue;
        }
        read++;
        r.row(row, rows.line());
        if (read % 100_000 == 0) {
          progress.accept(read);
        }
      }
      return new Result(kind, read, r.taken, r.first, r.last, r.skips.lines(), r.namespaces);
    }
  }

  private static ImportException notAReport(String message) {
    return new ImportException(message, null);
  }

  private static Map<Column, Integer> columns(List<String> header) {
    Map<Column, Integer> at = new EnumMap<>(Column.class);
    for (int i = 0; i < header.size(); i++) {
      String n = normalise(header.get(i));
      for (Column c : Column.values()) {
        if (c.names.contains(n) && !at.containsKey(c)) {
          at.put(c, i);
        }
      }
    }
    return at;
  }

  private static Kind kind(Map<Column, Integer> at) {
    boolean counts =
        at.containsKey(Column.DOWNLOADS)
            || at.containsKey(Column.CHECKS)
            || at.containsKey(Column.PULLS);
    if (at.containsKey(Column.REPOSITORY)
        && at.containsKey(Column.TAG)
        && at.containsKey(Column.DATE)
        && counts) {
      return Kind.TRENDS;
    }
    if (at.containsKey(Column.LEVEL)
        && at.containsKey(Column.REFERENCE)
        && at.containsKey(Column.DATE)
        && counts) {
      return Kind.SUMMARY;
    }
    if ((at.containsKey(Column.REPOSITORY) || at.containsKey(Column.REFERENCE))
        && (at.containsKey(Column.BY_TAG)
            || at.containsKey(Column.BY_DIGEST)
            || at.containsKey(Column.CHECKS))) {
      return Kind.EXPORT_SUMMARY;
    }
    return null;
  }

  private static String shortList(List<String> header) {
    List<String> shown = new ArrayList<>();
    int length = 0;
    for (String h : header) {
      String s = io.github.dockerpulls.text.Messages.oneLine(h, 40);
      if (length + s.length() > 200) {
        shown.add("... (" + header.size() + " in all)");
        break;
      }
      shown.add(s);
      length += s.length() + 2;
    }
    return String.join(", ", shown);
  }

  /** A file being read: its columns, what was taken and what was passed over. */
  private final class Reading {
    final Kind kind;
    final Map<Column, Integer> at;
    final InsightsBatch batch;
    final SkipTally skips = new SkipTally();
    long taken;
    LocalDate first;
    LocalDate last;
    final java.util.Set<String> namespaces = new java.util.TreeSet<>();

    Reading(Kind kind, Map<Column, Integer> at, InsightsBatch batch) {
      this.kind = kind;
      this.at = at;
      this.batch = batch;
    }

    String get(List<String> row, Column c) {
      Integer i = at.get(c);
      if (i == null || i >= row.size()) {
        return null;
      }
      String v = row.get(i).strip();
      return v.isEmpty() || v.equals("\\N") ? null : v;
    }

    Long count(List<String> row, Column c) {
      String v = get(row, c);
      if (v == null) {
        return null;
      }
      long n = Long.parseLong(v.endsWith(".0") ? v.substring(0, v.length() - 2) : v);
      if (n < 0 || n > MAX_COUNT) {
        throw new NumberFormatException("not a count: " + n);
      }
      return n;
    }

    void row(List<String> row, long line) throws HistoryException {
      String where = "line " + line;
      Granularity by;
      LocalDate start;
      if (at.containsKey(Column.DATE)) {
        String g = get(row, Column.GRANULARITY);
        by = g == null && periodBy != null ? periodBy : granularity(g);
        String d = get(row, Column.DATE);
        if (by == null) {
          skips.skip("rows whose period is neither weekly nor monthly", where + ": " + g);
          return;
        }
        try {
          start = LocalDate.parse(d == null ? "" : d.length() > 10 ? d.substring(0, 10) : d);
        } catch (DateTimeException e) {
          skips.skip("rows without a date such as 2026-11-02", where + ": " + d);
          return;
        }
      } else {
        by = periodBy;
        start = periodStart;
      }
      if ((by == Granularity.WEEK && start.getDayOfWeek() != java.time.DayOfWeek.MONDAY)
          || (by == Granularity.MONTH && start.getDayOfMonth() != 1)) {
        skips.skip(
            "rows whose date does not start a week (Monday) or a month",
            where + ": " + by + " " + start);
        return;
      }
      LocalDate end = by == Granularity.WEEK ? start.plusWeeks(1) : start.plusMonths(1);
      if (end.isAfter(today)) {
        skips.skip("rows of a period not complete yet", where + ": " + by + " of " + start);
        return;
      }
      if (start.isBefore(since)) {
        skips.skip("rows of periods before --since", where + ": " + by + " of " + start);
        return;
      }
      try {
        switch (kind) {
          case TRENDS -> trends(row, by, start, where);
          case SUMMARY -> summary(row, by, start, where);
          case EXPORT_SUMMARY -> exported(row, by, start, where);
        }
      } catch (NumberFormatException e) {
        skips.skip("rows with a count that is not a whole number from 0 to 10^15", where);
        return;
      }
    }

    private void took(LocalDate start) {
      taken++;
      if (first == null || start.isBefore(first)) {
        first = start;
      }
      if (last == null || start.isAfter(last)) {
        last = start;
      }
    }

    /** {@code namespace/name} or a bare name with the namespace column or option; null if not. */
    private String[] repository(String text, List<String> row) {
      if (text == null) {
        return null;
      }
      String ns;
      String name;
      int slash = text.indexOf('/');
      if (slash >= 0) {
        ns = text.substring(0, slash);
        name = text.substring(slash + 1);
      } else {
        String column = get(row, Column.NAMESPACE);
        ns = column != null ? column : namespace;
        name = text;
      }
      if (ns == null) {
        return null;
      }
      try {
        Names.requireNamespace(ns);
        Names.requireRepository(name);
      } catch (HubException.InvalidName e) {
        return null;
      }
      return new String[] {ns, name};
    }

    private void trends(List<String> row, Granularity by, LocalDate start, String where)
        throws HistoryException {
      String[] repo = repository(get(row, Column.REPOSITORY), row);
      if (repo == null) {
        skips.skip("rows that name no Docker Hub repository", where);
        return;
      }
      Long downloads = count(row, Column.DOWNLOADS);
      Long checks = count(row, Column.CHECKS);
      long pulls = InsightFigure.pulls(downloads, checks, count(row, Column.PULLS));
      String tag = get(row, Column.TAG);
      add(by, start, repo, Dimension.REPOSITORY, "", downloads, checks, pulls, null);
      add(
          by,
          start,
          repo,
          Dimension.TAG,
          tag == null ? InsightsBatch.UNTAGGED : tag,
          downloads,
          checks,
          pulls,
          null);
      breakdown(row, Column.COUNTRY, Dimension.COUNTRY, by, start, repo, downloads, checks, pulls);
      breakdown(row, Column.CLOUD, Dimension.CLOUD, by, start, repo, downloads, checks, pulls);
      breakdown(row, Column.CLIENT, Dimension.CLIENT, by, start, repo, downloads, checks, pulls);
      took(start);
    }

    private void breakdown(
        List<String> row,
        Column column,
        Dimension dimension,
        Granularity by,
        LocalDate start,
        String[] repo,
        Long downloads,
        Long checks,
        long pulls)
        throws HistoryException {
      if (at.containsKey(column)) {
        String key = get(row, column);
        add(
            by,
            start,
            repo,
            dimension,
            key == null ? "unknown" : limit(key),
            downloads,
            checks,
            pulls,
            null);
      }
    }

    private void summary(List<String> row, Granularity by, LocalDate start, String where)
        throws HistoryException {
      String level = get(row, Column.LEVEL);
      String reference = get(row, Column.REFERENCE);
      Long downloads = count(row, Column.DOWNLOADS);
      Long checks = count(row, Column.CHECKS);
      long pulls = InsightFigure.pulls(downloads, checks, count(row, Column.PULLS));
      String lv = level == null ? "" : level.toLowerCase(Locale.ROOT);
      if (reference == null) {
        skips.skip("rows without a reference", where);
        return;
      }
      if (lv.equals("repository")) {
        String[] repo = repository(reference, row);
        if (repo == null) {
          skips.skip("rows that name no Docker Hub repository", where + ": " + reference);
          return;
        }
        add(by, start, repo, Dimension.REPOSITORY, "", downloads, checks, pulls, null);
      } else if (lv.equals("tag") || lv.equals("digest")) {
        // A tag row names its repository in a repository column, or as an image reference.
        String repoText = get(row, Column.REPOSITORY);
        String key = reference;
        if (repoText == null) {
          int cut = lv.equals("digest") ? reference.indexOf('@') : tagColon(reference);
          if (cut > 0) {
            repoText = reference.substring(0, cut);
            key = reference.substring(cut + 1);
          }
        }
        String[] repo = repository(repoText, row);
        if (repo == null) {
          skips.skip(
              "rows of a tag or digest that name no repository (namespace/name:tag)",
              where + ": " + reference);
          return;
        }
        add(by, start, repo, Dimension.TAG, limit(key), downloads, checks, pulls, null);
      } else {
        skips.skip("rows whose level is not repository, tag or digest", where + ": " + level);
        return;
      }
      took(start);
    }

    private void exported(List<String> row, Granularity by, LocalDate start, String where)
        throws HistoryException {
      String repoText = get(row, Column.REPOSITORY);
      String reference = get(row, Column.REFERENCE);
      if (repoText == null && reference != null) {
        int cut = reference.contains("@") ? reference.indexOf('@') : tagColon(reference);
        repoText = cut > 0 ? reference.substring(0, cut) : null;
        reference = cut > 0 ? reference.substring(cut + 1) : null;
      }
      String[] repo = repository(repoText, row);
      if (repo == null) {
        skips.skip("rows that name no Docker Hub repository", where);
        return;
      }
      Long byTag = count(row, Column.BY_TAG);
      Long byDigest = count(row, Column.BY_DIGEST);
      Long downloads =
          byTag == null && byDigest == null
              ? count(row, Column.DOWNLOADS)
              : Long.valueOf((byTag == null ? 0 : byTag) + (byDigest == null ? 0 : byDigest));
      Long checks = count(row, Column.CHECKS);
      long pulls = InsightFigure.pulls(downloads, checks, count(row, Column.PULLS));
      if (reference == null) {
        add(
            by,
            start,
            repo,
            Dimension.REPOSITORY,
            "",
            downloads,
            checks,
            pulls,
            count(row, Column.IPS));
      } else {
        add(by, start, repo, Dimension.TAG, limit(reference), downloads, checks, pulls, null);
      }
      took(start);
    }

    private void add(
        Granularity by,
        LocalDate start,
        String[] repo,
        Dimension dimension,
        String key,
        Long downloads,
        Long checks,
        long pulls,
        Long ips)
        throws HistoryException {
      batch.add(
          new InsightFigure(
              by, start, repo[0], repo[1], dimension, key, downloads, checks, pulls, ips));
      if (namespaces.size() < 1_000) {
        namespaces.add(repo[0]);
      }
    }
  }

  /** Where the tag starts in {@code ns/name:tag}: the colon after the last slash, or -1. */
  private static int tagColon(String reference) {
    int colon = reference.lastIndexOf(':');
    return colon > reference.lastIndexOf('/') ? colon : -1;
  }

  /** A key of at most 128 characters, as a tag is: longer ones cut, so none grows a row. */
  private static String limit(String key) {
    return key.length() <= 128 ? key : key.substring(0, 128);
  }

  private static Granularity granularity(String text) {
    if (text == null) {
      return null;
    }
    return switch (normalise(text)) {
      case "weekly", "week", "weeks" -> Granularity.WEEK;
      case "monthly", "month", "months" -> Granularity.MONTH;
      default -> null;
    };
  }
}
