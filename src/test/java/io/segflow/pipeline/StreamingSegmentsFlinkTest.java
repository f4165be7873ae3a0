package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segflow.compile.BeamSchemas;
import io.segflow.compile.CompiledDefinition;
import io.segflow.compile.StreamingPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rules example's changes on the embedded Flink cluster: a replayed history in batch, a stream in streaming mode. */
@Tag("flink")
class StreamingSegmentsFlinkTest {
  private static Pipeline flink(boolean streaming, int parallelism) {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setStreaming(streaming);
    options.setParallelism(parallelism);
    return Pipeline.create(options);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aReplayedHistoryInBatchOnFlink() {
    CompiledDefinition compiled = StreamingSegmentsTest.rules();
    Schema schema = BeamSchemas.of(compiled.definition().sources().get(StreamingSegmentsTest.EVENTS).columns());
    List<TimestampedValue<Row>> events = new ArrayList<>(StreamingSegmentsTest.purchases(schema));
    java.util.Collections.reverse(events);
    Pipeline p = flink(false, 2);
    PCollection<Row> rows = p.apply(Create.timestamped(events).withCoder(RowCoder.of(schema))).setRowSchema(schema);
    StreamingSegments.Result out = PCollectionTuple.of(new TupleTag<>(StreamingSegmentsTest.EVENTS), rows)
        .apply(StreamingSegments.of(compiled, StreamingPlan.of(compiled, StreamingSegmentsTest.EVENTS)));
    StreamingSegmentsTest.assertChanges(out, List.of(Row.withSchema(out.changes().getSchema())
        .addValues(3L, "new_customers", "lapsed", Instant.parse("2011-12-10T00:00:00Z"), 2L, null).build()));
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aStreamInStreamingModeOnFlink() {
    CompiledDefinition compiled = StreamingSegmentsTest.rules();
    Schema schema = BeamSchemas.of(compiled.definition().sources().get(StreamingSegmentsTest.EVENTS).columns());
    TestStream.Builder<Row> stream = TestStream.create(RowCoder.of(schema));
    for (TimestampedValue<Row> event : StreamingSegmentsTest.purchases(schema)) {
      stream = stream.advanceWatermarkTo(event.getTimestamp()).addElements(event);
    }
    // A stream takes each customer's events as they reach the customer's state: with two parallel readers a
    // customer's purchases can overtake one another (as Pub/Sub's can), and the changes follow that order.
    // One reader keeps the TestStream's order here; ordering within an allowed lateness is still to come.
    Pipeline p = flink(true, 1);
    PCollection<Row> rows = p.apply(stream.advanceWatermarkToInfinity()).setRowSchema(schema);
    StreamingSegmentsTest.assertChanges(PCollectionTuple.of(new TupleTag<>(StreamingSegmentsTest.EVENTS), rows)
        .apply(StreamingSegments.of(compiled, StreamingPlan.of(compiled, StreamingSegmentsTest.EVENTS))), List.of());
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }
}
