package io.github.dockerpulls.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Wraps help at spaces only. Picocli's own wrapping may break a line at any point a text line break
 * is allowed, which includes after a '.' or '-' inside a word: a default such as {@code
 * https://hub.docker.com} came out as {@code https://hub.docker.} and {@code com} on two lines, and
 * {@code [--[no-]legacy-metric]} was cut after {@code --}. Each section is rendered by picocli on
 * one very wide line per entry and then wrapped here, so URLs, paths and option names stay whole.
 */
final class HelpLayout {
  /** Wide enough that picocli wraps nothing. */
  private static final int UNWRAPPED = 10_000;

  private HelpLayout() {}

  /**
   * Installs the wrapping on {@code cl} and all its subcommands, at {@code width} columns; call it
   * once the subcommands are added.
   */
  static void install(CommandLine cl, int width) {
    cl.setUsageHelpWidth(width);
    Map<String, IHelpSectionRenderer> sections = cl.getHelpSectionMap();
    for (String key : List.copyOf(sections.keySet())) {
      IHelpSectionRenderer picocli = sections.get(key);
      sections.put(key, help -> wrap(key, unwrapped(picocli, help), width, lead(key, help)));
    }
    // Picocli hands the map (and the width) on to every subcommand present now: one wrapping each.
    cl.setHelpSectionMap(sections);
  }

  /** What stands before a section's first line: the synopsis follows "Usage: " on its line. */
  private static int lead(String section, Help help) {
    if (!section.equals(UsageMessageSpec.SECTION_KEY_SYNOPSIS)) {
      return 0;
    }
    String heading = help.synopsisHeading();
    return heading.length() - (heading.lastIndexOf('\n') + 1);
  }

  private static String unwrapped(IHelpSectionRenderer picocli, Help help) {
    UsageMessageSpec usage = help.commandSpec().usageMessage();
    int width = usage.width();
    usage.width(UNWRAPPED);
    try {
      return picocli.render(new Help(help.commandSpec(), help.colorScheme()));
    } finally {
      usage.width(width);
    }
  }

  static String wrap(String section, String text, int width, int lead) {
    StringBuilder out = new StringBuilder(text.length() + 64);
    // The options' descriptions start in one column; a label that fills it leaves a single space
    // before its description, so the column is the one most lines show, not this line's gap.
    int column =
        section.equals(UsageMessageSpec.SECTION_KEY_OPTION_LIST) ? descriptionColumn(text) : -1;
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      String line = end < 0 ? text.substring(start) : text.substring(start, end);
      int before = start == 0 ? lead : 0;
      int indent = column > 0 && !line.isBlank() ? column + 2 : continuation(section, line);
      wrapLine(out, line, width - before, width, indent + before);
      if (end < 0) {
        break;
      }
      out.append('\n');
      start = end + 1;
    }
    return out.toString();
  }

  private static int continuation(String section, String line) {
    int indent = 0;
    while (indent < line.length() && line.charAt(indent) == ' ') {
      indent++;
    }
    return switch (section) {
      // An option's description continues two columns right of where it starts, as picocli's does.
      case UsageMessageSpec.SECTION_KEY_OPTION_LIST -> secondColumn(line, indent) + 2;
      case UsageMessageSpec.SECTION_KEY_SYNOPSIS -> {
        // "Usage: dockerpulls export [-hqvV] ...": continue under the first option.
        int command = line.indexOf(" [");
        yield command > 0 ? command + 1 : indent;
      }
      case UsageMessageSpec.SECTION_KEY_COMMAND_LIST -> secondColumn(line, indent);
      default -> indent;
    };
  }

  /** The column most option lines' descriptions start at, or -1 when none shows it. */
  private static int descriptionColumn(String text) {
    Map<Integer, Integer> counts = new java.util.HashMap<>();
    for (String line : text.split("\n")) {
      int indent = 0;
      while (indent < line.length() && line.charAt(indent) == ' ') {
        indent++;
      }
      if (indent < 8 && line.indexOf("  ", indent) > 0) {
        counts.merge(secondColumn(line, indent), 1, Integer::sum);
      }
    }
    return counts.entrySet().stream()
        .max(
            Map.Entry.<Integer, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .orElse(-1);
  }

  /** Where the text after the names starts: past the first run of two or more spaces. */
  private static int secondColumn(String line, int indent) {
    if (indent >= 8) {
      return indent; // a description on a line of its own, or a continuation
    }
    int gap = line.indexOf("  ", indent);
    if (gap < 0) {
      return indent;
    }
    while (gap < line.length() && line.charAt(gap) == ' ') {
      gap++;
    }
    return gap;
  }

  /** Writes {@code line} in lines of at most {@code width} columns, the first {@code first}. */
  private static void wrapLine(StringBuilder out, String line, int first, int width, int indent) {
    String rest = line;
    int limit = first;
    while (rest.length() > limit) {
      int cut = rest.lastIndexOf(' ', limit);
      int floor = limit == first ? 0 : indent;
      while (cut > floor && rest.charAt(cut - 1) == ' ') {
        cut--;
      }
      if (cut <= floor) {
        cut = rest.indexOf(' ', limit); // one word longer than the line: keep it whole
        if (cut < 0) {
          break;
        }
      }
      out.append(rest, 0, cut).append('\n');
      rest = " ".repeat(indent) + rest.substring(cut).stripLeading();
      limit = width;
    }
    out.append(rest);
  }
}
