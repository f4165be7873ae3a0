package io.segflow.dsl.model;

/** Column types of sources, by their BigQuery names. */
public enum ColumnType {
  STRING,
  INT64,
  FLOAT64,
  NUMERIC,
  BOOL,
  DATE,
  TIMESTAMP;

  public boolean isNumeric() {
    return this == INT64 || this == FLOAT64 || this == NUMERIC;
  }
}
