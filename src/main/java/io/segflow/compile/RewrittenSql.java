package io.segflow.compile;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;

/**
 * SQL as Beam SQL will plan it, after segflow's rewrites, with the way back: every character of the
 * rewritten text maps to a character of what the analyst wrote, so an error Beam SQL reports in the
 * rewritten text is reported where the analyst wrote the construct.
 *
 * @param text the SQL Beam SQL plans
 * @param pieces the rewritten text, in order, as runs copied from the original or written by segflow
 * @param aggregates the aggregate functions the text calls, by their registered names
 * @param spelledAs the analyst's spelling of each name segflow introduced, for messages
 */
public record RewrittenSql(
    String text,
    List<Piece> pieces,
    Map<String, Combine.CombineFn<?, ?, ?>> aggregates,
    Map<String, String> spelledAs) {

  /**
   * A run of the rewritten text starting at {@code at}, {@code length} characters long. A copied run maps
   * character by character to the original from {@code from}; a written one maps wholly to {@code from}, the
   * start of the construct it replaces.
   */
  public record Piece(int at, int length, int from, boolean copied) {}

  public RewrittenSql {
    pieces = List.copyOf(pieces);
    aggregates = Map.copyOf(aggregates);
    spelledAs = Map.copyOf(spelledAs);
  }

  /** The offset in the original SQL of an offset in the rewritten text. */
  public int originalOffset(int offset) {
    Piece last = null;
    for (Piece p : pieces) {
      if (offset < p.at() + p.length()) {
        return offset < p.at() ? p.from() : p.copied() ? p.from() + (offset - p.at()) : p.from();
      }
      last = p;
    }
    return last == null ? 0 : last.copied() ? last.from() + last.length() : last.from();
  }

  /** The 1-based line and column, in {@code original}, of a 1-based line and column of the rewritten text. */
  public int[] originalLineColumn(String original, int line, int column) {
    int offset = offsetOf(text, line, column);
    return lineColumn(original, originalOffset(offset));
  }

  /** A message about the rewritten SQL, in the analyst's words. */
  public String inAnalystTerms(String message) {
    String out = message;
    for (Map.Entry<String, String> name : spelledAs.entrySet()) {
      out = out.replace(name.getKey(), name.getValue());
    }
    return out;
  }

  static int offsetOf(String text, int line, int column) {
    int offset = 0;
    for (int l = 1; l < line && offset < text.length(); offset++) {
      if (text.charAt(offset) == '\n') {
        l++;
      }
    }
    return Math.min(text.length(), offset + Math.max(0, column - 1));
  }

  static int[] lineColumn(String text, int offset) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new int[] {line, column};
  }
}
