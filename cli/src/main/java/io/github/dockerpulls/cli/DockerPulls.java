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
    COMMANDS.put("ratelimit", RatelimitCommand::new);
    COMMANDS.put("tags", TagsCommand::new);
    COMMANDS.put("help", CommandLine.HelpCommand::new);
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
      }
      err.println("dockerpulls: " + message);
      err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
      err.flush();
      return ExitCode.BAD_INPUT;
    }
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
