package io.segflow.dsl.model;

/**
 * A declared column of a logical source. A {@code pii} column holds personal data: its values reach no
 * output or reject, and the features may use it only through a one-way function.
 */
public record Column(String name, ColumnType type, boolean pii) {
  public Column(String name, ColumnType type) {
    this(name, type, false);
  }
}
