package io.segflow.compile;

import io.segflow.dsl.model.ColumnType;
import io.segflow.dsl.model.ParameterSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parameter values as the SQL literals that replace {@code @name}. */
public final class SqlParameters {
  private SqlParameters() {}

  /**
   * @param values each parameter's canonical value ({@code ParameterValues.resolve})
   */
  public static Map<String, String> literals(Map<String, ParameterSpec> parameters, Map<String, String> values) {
    Map<String, String> out = new LinkedHashMap<>();
    parameters.forEach((name, spec) -> out.put(name, literal(spec.type(), values.get(name))));
    return out;
  }

  static String literal(ColumnType type, String canonical) {
    return switch (type) {
      case STRING -> "'" + canonical.replace("'", "''") + "'";
      case INT64 -> "CAST(" + canonical + " AS BIGINT)";
      // An exponent makes Calcite read a DOUBLE literal rather than a DECIMAL one.
      case FLOAT64 -> canonical.contains("E") ? canonical : canonical + "E0";
      case NUMERIC -> "CAST('" + canonical + "' AS DECIMAL)";
      case BOOL -> canonical.toUpperCase(java.util.Locale.ROOT);
      case DATE -> "DATE '" + canonical + "'";
      case TIMESTAMP -> "TIMESTAMP '" + canonical + "'";
    };
  }
}
