package io.segflow.pipeline;

import io.segflow.transforms.io.CsvRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The segments of a run as a table for the terminal: id, label, size, share and each feature's mean. */
public final class SegmentTable {
  private SegmentTable() {}

  /** A segments file: its header and its rows, by segment id. */
  record Csv(List<String> header, List<List<String>> rows) {}

  static Csv read(Path segmentsCsv) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    List<String> header;
    try (var in = Files.newBufferedReader(segmentsCsv)) {
      CsvRecords records = new CsvRecords(in, ',');
      header = records.next().fields();
      for (CsvRecords.Record r = records.next(); r != null; r = records.next()) {
        rows.add(r.fields());
      }
    }
    rows.sort((a, b) -> Integer.compare(Integer.parseInt(a.get(0)), Integer.parseInt(b.get(0))));
    return new Csv(header, rows);
  }

  /**
   * The table, or a line saying why it cannot be shown: it is printed after the run is published, and
   * nothing after publishing may fail the run.
   */
  public static String render(Path segmentsCsv) {
    try {
      return table(segmentsCsv);
    } catch (IOException | RuntimeException e) {
      return "(the segments cannot be shown: " + e + "; they are in " + segmentsCsv + ")";
    }
  }

  private static String table(Path segmentsCsv) throws IOException {
    Csv csv = read(segmentsCsv);
    List<String> header = csv.header();
    List<List<String>> rows = csv.rows();
    List<Integer> shown = new ArrayList<>(List.of(0, 1, 2, 3));
    for (int i = 4; i < header.size(); i++) {
      if (header.get(i).endsWith("_mean")) {
        shown.add(i);
      }
    }
    List<List<String>> table = new ArrayList<>();
    List<String> head = new ArrayList<>();
    for (int i : shown) {
      head.add(header.get(i).equals("segment_id") ? "id" : header.get(i).equals("segment_label") ? "label" : header.get(i));
    }
    table.add(head);
    for (List<String> r : rows) {
      List<String> line = new ArrayList<>();
      for (int i : shown) {
        String v = r.get(i);
        if (v.isEmpty()) {
          v = "-"; // no value: a profiled feature NULL for every member of the segment
        } else if (header.get(i).equals("share")) {
          v = String.format("%.1f%%", 100 * Double.parseDouble(v));
        } else if (header.get(i).endsWith("_mean")) {
          v = String.format("%,.1f", Double.parseDouble(v));
        } else if (header.get(i).equals("size")) {
          v = String.format("%,d", Long.parseLong(v));
        }
        line.add(v);
      }
      table.add(line);
    }
    int[] width = new int[head.size()];
    for (List<String> line : table) {
      for (int i = 0; i < line.size(); i++) {
        width[i] = Math.max(width[i], line.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> line : table) {
      for (int i = 0; i < line.size(); i++) {
        boolean left = i == 1;
        sb.append(String.format("%" + (left ? "-" : "") + width[i] + "s", line.get(i))).append(i + 1 < line.size() ? "  " : "");
      }
      sb.append('\n');
    }
    return sb.toString().stripTrailing();
  }
}
