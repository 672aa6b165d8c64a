package io.github.dockerpulls.cli;

import io.github.dockerpulls.elasticsearch.EsConnection;
import io.github.dockerpulls.elasticsearch.EsSettings;
import io.github.dockerpulls.elasticsearch.SinkException;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.InsightsBatch;
import io.github.dockerpulls.hub.DockerHub;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.Names;
import io.github.dockerpulls.hub.PublisherAnalytics;
import io.github.dockerpulls.hub.RepositoryStats;
import io.github.dockerpulls.importers.ImportException;
import io.github.dockerpulls.importers.InsightsFiles;
import io.github.dockerpulls.importers.InsightsImport;
import io.github.dockerpulls.importers.InsightsToElasticsearch;
import io.github.dockerpulls.text.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code dockerpulls import insights}: Docker Hub Insights into the history. */
@Command(
    name = "insights",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Read Docker Hub Insights (weekly and monthly pulls per repository, tag and digest, data"
          + " downloads apart from version checks) into the history.",
      "--org reads the DVP Data API with the credentials of a member of the organization (Docker"
          + " Verified Publishers and Docker-Sponsored Open Source); --file reads the summary and"
          + " trends reports downloaded from Docker Hub's web pages (.csv or .csv.gz).",
      "Only complete weeks and months are taken. Importing again replaces what an earlier import"
          + " stored for the same periods: twice gives the same history as once."
    })
final class InsightsImportCommand extends ImportCommand.Source {
  @Option(
      names = "--org",
      paramLabel = "NAMESPACE",
      description = "An organization whose Insights to read from the DVP Data API; repeats.")
  List<String> organizations = new ArrayList<>();

  @Option(
      names = "--file",
      paramLabel = "FILE",
      description = "A summary or trends report (CSV, gzipped or not); repeats.")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--namespace",
      paramLabel = "NAMESPACE",
      description =
          "With --file: the namespace of rows that name a repository without one (default: the"
              + " file's namespace column).")
  String namespace;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      defaultValue = "1y",
      description =
          "The earliest period to take: 90d, 1y or a date such as 2026-01-01 (default"
              + " ${DEFAULT-VALUE}). Insights go back to 2022.")
  String since;

  @Option(
      names = "--to",
      paramLabel = "SINK",
      description =
          "Also write what the history then holds of the imported namespaces' Insights to"
              + " elasticsearch: one document per repository, period and figure, overwritten by a"
              + " re-import (needs --es-url).")
  String to;

  @Option(
      names = "--insights-index",
      paramLabel = "PREFIX",
      defaultValue = InsightsToElasticsearch.DEFAULT_PREFIX,
      description = "With --to elasticsearch: the indices PREFIX-YYYY (default ${DEFAULT-VALUE}).")
  String insightsIndex;

  @Mixin HubOptions hub;

  @Mixin CredentialOptions credentials;

  @Mixin ElasticsearchOptions elasticsearch;

  private final java.util.Set<String> imported = new java.util.TreeSet<>();
  private EsSettings esSettings;

  private int failedSources;
  private int sources;

  @Override
  String since() {
    return since;
  }

  @Override
  void check() {
    if (organizations.isEmpty() && files.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "say what to import: --org NAMESPACE or --file FILE");
    }
    for (String o : organizations) {
      try {
        Names.requireNamespace(o);
      } catch (HubException.InvalidName e) {
        throw new ParameterException(spec.commandLine(), "--org: " + e.getMessage());
      }
    }
    if (namespace != null) {
      try {
        Names.requireNamespace(namespace);
      } catch (HubException.InvalidName e) {
        throw new ParameterException(spec.commandLine(), "--namespace: " + e.getMessage());
      }
    }
    if (!organizations.isEmpty()) {
      credentials.credentials(); // a half-given credential is bad input, said before any request
    }
    if (to != null) {
      if (!to.strip().equals("elasticsearch")) {
        throw new ParameterException(spec.commandLine(), "--to: '" + to + "' is not elasticsearch");
      }
      if (!elasticsearch.configured()) {
        throw new ParameterException(
            spec.commandLine(), "--to elasticsearch needs --es-url URL (or env ES_URL)");
      }
      if (!insightsIndex.matches("[a-z0-9][a-z0-9._-]{0,200}")) {
        throw new ParameterException(
            spec.commandLine(),
            "--insights-index: '"
                + insightsIndex
                + "' is not an index name (lower case, digits,"
                + " '.', '_', '-')");
      }
      esSettings = elasticsearch.settings(clock);
    }
  }

  @Override
  int exitCode() {
    if (failedSources == 0) {
      return ExitCode.OK;
    }
    return failedSources == sources ? ExitCode.FAILED : ExitCode.PARTIAL;
  }

  @Override
  String run(HistoryStore store, Instant from, Instant until, PrintWriter err)
      throws HistoryException {
    LocalDate sinceDay = from.atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate today = until.atZone(ZoneOffset.UTC).toLocalDate();
    List<String> lines = new ArrayList<>();
    for (Path file : files) {
      sources++;
      String line = file(store, file, sinceDay, today, err);
      if (line != null) {
        lines.add(line);
      }
    }
    if (!organizations.isEmpty()) {
      try (DockerHub client =
          hub.buildHub(credentials, null, io.github.dockerpulls.hub.HubListener.NONE)) {
        for (String org : organizations) {
          sources++;
          String line = organization(store, client, org, sinceDay, today, err);
          if (line != null) {
            lines.add(line);
          }
        }
      }
    }
    if (lines.isEmpty()) {
      throw new CommandFailure(
          sources == 1 ? "nothing was imported" : "none of the " + sources + " sources imported");
    }
    if (esSettings != null) {
      lines.add(toElasticsearch(store, sinceDay, err));
    }
    return String.join("\n", lines);
  }

  /** The imported namespaces' Insights, as the history now holds them, to Elasticsearch. */
  private String toElasticsearch(HistoryStore store, LocalDate sinceDay, PrintWriter err)
      throws HistoryException {
    long written = 0;
    long failed = 0;
    String first = null;
    try (EsConnection connection = new EsConnection(esSettings)) {
      InsightsToElasticsearch writer = new InsightsToElasticsearch(connection, insightsIndex);
      for (String ns : imported) {
        progress(err, "elasticsearch: the Insights of " + ns);
        InsightsToElasticsearch.Result r = writer.write(store, ns, sinceDay);
        written += r.written();
        failed += r.failed();
        first = first == null ? r.firstFailure() : first;
      }
    } catch (SinkException e) {
      failedSources++;
      err.println("dockerpulls: " + ElasticsearchOptions.message(e));
      err.flush();
      return "wrote no Insights to Elasticsearch";
    }
    if (failed > 0) {
      failedSources++;
    }
    String line =
        String.format(
            Locale.ROOT,
            "wrote %,d Insights documents of %s to Elasticsearch %s-YYYY",
            written,
            String.join(", ", imported),
            insightsIndex);
    return failed == 0
        ? line
        : line
            + String.format(
                Locale.ROOT,
                "; %,d refused (such as %s)",
                failed,
                Messages.oneLine(String.valueOf(first), 160));
  }

  private String file(
      HistoryStore store, Path file, LocalDate sinceDay, LocalDate today, PrintWriter err)
      throws HistoryException {
    InsightsFiles reader = new InsightsFiles(sinceDay, today, namespace);
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    try (InputStream in = Files.newInputStream(file);
        InsightsBatch batch =
            store.insights(
                name.contains("trend")
                    ? InsightsBatch.Source.TRENDS_FILE
                    : InsightsBatch.Source.FILE)) {
      InsightsFiles.Result r =
          reader.read(
              name,
              in,
              batch,
              rows -> progress(err, String.format(Locale.ROOT, "%s: %,d rows", name, rows)));
      InsightsBatch.Result stored = batch.commit();
      imported.addAll(r.namespaces());
      String line =
          String.format(
              Locale.ROOT,
              "imported %,d of %,d rows of the %s report %s: %,d repository periods, %s",
              r.figures(),
              r.rows(),
              r.kind(),
              name,
              stored.periods(),
              r.first() == null
                  ? "no complete period in the range"
                  : r.first() + " to " + r.last());
      return r.skipped().isEmpty() ? line : line + "; skipped " + String.join(", ", r.skipped());
    } catch (NoSuchFileException e) {
      return failed(err, name + ": no such file");
    } catch (IOException e) {
      return failed(
          err,
          name
              + ": cannot be read ("
              + Messages.oneLine(String.valueOf(e.getMessage()), 160)
              + ")");
    } catch (ImportException e) {
      return failed(err, e.getMessage());
    }
  }

  private String organization(
      HistoryStore store,
      DockerHub client,
      String org,
      LocalDate sinceDay,
      LocalDate today,
      PrintWriter err)
      throws HistoryException {
    Set<String> names = new LinkedHashSet<>();
    try {
      for (RepositoryStats r : client.listRepositories(org).repositories()) {
        names.add(r.name());
      }
    } catch (HubException e) {
      return failed(err, org + ": " + ErrorText.hub(e));
    }
    PublisherAnalytics api = client.analytics();
    try {
      InsightsImport.Result r =
          new InsightsImport(api, PublisherAnalytics.DEFAULT_MAX_FILE_BYTES)
              .into(store, org, List.copyOf(names), sinceDay, today, step -> progress(err, step));
      imported.add(org);
      String line =
          String.format(
              Locale.ROOT,
              "imported the Insights of %s: %,d figures, %,d repository periods, from %,d exported"
                  + " files (%,d rows)%s%s, %s",
              org,
              r.figures(),
              r.periods(),
              r.files(),
              r.rows(),
              r.repositories() == 0
                  ? ""
                  : String.format(
                      Locale.ROOT,
                      " and the JSON pulls of %,d repositories (for the %s no export covers)",
                      r.repositories(),
                      r.jsonFor()),
              r.resumed() == 0
                  ? ""
                  : String.format(Locale.ROOT, "; %,d periods done before", r.resumed()),
              r.first() == null
                  ? "no complete period in the range"
                  : r.first() + " to " + r.last());
      return r.skipped().isEmpty() ? line : line + "; skipped " + String.join(", ", r.skipped());
    } catch (ImportException e) {
      return failed(err, e.getMessage());
    } catch (HubException e) {
      return failed(err, org + ": " + ErrorText.hub(e));
    }
  }

  private String failed(PrintWriter err, String message) {
    failedSources++;
    progress(err, "");
    err.println("dockerpulls: " + message);
    err.flush();
    return null;
  }
}
