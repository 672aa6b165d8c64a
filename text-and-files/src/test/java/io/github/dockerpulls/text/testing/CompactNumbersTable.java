package io.github.dockerpulls.text.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The table of {@code compact-numbers.csv}: the counts and their compact text that both {@code
 * CompactNumbers} and the dashboard's JavaScript are held to.
 */
public final class CompactNumbersTable {
  private CompactNumbersTable() {}

  /** Count to expected text, in the file's order. */
  public static Map<Long, String> read() throws IOException {
    Map<Long, String> table = new LinkedHashMap<>();
    try (InputStream in = CompactNumbersTable.class.getResourceAsStream("/compact-numbers.csv")) {
      if (in == null) {
        throw new IOException("compact-numbers.csv is not on the test class path");
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] cells = line.strip().split(",");
        table.put(Long.parseLong(cells[0]), cells[1]);
      }
    }
    return table;
  }
}
