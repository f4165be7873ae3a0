package io.segflow.transforms.io;

import java.util.StringJoiner;
import org.apache.beam.sdk.values.Row;

/**
 * A row as the one line a reject's {@code record} holds: {@code name=value, ...}, NULL for a null. Beam's
 * {@code Row.toString} spans lines, which a CSV cell and a log line do not want.
 */
public final class RowText {
  private RowText() {}

  public static String of(Row row) {
    StringJoiner line = new StringJoiner(", ");
    for (int i = 0; i < row.getFieldCount(); i++) {
      Object value = row.getValue(i);
      line.add(row.getSchema().getField(i).getName() + "=" + (value == null ? "NULL" : value));
    }
    return line.toString();
  }
}
