package io.segflow.dsl.model;

import io.segflow.dsl.diag.Position;

/**
 * Where a piece of SQL text stands in a file, so that an error at line L, column C of the SQL can be
 * reported at its place in the file. Exact for sql_file and literal blocks ({@code sql: |}) and for SQL on
 * one line; for folded or multi-line quoted text, lines are joined by YAML and only the start is known.
 */
public record SqlOrigin(String displayPath, int firstLine, int columnOffset, boolean exact) {

  public static SqlOrigin ofFile(String displayPath) {
    return new SqlOrigin(displayPath, 1, 0, true);
  }

  /** The file position of a 1-based SQL line and column. */
  public Position map(int sqlLine, int sqlColumn) {
    if (!exact) {
      return new Position(firstLine, columnOffset + 1);
    }
    // Literal blocks indent every line alike; single-line scalars have only line 1.
    return new Position(firstLine + Math.max(1, sqlLine) - 1, columnOffset + Math.max(1, sqlColumn));
  }
}
