package io.segflow.pipeline;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Pipeline options for segflow's own runs on each runner. */
public final class RunOptions {
  private RunOptions() {}

  public static PipelineOptions direct() {
    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setRunner(DirectRunner.class);
    // The per-element immutability and encodability checks make large runs many times slower; the tests
    // keep them on, which is where they find bugs.
    o.setEnforceImmutability(false);
    o.setEnforceEncodability(false);
    o.setTargetParallelism(Math.max(2, Runtime.getRuntime().availableProcessors()));
    return o;
  }

  /** {@code master} is {@code [local]} for an embedded cluster, or a session cluster's REST host:port. */
  public static PipelineOptions flink(String master) {
    FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setFlinkMaster(master);
    o.setParallelism(Math.max(2, Runtime.getRuntime().availableProcessors()));
    // segflow's DoFns never mutate their inputs (the DirectRunner's checks prove it in the tests).
    o.setFasterCopy(true);
    return o;
  }
}
