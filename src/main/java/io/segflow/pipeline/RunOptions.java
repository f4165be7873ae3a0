package io.segflow.pipeline;

import io.segflow.dsl.env.Environment;
import io.segflow.transforms.batching.ShardingOptions;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
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
    o.as(ShardingOptions.class).setShards(2 * o.getTargetParallelism());
    return o;
  }

  /** A Dataflow job with the environment's settings (validation made sure they are there). */
  public static PipelineOptions dataflow(Environment env) {
    DataflowPipelineOptions o = PipelineOptionsFactory.as(DataflowPipelineOptions.class);
    o.setRunner(DataflowRunner.class);
    Environment.Gcp gcp = env.gcp().orElseThrow();
    Environment.Dataflow df = env.dataflow().orElseThrow();
    o.setProject(gcp.project());
    o.setTempLocation(gcp.tempLocation());
    o.setGcpTempLocation(gcp.tempLocation());
    o.setRegion(df.region());
    o.setStagingLocation(df.stagingLocation().orElse(gcp.tempLocation() + "/staging"));
    df.serviceAccount().ifPresent(o::setServiceAccount);
    df.maxWorkers().ifPresent(o::setMaxNumWorkers);
    df.machineType().ifPresent(o::setWorkerMachineType);
    df.subnetwork().ifPresent(s -> {
      o.setSubnetwork(s);
      o.setUsePublicIps(false);
    });
    return o;
  }

  /** {@code master} is {@code [local]} for an embedded cluster, or a session cluster's REST host:port. */
  public static PipelineOptions flink(String master) {
    FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setFlinkMaster(master);
    o.setParallelism(Math.max(2, Runtime.getRuntime().availableProcessors()));
    o.as(ShardingOptions.class).setShards(2 * o.getParallelism());
    // segflow's DoFns never mutate their inputs (the DirectRunner's checks prove it in the tests).
    o.setFasterCopy(true);
    return o;
  }
}
