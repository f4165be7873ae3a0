package io.segflow.pipeline;

import io.segflow.dsl.env.Environment;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
    return dataflow(env, definition, runId, PipelineOptionsFactory.as(DataflowPipelineOptions.class), Set.of());
  }

  /**
   * As {@link #dataflow(Environment, String, String)}, onto options a launcher was given (a Flex Template's
   * launch): the options named in {@code explicit} (as on the command line: {@code jobName}, {@code region},
   * ...) keep the launch's values, the environment fills in the rest, and the launch's labels are kept
   * beside segflow's.
   */
  public static PipelineOptions dataflow(Environment env, String definition, String runId,
      DataflowPipelineOptions o, Set<String> explicit) {
    o.setRunner(DataflowRunner.class);
    Environment.Gcp gcp = env.gcp().orElseThrow();
    Environment.Dataflow df = env.dataflow().orElseThrow();
    Settings set = new Settings(explicit);
    set.apply("jobName", jobName(definition, runId), o::setJobName);
    Map<String, String> labels = new TreeMap<>(o.getLabels() == null ? Map.of() : o.getLabels());
    labels.putAll(BigQueryTables.labels(definition, runId));
    o.setLabels(labels);
    set.apply("project", gcp.project(), o::setProject);
    set.apply("tempLocation", gcp.tempLocation(), o::setTempLocation);
    set.apply("gcpTempLocation", explicit.contains("tempLocation") ? o.getTempLocation() : gcp.tempLocation(),
        o::setGcpTempLocation);
    set.apply("region", df.region(), o::setRegion);
    set.apply("stagingLocation", df.stagingLocation().orElse(o.getGcpTempLocation() + "/staging"),
        o::setStagingLocation);
    df.serviceAccount().ifPresent(a -> set.apply("serviceAccount", a, o::setServiceAccount));
    df.maxWorkers().ifPresent(n -> set.apply("maxNumWorkers", n, o::setMaxNumWorkers));
    df.machineType().ifPresent(m -> set.apply("workerMachineType", m, o::setWorkerMachineType));
    df.subnetwork().ifPresent(s -> {
      set.apply("subnetwork", s, o::setSubnetwork);
      set.apply("usePublicIps", false, o::setUsePublicIps);
    });
    return o;
  }

  /**
   * A stream's Dataflow job: as {@link #dataflow}, streaming, under the run id {@value #STREAM}, so its job
   * name ({@code segflow-<definition>-stream}) stays the same from one launch to the next, which is what
   * Dataflow's {@code --update} finds the running job to replace by.
   */
  public static PipelineOptions dataflowStream(Environment env, String definition, DataflowPipelineOptions o,
      Set<String> explicit) {
    DataflowPipelineOptions stream = dataflow(env, definition, STREAM, o, explicit).as(DataflowPipelineOptions.class);
    stream.setStreaming(true);
    return stream;
  }

  /** The run id of a stream's Dataflow job: one job per definition and environment, updated in place. */
  public static final String STREAM = "stream";

  /** Sets an option unless the launch named it. */
  private record Settings(Set<String> explicit) {
    <T> void apply(String option, T value, java.util.function.Consumer<T> setter) {
      if (!explicit.contains(option)) {
        setter.accept(value);
      }
    }
  }

  /** Dataflow's job name alphabet: a lower-case letter first, then letters, digits and '-'. */
  public static String jobName(String definition, String runId) {
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
