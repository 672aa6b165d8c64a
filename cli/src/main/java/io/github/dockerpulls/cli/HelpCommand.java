package io.github.dockerpulls.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IHelpCommandInitializable2;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code dockerpulls help [COMMAND...]}: the help of the command the words name, at any depth
 * ({@code help import prometheus}), where picocli's own help command looks at the first word only.
 */
@Command(
    name = "help",
    helpCommand = true,
    description = "Show the help of a command: help export, help import prometheus.")
final class HelpCommand implements IHelpCommandInitializable2, Runnable {
  @Parameters(
      paramLabel = "COMMAND",
      arity = "0..*",
      description = "The command, and its subcommand.")
  String[] commands = {};

  private CommandLine self;

  @Override
  public void init(
      CommandLine helpCommandLine,
      CommandLine.Help.ColorScheme colorScheme,
      PrintWriter out,
      PrintWriter err) {
    this.self = helpCommandLine;
  }

  @Override
  public void run() {
    CommandLine target = self.getParent();
    for (String name : commands) {
      CommandLine next = target.getSubcommands().get(name);
      if (next == null) {
        throw new ParameterException(
            self,
            "unknown command '"
                + name
                + "'"
                + (target.getSubcommands().isEmpty()
                    ? ": " + target.getCommandSpec().qualifiedName() + " has no subcommands"
                    : "; the commands are " + String.join(", ", target.getSubcommands().keySet())));
      }
      target = next;
    }
    target.usage(self.getOut());
    self.getOut().flush();
  }
}
