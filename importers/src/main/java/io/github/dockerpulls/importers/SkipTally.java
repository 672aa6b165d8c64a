package io.github.dockerpulls.importers;

import io.github.dockerpulls.text.Messages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import passed over, counted by kind with the first example of each: the summary says
 * {@code 2 values that are not counts (such as +Inf for camunda/zeebe)}.
 */
final class SkipTally {
  private final Map<String, Skipped> skipped = new LinkedHashMap<>();

  private static final class Skipped {
    long count;
    final String example;

    Skipped(String example) {
      this.example = example;
    }
  }

  void skip(String kind, String example) {
    skipped.computeIfAbsent(kind, k -> new Skipped(Messages.oneLine(example, 120))).count++;
  }

  long total() {
    long total = 0;
    for (Skipped s : skipped.values()) {
      total += s.count;
    }
    return total;
  }

  /** One line per kind: how many, what, and the first example. */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Skipped> e : skipped.entrySet()) {
      lines.add(
          String.format(
              java.util.Locale.ROOT,
              "%,d %s (such as %s)",
              e.getValue().count,
              e.getKey(),
              e.getValue().example));
    }
    return lines;
  }
}
