package io.segflow.transforms.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The same events on the embedded Flink cluster in streaming mode: the same updates, the same redelivery rule. */
@Tag("flink")
class EntityAggregatesFlinkTest {
  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void theSameUpdatesInStreamingModeOnFlink() {
    Pipeline p = streamingOnFlink();

    EntityAggregates.Result out = p.apply(EntityAggregatesTest.purchases()).apply(EntityAggregatesTest.KEEP);

    PAssert.that(out.updates()).containsInAnyOrder(EntityAggregatesTest.UPDATES);
    PAssert.that(out.late()).containsInAnyOrder(EntityAggregatesTest.LATE_COPY);
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  /** The re-evaluation timers fire on Flink as on the DirectRunner, at the same times. */
  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aQuietCustomerIsReevaluatedAtTheSameTimesOnFlink() {
    Pipeline p = streamingOnFlink();

    EntityAggregates.Result out = p.apply(EntityAggregatesTest.quiet()).apply(EntityAggregatesTest.HOURLY);

    PAssert.that(out.updates().apply(org.apache.beam.sdk.transforms.Reify.timestamps()))
        .containsInAnyOrder(EntityAggregatesTest.QUIET_UPDATES);
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  /** A pipeline on the embedded Flink cluster in streaming mode, two tasks wide. */
  private static Pipeline streamingOnFlink() {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setStreaming(true);
    options.setParallelism(2);
    return Pipeline.create(options);
  }
}
