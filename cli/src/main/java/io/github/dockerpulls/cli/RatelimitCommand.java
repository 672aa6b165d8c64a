package io.github.dockerpulls.cli;

import com.squareup.moshi.JsonWriter;
import io.github.dockerpulls.hub.Credentials;
import io.github.dockerpulls.hub.DockerHub;
import io.github.dockerpulls.hub.HubException;
import io.github.dockerpulls.hub.PullLimit;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import okio.Buffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dockerpulls ratelimit}: the registry's pull rate limit for this IP address (anonymous) or
 * account (with credentials), read with a manifest {@code HEAD}, which does not count as a pull.
 */
@Command(
    name = "ratelimit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Show the registry's pull rate limit for this IP address, or for the account given with"
          + " --username and a token.",
      "Asking does not use up a pull: it is a HEAD of a manifest."
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  the limit was read (also when none is left, or there is none)",
      "  1  the registry could not be reached or refused the credentials",
      "  2  bad input (nothing was sent)"
    })
public final class RatelimitCommand implements Callable<Integer> {
  /** How the answer is printed. */
  enum RatelimitFormat {
    text,
    json
  }

  @Spec CommandSpec spec;

  @Mixin CredentialOptions credentials;

  @Mixin RegistryOptions registry;

  @Mixin LoggingOptions logging;

  @Mixin ConfigOption config;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  RatelimitFormat format;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws IOException {
    Credentials who = credentials.credentials();
    DockerHub.Builder builder = DockerHub.builder().clock(clock);
    registry.apply(builder);
    EnvironmentProxy.apply(builder, credentials.environment, spec.commandLine());
    if (who != null) {
      builder.credentials(who);
    }
    Probe result;
    try (DockerHub hub = builder.build()) {
      result = new Probe(hub.pullLimit(), clock.instant());
    } catch (HubException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "dockerpulls: pull rate limit: "
              + ErrorText.hub(e, "--registry-url and --registry-auth-url name a mirror"));
      if (logging.verbose) {
        e.printStackTrace(err);
      }
      err.flush();
      return ExitCode.FAILED;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(format == RatelimitFormat.json ? json(result, who) : text(result.limit(), who));
    out.flush();
    return ExitCode.OK;
  }

  private record Probe(PullLimit limit, java.time.Instant observedAt) {}

  static String text(PullLimit limit, Credentials who) {
    String caller = who == null ? "anonymous" : who.identifier();
    StringBuilder b = new StringBuilder();
    if (limit.isUnlimited()) {
      b.append("no pull rate limit for this caller (")
          .append(caller)
          .append("): the registry sent no limit\n");
      return b.toString();
    }
    long max = limit.limit().getAsLong();
    b.append("limit      ").append(Format.thousands(max)).append(" pulls");
    limit.window().ifPresent(w -> b.append(" per ").append(DurationConverter.format(w)));
    b.append('\n');
    if (limit.remaining().isPresent()) {
      long left = limit.remaining().getAsLong();
      b.append("remaining  ")
          .append(Format.thousands(left))
          .append(String.format(Locale.ROOT, " (%.0f%%)", max == 0 ? 0.0 : 100.0 * left / max))
          .append('\n');
    }
    b.append("caller     ").append(caller);
    limit.source().ifPresent(s -> b.append(" (").append(s).append(')'));
    b.append('\n');
    return b.toString();
  }

  private static String json(Probe result, Credentials who) throws IOException {
    PullLimit limit = result.limit();
    Buffer buffer = new Buffer();
    try (JsonWriter json = JsonWriter.of(buffer)) {
      json.setIndent("  ");
      json.beginObject();
      json.name("observed_at").value(result.observedAt().toString());
      json.name("authenticated").value(who != null);
      if (who != null) {
        json.name("username").value(who.identifier());
      }
      json.name("unlimited").value(limit.isUnlimited());
      if (limit.limit().isPresent()) {
        json.name("limit").value(limit.limit().getAsLong());
      }
      if (limit.remaining().isPresent()) {
        json.name("remaining").value(limit.remaining().getAsLong());
      }
      if (limit.window().isPresent()) {
        json.name("window_seconds").value(limit.window().map(Duration::toSeconds).orElseThrow());
      }
      if (limit.source().isPresent()) {
        json.name("source").value(limit.source().get());
      }
      json.endObject();
    }
    return buffer.readUtf8() + "\n";
  }
}
