package io.segflow.transforms.io;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/** Rows as CSV lines (RFC 4180 quoting), with the header their schema gives. */
public final class CsvFormat {
  private CsvFormat() {}

  public static String header(Schema schema) {
    return String.join(",", schema.getFieldNames().stream().map(CsvFormat::quote).toList());
  }

  /** The row's values in schema order, NULL as an empty field, without a line break. */
  public static String line(Row row) {
    StringBuilder line = new StringBuilder();
    List<Object> values = row.getValues();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      Object v = values.get(i);
      line.append(v == null ? "" : quote(v.toString()));
    }
    return line.toString();
  }

  static String quote(String s) {
    boolean needs = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    return needs ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }
}
