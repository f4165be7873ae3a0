package io.segflow.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * One part of the report: what it shows in words, its charts (ECharts options), and the numbers behind
 * them as tables, so the page reads without JavaScript and a table copies into a slide.
 */
public record Section(String id, String title, List<String> paragraphs, List<Chart> charts, List<Table> tables,
    List<String> code) {
  public Section {
    paragraphs = List.copyOf(paragraphs);
    charts = List.copyOf(charts);
    tables = List.copyOf(tables);
    code = List.copyOf(code);
  }

  public Section(String id, String title, List<String> paragraphs, List<Chart> charts, List<Table> tables) {
    this(id, title, paragraphs, charts, tables, List.of());
  }

  /** An ECharts option, drawn into a box of the given height in pixels. */
  public record Chart(String title, ObjectNode option, int height) {}

  /** A table: a caption, its header and its rows of cells as text. */
  public record Table(Optional<String> caption, List<String> header, List<List<String>> rows) {
    public Table {
      header = List.copyOf(header);
      rows = rows.stream().map(List::copyOf).toList();
      for (List<String> row : rows) {
        if (row.size() != header.size()) {
          throw new IllegalArgumentException("a row of " + row.size() + " cells under a header of " + header.size()
              + ": " + row);
        }
      }
    }
  }
}
