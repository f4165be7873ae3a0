package io.segflow.pipeline;

import io.segflow.transforms.io.CsvFormat;
import java.nio.file.Path;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;

/**
 * Rows of a stream with no end written as CSV files, one per pane: what arrived in the last seconds.
 * The panes fire on processing time in the global window, not on event-time windows: a stream's events
 * may be years old (a history published again), and an event-time window the watermark has passed would
 * drop them.
 */
final class StreamFiles {
  private StreamFiles() {}

  /** Files {@code prefix/<name of the pane>.csv}, each with the header, every {@code seconds}. */
  static void write(PCollection<Row> rows, Path prefix, String name, int seconds) {
    rows.apply(name + "/Panes", Window.<Row>into(new GlobalWindows())
            .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane()
                .plusDelayOf(Duration.standardSeconds(seconds))))
            .withAllowedLateness(Duration.ZERO)
            .discardingFiredPanes())
        .apply(name + "/Csv", ParDo.of(new CsvLines()))
        .apply(name + "/Files", TextIO.write().to(prefix.resolve(prefix.getFileName()).toString()).withSuffix(".csv")
            .withWindowedWrites().withNumShards(1).withHeader(CsvFormat.header(rows.getSchema())));
  }
}
