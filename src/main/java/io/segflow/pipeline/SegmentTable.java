package io.segflow.pipeline;

import io.segflow.transforms.io.CsvRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The segments of a run as a table for the terminal: id, label, size, share and each feature's mean; a tree's
 * segments from the root down, labels indented by depth, with each one's parent.
 */
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
    int parent = header.indexOf("parent_segment_id");
    List<Integer> shown = new ArrayList<>();
    for (String column : List.of("segment_id", "segment_label", "parent_segment_id", "size", "share")) {
      if (header.contains(column)) {
        shown.add(header.indexOf(column));
      }
    }
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).endsWith("_mean")) {
        shown.add(i);
      }
    }
    if (parent >= 0) {
      rows = treeOrder(rows, parent);
    }
    List<List<String>> table = new ArrayList<>();
    List<String> head = new ArrayList<>();
    for (int i : shown) {
      String name = header.get(i);
      head.add(switch (name) {
        case "segment_id" -> "id";
        case "segment_label" -> "label";
        case "parent_segment_id" -> "parent";
        default -> name;
      });
    }
    table.add(head);
    int depth = header.indexOf("depth");
    for (List<String> r : rows) {
      List<String> line = new ArrayList<>();
      for (int i : shown) {
        String v = r.get(i);
        if (header.get(i).equals("segment_label") && depth >= 0) {
          v = "  ".repeat(Integer.parseInt(r.get(depth))) + v; // a tree reads as one, indented by depth
        } else if (v.isEmpty()) {
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

  /** A tree's segments from the root down, each followed by its children (by id), depth first. */
  private static List<List<String>> treeOrder(List<List<String>> rows, int parent) {
    List<List<String>> out = new ArrayList<>();
    rows.stream().filter(r -> r.get(parent).isEmpty()).forEach(root -> below(root, rows, parent, out));
    return out;
  }

  private static void below(List<String> node, List<List<String>> rows, int parent, List<List<String>> out) {
    out.add(node);
    rows.stream().filter(r -> r.get(parent).equals(node.get(0))).forEach(child -> below(child, rows, parent, out));
  }
}
