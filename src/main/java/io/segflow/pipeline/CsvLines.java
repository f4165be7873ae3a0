package io.segflow.pipeline;

import io.segflow.transforms.io.CsvFormat;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;

/** Rows as CSV lines ({@link CsvFormat}), for windowed writes of a stream's files. */
final class CsvLines extends DoFn<Row, String> {
  @ProcessElement
  public void process(@Element Row row, OutputReceiver<String> out) {
    out.output(CsvFormat.line(row));
  }
}
