package io.segflow.dsl.model;

import java.util.Map;

/** The features query and the documentation of its output columns. */
public record FeaturesSpec(SqlText sql, Map<String, String> columnDocs) {
  public FeaturesSpec {
    columnDocs = Map.copyOf(columnDocs);
  }
}
