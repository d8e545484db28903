package io.lockstep.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: columns padded to their widest cell, two spaces apart. */
final class Table {

  private final List<String[]> rows = new ArrayList<>();
  private final boolean[] rightAligned;

  Table(String... headings) {
    rows.add(headings);
    rightAligned = new boolean[headings.length];
  }

  Table alignRight(int column) {
    rightAligned[column] = true;
    return this;
  }

  Table row(Object... cells) {
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      row[i] = cells[i] == null ? "" : cells[i].toString();
    }
    rows.add(row);
    return this;
  }

  void print(PrintStream out, String indent) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].codePointCount(0, row[i].length()));
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < columns; i++) {
        String cell = row[i];
        String pad = " ".repeat(widths[i] - cell.codePointCount(0, cell.length()));
        line.append(rightAligned[i] ? pad + cell : (i == columns - 1 ? cell : cell + pad));
        if (i < columns - 1) {
          line.append("  ");
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
