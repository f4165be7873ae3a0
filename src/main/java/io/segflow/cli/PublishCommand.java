package io.segflow.cli;

import io.segflow.pipeline.LaunchedRun;
import io.segflow.pipeline.SegflowRun;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code segflow publish}: checks and publishes a run that was launched on Dataflow without waiting (the Flex
 * Template, a scheduler, an orchestrator such as Airflow), as {@code segflow run} publishes its own.
 */
@Command(
    name = "publish",
    header = "Publishes a run launched on Dataflow by a launcher that does not wait.",
    mixinStandardHelpOptions = true,
    description = {
      "Publishes a run that a launcher which does not wait (the Flex Template, an",
      "orchestrator) started on Dataflow: waits for its job, then checks the",
      "accounting, segment sizes and drift and publishes it into the environment's",
      "BigQuery dataset, as segflow run does. The run's launch, kept under the",
      "environment's gcp.temp_location, says which job ran it and how."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the run is published", "1:the definition is invalid, or the run failed, was refused, is "
        + "already published or has no launch", "2:the command line is wrong"})
final class PublishCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DEFINITION", description = "The definition the run was launched from.")
  String definition;

  @Mixin EnvironmentOption environment;

  @Option(names = "--run-id", paramLabel = "ID", required = true,
      description = "The launched run, as the launch printed it (e.g. 20261207T050000Z).")
  String runId;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long started = System.nanoTime();
    RunIdOption.check(spec, runId);
    // Validated with the defaults; the run is rebuilt with the parameters its launch recorded.
    Optional<ValidatedDefinition> validated = ValidatedDefinition.of(spec, definition, environment.name,
        new ParameterOption(), out);
    if (validated.isEmpty()) {
      err.printf("segflow publish: %s is not valid; nothing was published%n", definition);
      return ExitCodes.INVALID_INPUT;
    }
    SegflowRun.Outcome outcome;
    try {
      outcome = LaunchedRun.publish(validated.get().compiled(), validated.get().environment(), runId,
          what -> ProgressLine.print(err, started, what));
    } catch (SegflowRun.Failure e) {
      e.diagnostics().forEach(d -> out.println(d.render()));
      err.println("segflow publish: " + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
    RunCommand.printCounts(out, outcome.report());
    out.println("published run " + outcome.runId() + " into " + outcome.publishedInto());
    out.println(outcome.refresh().describe());
    ProgressLine.print(err, started, "done");
    return ExitCodes.OK;
  }
}
