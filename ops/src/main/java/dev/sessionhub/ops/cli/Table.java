package dev.sessionhub.ops.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: columns sized to their content (capped), cells cut with an ellipsis. */
final class Table {

  private static final int MAX_CELL = 40;
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = List.of(headers);
  }

  Table row(Object... cells) {
    List<String> row = new ArrayList<>();
    for (Object c : cells) {
      String s = c == null ? "" : String.valueOf(c).replace('\n', ' ');
      row.add(s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s);
    }
    rows.add(row);
    return this;
  }

  void print(PrintStream out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], i < row.size() ? row.get(i).length() : 0);
      }
    }
    line(out, headers, widths);
    for (List<String> row : rows) {
      line(out, row, widths);
    }
  }

  private static void line(PrintStream out, List<String> cells, int[] widths) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      String cell = i < cells.size() ? cells.get(i) : "";
      s.append(cell);
      if (i < widths.length - 1) {
        s.append(" ".repeat(widths[i] - cell.length() + 2));
      }
    }
    out.println(s.toString().stripTrailing());
  }
}
