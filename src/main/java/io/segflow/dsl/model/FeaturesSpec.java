package io.segflow.dsl.model;

import java.util.Map;

/**
 * The features query and the documentation of its output columns: each one's description, and for some
 * the words for a segment low or high on it.
 */
public record FeaturesSpec(SqlText sql, Map<String, String> columnDocs, Map<String, FeatureWords> columnWords) {
  public FeaturesSpec {
    columnDocs = Map.copyOf(columnDocs);
    columnWords = Map.copyOf(columnWords);
  }

  public FeaturesSpec(SqlText sql, Map<String, String> columnDocs) {
    this(sql, columnDocs, Map.of());
  }
}
