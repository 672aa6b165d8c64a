package io.github.dockerpulls.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** {@code dockerpulls}: Docker Hub pull counts for Prometheus, Elasticsearch and the terminal. */
@Command(
    name = "dockerpulls",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Docker Hub pull counts, stars and rate limits for Prometheus and Elasticsearch.")
public final class DockerPulls implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "missing command: say which, such as 'export'");
  }

  /** The subcommands, in the order help lists them. */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("export", ExportCommand::new);
    COMMANDS.put("serve", ServeCommand::new);
    COMMANDS.put("report", ReportCommand::new);
    COMMANDS.put("import", ImportCommand::new);
    COMMANDS.put("history", HistoryCommand::new);
    COMMANDS.put("ratelimit", RatelimitCommand::new);
    COMMANDS.put("tags", TagsCommand::new);
    COMMANDS.put("help", HelpCommand::new);
  }

  public static void main(String[] args) {
    // Building a command's model reflects over all its options; a run of one command builds
    // only that one, which takes a tenth of a second off the start of a short export.
    boolean one = args.length > 0 && !args[0].equals("help") && COMMANDS.containsKey(args[0]);
    System.exit(execute(one ? commandLine(List.of(args[0])) : commandLine(), args));
  }

  /**
   * Runs {@code args} on {@code cl}. The options of a {@code --config FILE} are put right after the
   * subcommand's name, so that options given on the command line win over them.
   */
  public static int execute(CommandLine cl, String... args) {
    List<String> list = new ArrayList<>(List.of(args));
    // -v and -q mean the same before the command's name as after it: dockerpulls -v export ...
    int lead = 0;
    while (lead < list.size()
        && List.of("-v", "--verbose", "-q", "--quiet").contains(list.get(lead))) {
      lead++;
    }
    if (lead > 0 && lead < list.size() && cl.getSubcommands().containsKey(list.get(lead))) {
      List<String> flags = new ArrayList<>(list.subList(0, lead));
      list.subList(0, lead).clear();
      int at = 1;
      while (at < list.size()
          && cl.getSubcommands().get(list.get(at - 1)) != null
          && cl.getSubcommands().get(list.get(at - 1)).getSubcommands().containsKey(list.get(at))) {
        at++; // after "import prometheus", not between its words
      }
      list.addAll(at, flags);
    }
    String file = null;
    for (int i = 0; i < list.size(); i++) {
      String arg = list.get(i);
      if (arg.equals("--")) {
        break;
      }
      if (arg.equals("--config")) {
        if (i + 1 >= list.size()) {
          return badInput(cl, "Missing required parameter for option '--config' (FILE)");
        }
        file = list.get(i + 1);
        list.subList(i, i + 2).clear();
        break;
      }
      if (arg.startsWith("--config=")) {
        file = arg.substring("--config=".length());
        list.remove(i);
        break;
      }
    }
    if (file != null) {
      List<String> options;
      try {
        options = ConfigFile.read(Path.of(file));
      } catch (ConfigFile.Invalid e) {
        return badInput(cl, "--config: " + file + ": " + e.getMessage());
      }
      int sub = 0;
      while (sub < list.size() && !cl.getSubcommands().containsKey(list.get(sub))) {
        sub++;
      }
      list.addAll(sub < list.size() ? sub + 1 : list.size(), options);
    }
    try (CommandLog log = CommandLog.install(cl.getErr())) {
      return cl.execute(list.toArray(String[]::new));
    }
  }

  private static int badInput(CommandLine cl, String message) {
    cl.getErr().println("dockerpulls: " + message);
    cl.getErr().println("Try 'dockerpulls --help' for more information.");
    cl.getErr().flush();
    return ExitCode.BAD_INPUT;
  }

  /** The command line with dockerpulls' error handling: one line per problem, exit codes 1/2. */
  public static CommandLine commandLine() {
    return commandLine(COMMANDS.keySet());
  }

  /** Wide enough for most descriptions on one line; HelpLayout wraps the rest at spaces. */
  private static final int HELP_WIDTH = 100;

  private static CommandLine commandLine(Collection<String> commands) {
    return commandLine(commands, HELP_WIDTH);
  }

  /** The command line with its help {@code helpWidth} columns wide. */
  static CommandLine commandLine(Collection<String> commands, int helpWidth) {
    CommandLine cl = new CommandLine(new DockerPulls());
    for (String name : commands) {
      cl.addSubcommand(name, COMMANDS.get(name).get());
    }
    cl.setParameterExceptionHandler(new BadInput());
    cl.setExecutionExceptionHandler(new Failure());
    EnumValue.registerAll(cl);
    cl.setDefaultValueProvider(new BlankIsUnset(System.getenv()));
    // --config files are read by ConfigFile, with bounds; an @FILE argument is just text.
    cl.setExpandAtFiles(false);
    // A --config file comes first; the command line may then override its single values.
    cl.setOverwrittenOptionsAllowed(true);
    // Wrapped at spaces only, so that URLs, paths and option names stay whole.
    HelpLayout.install(cl, helpWidth);
    return cl;
  }

  /** Bad input: one line and a hint, exit 2. */
  static final class BadInput implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException e, String[] args) {
      CommandLine cl = e.getCommandLine();
      PrintWriter err = cl.getErr();
      String message = ErrorText.oneLine(e.getMessage());
      if (e instanceof CommandLine.UnmatchedArgumentException u
          && !cl.getSubcommands().isEmpty()
          && !u.getUnmatched().isEmpty()
          && !u.getUnmatched().get(0).startsWith("-")
          && cl.getParseResult().subcommand() == null) {
        message =
            "unknown command '"
                + u.getUnmatched().get(0)
                + "'; the commands are "
                + String.join(", ", cl.getSubcommands().keySet());
      } else if (e instanceof CommandLine.UnmatchedArgumentException u
          && !u.getUnmatched().isEmpty()) {
        message = unmatched(cl, u);
      }
      err.println("dockerpulls: " + message);
      err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
      err.flush();
      return ExitCode.BAD_INPUT;
    }
  }

  /**
   * An option nobody knows, with the options it may have meant; or a word where only options are
   * taken, with the option it may belong to.
   */
  static String unmatched(CommandLine cl, CommandLine.UnmatchedArgumentException u) {
    String first = u.getUnmatched().get(0);
    if (first.startsWith("-")) {
      String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
      List<String> suggestions = similarOptions(cl, name);
      return "unknown option '"
          + name
          + "'"
          + (suggestions.isEmpty()
              ? ""
              : "; did you mean "
                  + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size())))
                  + "?");
    }
    String hint = "";
    if (first.matches("[a-z0-9][a-z0-9._-]*/[a-z0-9][a-z0-9._-]*")
        && cl.getCommandSpec().findOption("--repo") != null) {
      hint = "; did you mean --repo " + first + "?";
    } else if (first.matches("[a-z0-9][a-z0-9_-]*")
        && cl.getCommandSpec().findOption("--org") != null) {
      hint = "; did you mean --org " + first + "?";
    }
    return "unexpected argument '" + first + "': this command takes options only" + hint;
  }

  /**
   * The command's option names within two edits (a letter added, dropped, changed, or two swapped)
   * of {@code name}, the closest first.
   */
  static List<String> similarOptions(CommandLine cl, String name) {
    List<String> found = new ArrayList<>();
    List<Integer> distances = new ArrayList<>();
    for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
      for (String n : o.names()) {
        if (!n.startsWith("--")) {
          continue;
        }
        int d = edits(name, n);
        if (d <= 2 && d < n.length() / 2) {
          int at = 0;
          while (at < distances.size() && distances.get(at) <= d) {
            at++;
          }
          found.add(at, n);
          distances.add(at, d);
        }
      }
    }
    return found;
  }

  /** The optimal string alignment distance: Levenshtein with swaps of neighbours. */
  static int edits(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** Anything the commands did not turn into an exit code: one line, exit 1. */
  static final class Failure implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
      PrintWriter err = cl.getErr();
      boolean verbose =
          parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"))
              || parsed.hasMatchedOption("--verbose");
      if (e instanceof ParameterException pe) {
        return new BadInput()
            .handleParseException(pe, parsed.originalArgs().toArray(String[]::new));
      }
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      err.println("dockerpulls: " + ErrorText.oneLine(message));
      if (verbose) {
        e.printStackTrace(err);
      }
      err.flush();
      return ExitCode.FAILED;
    }
  }
}
