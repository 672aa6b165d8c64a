package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A set-but-empty environment variable counts as unset ({@code docker run -e VAR=}): every variable
 * an option reads, set to "" in a JVM of its own, gives each option the value it has when the
 * variable is not set at all.
 */
class BlankEnvironmentTest {
  private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)");

  /** The commands and the arguments they need to parse. */
  private static final List<List<String>> COMMANDS =
      List.of(
          List.of("serve", "--org", "camunda"),
          List.of("export", "--org", "camunda"),
          List.of("report", "--org", "camunda"),
          List.of("ratelimit"),
          List.of("import", "prometheus"),
          List.of("import", "elasticsearch"));

  /** Parses each command and prints every option's value: run in a child JVM. */
  public static void main(String[] args) {
    for (List<String> command : COMMANDS) {
      CommandLine cl = DockerPulls.commandLine();
      CommandLine.ParseResult parsed = cl.parseArgs(command.toArray(String[]::new));
      while (parsed.hasSubcommand()) {
        parsed = parsed.subcommand();
      }
      for (OptionSpec o : parsed.commandSpec().options()) {
        System.out.println(
            String.join(" ", command.subList(0, command.get(0).equals("import") ? 2 : 1))
                + " "
                + o.longestName()
                + "="
                + o.getValue());
      }
    }
  }

  /** Every variable named in an option's default. */
  static List<String> variables() {
    List<String> names = new ArrayList<>();
    CommandLine cl = DockerPulls.commandLine();
    collect(cl, names);
    return names.stream().distinct().sorted().toList();
  }

  private static void collect(CommandLine cl, List<String> names) {
    for (OptionSpec o : cl.getCommandSpec().options()) {
      if (o.userObject() instanceof java.lang.reflect.Field f) {
        CommandLine.Option a = f.getAnnotation(CommandLine.Option.class);
        Matcher m = ENV.matcher(a == null ? "" : a.defaultValue());
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    cl.getSubcommands().values().forEach(sub -> collect(sub, names));
  }

  private static Map<String, String> run(Map<String, String> env) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                BlankEnvironmentTest.class.getName())
            .redirectErrorStream(true);
    for (String v : variables()) {
      pb.environment().remove(v);
    }
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    Map<String, String> values = new TreeMap<>();
    for (String line : out.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return values;
  }

  @Test
  void everyVariableSetButEmptyGivesTheValueOfAnUnsetOne() throws Exception {
    List<String> variables = variables();
    assertThat(variables)
        .contains(
            "DOCKERPULLS_FORMAT",
            "DOCKERPULLS_PORT",
            "DOCKERPULLS_INTERVAL",
            "DOCKERPULLS_LOG_FORMAT",
            "DOCKERHUB_TOKEN_FILE",
            "DOCKERPULLS_LISTEN_ADDRESS")
        .hasSizeGreaterThan(20);
    Map<String, String> blank = new TreeMap<>();
    for (String v : variables) {
      blank.put(v, "");
    }
    Map<String, String> unset = run(Map.of());
    Map<String, String> empty = run(blank);
    assertThat(unset).containsEntry("serve --port", "2113").hasSizeGreaterThan(60);
    assertThat(empty).isEqualTo(unset);
  }

  @Test
  void aVariableWithAValueStillGivesIt() throws Exception {
    Map<String, String> set = run(Map.of("DOCKERPULLS_PORT", "2200", "DOCKERPULLS_INTERVAL", "1m"));
    assertThat(set).containsEntry("serve --port", "2200").containsEntry("serve --interval", "PT1M");
  }
}
