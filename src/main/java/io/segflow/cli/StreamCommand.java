package io.segflow.cli;

import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.OutputBinding;
import io.segflow.dsl.env.Runner;
import io.segflow.pipeline.RunOptions;
import io.segflow.pipeline.SegflowRun;
import io.segflow.pipeline.StreamRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.beam.runners.dataflow.DataflowPipelineJob;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code segflow stream}: a definition's segments kept up to date from its events, and their changes. */
@Command(
    name = "stream",
    header = "Keeps a definition's segments up to date as its events arrive.",
    mixinStandardHelpOptions = true,
    description = "Runs a definition's streaming pipeline: its features kept per customer as the events of one "
        + "source arrive, its rules or the latest published model applied at each update, each change of "
        + "segment written out. The events "
        + "are the rows of the source whose binding names its event_time, replayed in that order (a file), "
        + "or the messages of the source bound to a Pub/Sub subscription, until stopped (set "
        + "PUBSUB_EMULATOR_HOST for the emulator). Progress goes to stderr.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the stream ran to the end of its events, or was stopped (Ctrl-C or SIGTERM)",
        "1:the definition or environment is invalid, does not stream, or the stream failed",
        "2:the command line is wrong"})
final class StreamCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DEFINITION", description = "The definition file to stream.")
  String definition;

  @Mixin EnvironmentOption environment;

  @Mixin ParameterOption parameters;

  @Option(names = "--runner", paramLabel = "RUNNER",
      description = "direct, flink or dataflow (a Pub/Sub stream into BigQuery, submitted as the streaming job "
          + "segflow-<definition>-stream), any case. Default: the environment's runner.")
  Runner runner;

  @Option(names = "--update", description = "With --runner dataflow: replace the running job of the same name "
      + "(segflow-<definition>-stream) and keep its state, as gcloud's --update does; without it a second job "
      + "of that name is refused by Dataflow.")
  boolean update;

  @Option(names = "--flink-master", paramLabel = "HOST:PORT", defaultValue = "[local]",
      description = "With --runner flink: a Flink session cluster's REST address (pipelines/flink/cluster.sh), "
          + "or [local] for an embedded cluster. Default: ${DEFAULT-VALUE}.")
  String flinkMaster;

  @Option(names = "--detach", description = "With --runner flink and a session cluster's --flink-master: submit "
      + "the stream and return; it runs on the cluster until cancelled there (its id is printed).")
  boolean detach;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long started = System.nanoTime();

    Optional<ValidatedDefinition> validated = ValidatedDefinition.of(spec, definition, environment.name, parameters,
        out);
    if (validated.isEmpty()) {
      err.printf("segflow stream: %s is not valid; nothing was run%n", definition);
      return ExitCodes.INVALID_INPUT;
    }
    Environment env = validated.get().environment();
    Runner chosen = runner == null ? env.runner() : runner;
    if (detach && (chosen != Runner.FLINK || flinkMaster.equals("[local]"))) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--detach needs --runner flink and a "
          + "session cluster's --flink-master HOST:PORT: an embedded cluster ends with this process, and a Dataflow "
          + "stream is always handed over");
    }
    if (chosen == Runner.DATAFLOW && !env.hasDataflowSettings()) {
      err.printf("segflow stream: --runner dataflow needs gcp: and dataflow: settings in environment %s (%s); "
          + "nothing was run%n", env.name(), env.displayPath());
      return ExitCodes.INVALID_INPUT;
    }
    String name = validated.get().compiled().definition().name();
    String streamId = "stream-" + SegflowRun.runId(Instant.now());
    Path folder = env.output() instanceof OutputBinding.Files files
        ? files.path().resolve(name).resolve(streamId) : Path.of("");
    String runnerName = chosen.name().toLowerCase(java.util.Locale.ROOT);
    PipelineOptions options = StreamRun.options(env, name, chosen, flinkMaster, update);
    if (chosen != Runner.DATAFLOW) {
      // What a session cluster's jobs page and Flink's logs call it; a Dataflow stream keeps one name.
      options.setJobName(RunOptions.jobName(name, streamId));
    }
    StreamRun.Outcome outcome;
    try {
      StreamRun stream = StreamRun.of(validated.get().compiled(), env);
      if (stream.isLive()) {
        PipelineResult running = stream.start(options, folder);
        if (running instanceof DataflowPipelineJob job) {
          // The job runs in the cloud: segflow hands it over rather than watching it.
          out.printf("submitted the stream of %s as Dataflow job %s (%s); it runs until drained: gcloud dataflow "
              + "jobs drain %s --region %s%n", name, job.getJobId(), options.getJobName(), job.getJobId(),
              env.dataflow().orElseThrow().region());
          out.println("outputs: " + stream.outputs(folder));
          return ExitCodes.OK;
        }
        if (detach) {
          return handedOver(name, options.getJobName(), stream.outputs(folder), out, err);
        }
        ProgressLine.print(err, started, "validated " + definition + " against environment " + env.name()
            + "; streaming its events from Pub/Sub on the " + runnerName + " runner until stopped (Ctrl-C)");
        return live(stream, running, folder, started, out, err);
      }
      if (chosen == Runner.DATAFLOW || detach) {
        err.println("segflow stream: a replay of events from a file runs here, on the direct or flink runner, "
            + "and ends with its summary" + (detach ? " (--detach is for a Pub/Sub stream)" : "") + "; nothing was run");
        return ExitCodes.INVALID_INPUT;
      }
      ProgressLine.print(err, started, "validated " + definition + " against environment " + env.name()
          + "; replaying its events on the " + runnerName + " runner");
      outcome = stream.replay(options, folder);
    } catch (StreamRun.Refused e) {
      e.diagnostics().forEach(d -> out.println(d.render()));
      err.println("segflow stream: " + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    } catch (IOException e) {
      err.println("segflow stream: cannot write " + folder + ": " + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
    out.printf("changes: %,d, of %,d customers; rejects: %,d%n", outcome.changes(), outcome.customers(),
        outcome.rejects());
    out.println("customers by segment after the last event:");
    int width = outcome.segments().keySet().stream().mapToInt(String::length).max().orElse(0);
    outcome.segments().forEach((segment, customers) -> out.printf("  %-" + Math.max(20, width) + "s %,9d%n", segment,
        customers));
    out.println("outputs: " + outcome.folder() + " (changes.csv, rejects.csv)");
    out.println("warehouse: " + outcome.warehouse());
    ProgressLine.print(err, started, "done");
    return ExitCodes.OK;
  }

  /**
   * A stream submitted to a session cluster and left there: its job id (from the cluster's REST API, since
   * Beam's detached result does not say) and how to stop it. Its changes files are written as it runs; they
   * are appended to a DuckDB warehouse only by a stream segflow stops.
   */
  private int handedOver(String name, String jobName, String outputs, PrintWriter out, PrintWriter err) {
    Optional<String> id;
    try {
      id = io.segflow.pipeline.FlinkSessionJobs.runningJob(flinkMaster, jobName);
    } catch (IOException e) {
      err.println("segflow stream: the stream was submitted as job " + jobName + ", but the cluster's jobs could not "
          + "be listed: " + e.getMessage());
      id = Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      id = Optional.empty();
    }
    out.printf("submitted the stream of %s to the Flink session cluster at %s as job %s%s; it runs until cancelled "
        + "there: %s%n", name, flinkMaster, jobName, id.map(j -> " (" + j + ")").orElse(""),
        id.map(j -> "curl -X PATCH 'http://" + flinkMaster + "/jobs/" + j + "?mode=cancel'")
            .orElse("the cluster's web UI at http://" + flinkMaster));
    out.println("outputs: " + outputs);
    return ExitCodes.OK;
  }

  /** A stream with no end: progress every half minute until it is stopped (Ctrl-C, SIGTERM) or fails. */
  private static int live(StreamRun run, PipelineResult stream, Path folder, long started, PrintWriter out,
      PrintWriter err) {
    Instant began = Instant.now();
    out.println("outputs: " + run.outputs(folder));
    out.flush();
    StopSignals stop = StopSignals.handle(() -> cancel(stream));
    try (stop) {
      PipelineResult.State state;
      if (stream instanceof org.apache.beam.runners.flink.FlinkDetachedRunnerResult) {
        // Reports no counts while it runs, and warns at each timed wait: waited for without a timeout.
        state = stream.waitUntilFinish();
      } else {
        do {
          state = stream.waitUntilFinish(Duration.standardSeconds(PROGRESS_SECONDS));
          ProgressLine.print(err, started, run.progress(stream));
          appendSoFar(run, folder, began, err);
        } while (state == null || !state.isTerminal());
      }
      ProgressLine.print(err, started, "the stream ended: " + state);
      return state == PipelineResult.State.DONE || state == PipelineResult.State.CANCELLED
          ? kept(run, folder, began, out, err) : ExitCodes.INVALID_INPUT;
    } catch (RuntimeException e) {
      if (stop.stopRequested()) {
        // Embedded Flink shuts its cluster down with the cancelled job, before a wait can see it cancelled.
        ProgressLine.print(err, started, "the stream ended: " + PipelineResult.State.CANCELLED);
        return kept(run, folder, began, out, err);
      }
      err.println("segflow stream: the stream failed: " + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
  }

  /**
   * The changes a stream into files has written so far, appended to the warehouse while it runs, so its
   * {@code <name>_stream_segments} view follows the stream rather than waiting for its end. Each append
   * replaces the stream's earlier rows; one that fails is tried again at the next report, and the panes stay.
   */
  private static void appendSoFar(StreamRun run, Path folder, Instant began, PrintWriter err) {
    try {
      run.keepChanges(folder, began);
    } catch (IOException e) {
      err.println("segflow stream: " + e.getMessage() + "; tried again in " + PROGRESS_SECONDS + " s (the changes are "
          + "in " + folder + ")");
    }
  }

  /** A stream into files that ended: the changes its panes hold, appended to the warehouse. */
  private static int kept(StreamRun run, Path folder, Instant began, PrintWriter out, PrintWriter err) {
    try {
      run.keepChanges(folder, began).ifPresent(warehouse -> out.println("warehouse: " + warehouse));
      return ExitCodes.OK;
    } catch (IOException e) {
      err.println("segflow stream: the stream ended, but " + e.getMessage() + "; its files are in " + folder);
      return ExitCodes.INVALID_INPUT;
    }
  }

  private static void cancel(PipelineResult stream) {
    try {
      stream.cancel();
    } catch (IOException | UnsupportedOperationException e) {
      System.err.println("segflow stream: could not cancel the stream: " + e.getMessage());
    }
  }

  private static final int PROGRESS_SECONDS = 30;
}
