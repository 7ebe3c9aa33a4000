package io.jmesos.dist.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The plain table Mesos' CLI prints: a header row and rows, each cell padded to its column's widest entry
 * plus two spaces, no borders.
 */
public final class Table {
  private final List<List<String>> rows = new ArrayList<>();
  private final int[] widths;

  public Table(String... columns) {
    rows.add(List.of(columns));
    widths = new int[columns.length];
    for (int i = 0; i < columns.length; i++) {
      widths[i] = columns[i].length();
    }
  }

  /** Adds a row with one entry per column. */
  public Table add(String... row) {
    if (row.length != widths.length) {
      throw new IllegalArgumentException("Number of entries and columns do not match!");
    }
    for (int i = 0; i < row.length; i++) {
      widths[i] = Math.max(widths[i], row[i].length());
    }
    rows.add(List.of(row));
    return this;
  }

  /** The number of rows below the header. */
  public int size() {
    return rows.size() - 1;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      for (int i = 0; i < row.size(); i++) {
        String entry = row.get(i);
        text.append(entry).append(" ".repeat(widths[i] - entry.length() + 2));
      }
      if (r != rows.size() - 1) {
        text.append('\n');
      }
    }
    return text.toString();
  }
}
