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
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setStreaming(true);
    options.setParallelism(2);
    Pipeline p = Pipeline.create(options);

    PCollection<KV<String, Row>> out = p.apply(EntityAggregatesTest.purchases()).apply(EntityAggregatesTest.KEEP);

    PAssert.that(out).containsInAnyOrder(
        KV.of("c1", EntityAggregatesTest.kept(1, 1, 10.0, 10.0, 0, 10.0, 1)),
        KV.of("c1", EntityAggregatesTest.kept(2, 2, 40.0, 10.0, 5, 20.0, 1)),
        KV.of("c2", Row.withSchema(EntityAggregatesTest.KEEP.outputSchema()).addValues(1L, 0L, 0.0, null,
            EntityAggregatesTest.T0.plus(org.joda.time.Duration.standardMinutes(7)), null, 1L).build()),
        KV.of("c1", EntityAggregatesTest.kept(3, 3, 60.0, 10.0, 40, 20.0, 2)),
        KV.of("c1", EntityAggregatesTest.kept(4, 4, 70.0, 10.0, 40, 17.5, 2)));
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }
}
