package io.segflow.pipeline;

import io.segflow.compile.CompiledDefinition;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.Runner;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code segflow publish}: finishes a run that a launcher which does not wait (a Flex Template, a scheduler,
 * an orchestrator) started on Dataflow. Its launch, kept by {@link SegflowRun#launch}, says which job ran it
 * and how it was compiled; the run is rebuilt from that, the job waited for, and then checked and published
 * exactly as {@code segflow run} checks and publishes its own runs.
 */
public final class LaunchedRun {
  private LaunchedRun() {}

  /** Publishes run {@code runId} of the definition, waiting for its Dataflow job when it still runs. */
  public static SegflowRun.Outcome publish(CompiledDefinition validated, Environment env, String runId,
      Consumer<String> progress) throws SegflowRun.Failure {
    if (!env.hasDataflowSettings()) {
      throw new SegflowRun.Failure("segflow publish finishes runs launched on Dataflow, and environment " + env.name()
          + " (" + env.displayPath() + ") has no gcp: and dataflow: settings; segflow run publishes its own runs");
    }
    Optional<String> noCredentials = BigQueryRun.missingCredentials();
    if (noCredentials.isPresent()) {
      throw new SegflowRun.Failure("environment " + env.name() + " uses Google Cloud, but there are "
          + noCredentials.get() + "; nothing was published");
    }
    GcpOptions options = PipelineOptionsFactory.as(GcpOptions.class);
    options.setProject(env.gcp().orElseThrow().project());
    FileSystems.setDefaultPipelineOptions(options);
    return publish(validated, env, runId, RunLaunch.location(env, validated.definition().name(), runId), Runner.DATAFLOW,
        jobId -> AttachedDataflowJob.of(env, jobId), progress);
  }

  /**
   * As {@link #publish(CompiledDefinition, Environment, String, Consumer)}, with the launch read from
   * {@code location}, the job of a launch given by {@code jobs} and the run rebuilt for {@code runner} (a test
   * gives the result of a run it launched itself on the DirectRunner).
   */
  static SegflowRun.Outcome publish(CompiledDefinition validated, Environment env, String runId, String location,
      Runner runner, Function<String, PipelineResult> jobs, Consumer<String> progress) throws SegflowRun.Failure {
    String name = validated.definition().name();
    RunLaunch launch;
    try {
      launch = RunLaunch.read(location).orElseThrow(() -> new SegflowRun.Failure("no launch of run " + runId + " of "
          + name + " at " + location + ": segflow run --runner dataflow and the Flex Template keep one there for "
          + "each run they start on Dataflow; check --run-id and --env; nothing was published"));
    } catch (IOException | IllegalArgumentException e) {
      throw new SegflowRun.Failure("cannot read the launch of run " + runId + " at " + location + ": " + e.getMessage());
    }
    if (!launch.definition().equals(name) || !launch.runId().equals(runId)) {
      throw new SegflowRun.Failure(location + " is the launch of run " + launch.runId() + " of " + launch.definition()
          + ", not of run " + runId + " of " + name + "; nothing was published");
    }
    CompiledDefinition compiled;
    try {
      compiled = CompiledDefinition.of(validated.definition(), launch.parameters());
    } catch (IllegalArgumentException e) {
      throw new SegflowRun.Failure("run " + runId + " was launched with parameters " + launch.parameters()
          + ", which " + name + " no longer takes (" + e.getMessage() + "); nothing was published");
    }
    SegflowRun run = SegflowRun.attach(new SegflowRun.Request(compiled, env, runner, Optional.of(runId), "[local]"),
        launch, progress);
    PipelineResult job = jobs.apply(launch.jobId());
    progress.accept("waiting for job " + launch.jobId() + " (now " + job.getState() + ")");
    return run.finish(job);
  }
}
