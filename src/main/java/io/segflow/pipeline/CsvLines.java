package io.segflow.pipeline;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;

/** Rows as CSV lines (RFC 4180 quoting), with the header their schema gives. */
final class CsvLines extends DoFn<Row, String> {
  static String header(Schema schema) {
    return String.join(",", schema.getFieldNames().stream().map(CsvLines::quote).toList());
  }

  @ProcessElement
  public void process(@Element Row row, OutputReceiver<String> out) {
    StringBuilder line = new StringBuilder();
    List<Object> values = row.getValues();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      Object v = values.get(i);
      line.append(v == null ? "" : quote(v.toString()));
    }
    out.output(line.toString());
  }

  static String quote(String s) {
    boolean needs = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    return needs ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }
}
