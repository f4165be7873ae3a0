package io.segflow.dsl.diag;

/** How bad a diagnostic is: errors fail validation (exit 1), warnings do not. */
public enum Severity {
  ERROR,
  WARNING;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
