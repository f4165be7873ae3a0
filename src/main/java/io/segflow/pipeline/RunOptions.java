package io.segflow.pipeline;

import io.segflow.dsl.env.Environment;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
    return o;
  }

  /**
   * A Dataflow job with the environment's settings (validation made sure they are there), named after the
   * definition and the run, and labelled as the output tables are: the console and billing exports find a
   * run's job, and Dataflow refuses to start a second running job for the same run.
   */
  public static PipelineOptions dataflow(Environment env, String definition, String runId) {
    DataflowPipelineOptions o = PipelineOptionsFactory.as(DataflowPipelineOptions.class);
    o.setRunner(DataflowRunner.class);
    o.setJobName(jobName(definition, runId));
    o.setLabels(BigQueryTables.labels(definition, runId));
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

  /** Dataflow's job name alphabet: a lower-case letter first, then letters, digits and '-'. */
  static String jobName(String definition, String runId) {
    String name = ("segflow-" + definition + "-" + runId).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
    return name.substring(0, Math.min(name.length(), 1024)).replaceAll("-+$", "");
  }

  /** {@code master} is {@code [local]} for an embedded cluster, or a session cluster's REST host:port. */
  public static PipelineOptions flink(String master) {
    FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setFlinkMaster(master);
    o.setParallelism(Math.max(2, Runtime.getRuntime().availableProcessors()));
    // segflow's DoFns never mutate their inputs (the DirectRunner's checks prove it in the tests).
    o.setFasterCopy(true);
    if (!master.equals("[local]")) {
      // A session cluster (pipelines/flink/cluster.sh) has Beam and Flink on its classpath; it needs
      // segflow's own classes only, not the 300 jars of this process's classpath Beam would upload.
      o.setFilesToStage(List.of(segflowJar()));
    }
    return o;
  }

  /** The jar (or classes folder, in tests) segflow's classes are loaded from. */
  static String segflowJar() {
    try {
      return Path.of(RunOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate segflow's classes", e);
    }
  }
}
