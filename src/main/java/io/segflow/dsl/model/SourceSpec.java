package io.segflow.dsl.model;

import java.util.List;

/** A logical source as a definition declares it: a name the SQL uses as a table, and its columns. */
public record SourceSpec(String name, String description, List<Column> columns) {
  public SourceSpec {
    columns = List.copyOf(columns);
  }
}
