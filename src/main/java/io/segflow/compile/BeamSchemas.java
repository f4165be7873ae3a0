package io.segflow.compile;

import io.segflow.dsl.model.Column;
import io.segflow.dsl.model.ColumnType;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;

/** The Beam schema of a declared source: BigQuery type names to Beam field types, every column nullable. */
public final class BeamSchemas {
  private BeamSchemas() {}

  public static Schema of(List<Column> columns) {
    Schema.Builder builder = Schema.builder();
    // Any value may be missing in the data; missing values are NULL, as in BigQuery's NULLABLE mode.
    columns.forEach(c -> builder.addNullableField(c.name(), fieldType(c.type())));
    return builder.build();
  }

  public static FieldType fieldType(ColumnType type) {
    return switch (type) {
      case STRING -> FieldType.STRING;
      case INT64 -> FieldType.INT64;
      case FLOAT64 -> FieldType.DOUBLE;
      case NUMERIC -> FieldType.DECIMAL;
      case BOOL -> FieldType.BOOLEAN;
      case DATE -> FieldType.logicalType(SqlTypes.DATE);
      case TIMESTAMP -> FieldType.DATETIME;
    };
  }

  /** True for the field types k-means can use as coordinates. */
  public static boolean isNumeric(FieldType type) {
    return type.getTypeName().isNumericType();
  }

  /** A short type name for messages: the BigQuery name where there is one. */
  public static String displayName(FieldType type) {
    return switch (type.getTypeName()) {
      case STRING -> "STRING";
      case BYTE, INT16, INT32, INT64 -> "INT64";
      case FLOAT, DOUBLE -> "FLOAT64";
      case DECIMAL -> "NUMERIC";
      case BOOLEAN -> "BOOL";
      case DATETIME -> "TIMESTAMP";
      case LOGICAL_TYPE -> type.getLogicalType().getIdentifier().toUpperCase(java.util.Locale.ROOT);
      default -> type.getTypeName().name();
    };
  }
}
