package io.segflow.cli;

import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.Runner;
import io.segflow.pipeline.RunReport;
import io.segflow.pipeline.SegflowRun;
import io.segflow.pipeline.SegmentTable;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code segflow run}: validates a definition, runs it as one Beam pipeline, reports what it produced. */
@Command(
    name = "run",
    header = "Runs a definition as one Beam pipeline and publishes its segments.",
    mixinStandardHelpOptions = true,
    description = "Validates a definition (as segflow validate), compiles it with the environment into one Beam "
        + "pipeline, runs it, and prints its segments and where the outputs are. Progress goes to stderr.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the run succeeded", "1:the definition is invalid or the run failed", "2:the command line is wrong"})
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DEFINITION", description = "The definition file to run.")
  String definition;

  @Mixin EnvironmentOption environment;

  @Option(names = "--runner", paramLabel = "RUNNER",
      description = "${COMPLETION-CANDIDATES} (any case). Default: the environment's runner.")
  Runner runner;

  @Option(names = "--run-id", paramLabel = "ID",
      description = "Identifies the run; a rerun with the same id replaces it. Default: the start time, UTC.")
  String runId;

  @Mixin ParameterOption parameters;

  @Option(names = "--previous", paramLabel = "RUN_ID",
      description = "The published run whose segment ids this run keeps. Default: the latest published run.")
  String previous;

  @Option(names = "--flink-master", paramLabel = "HOST:PORT", defaultValue = "[local]",
      description = "Flink cluster REST address, or [local] for an embedded cluster. Default: ${DEFAULT-VALUE}.")
  String flinkMaster;

  @Option(names = "--report", description = "Also write the run's report.html into its folder (segflow report).")
  boolean report;

  @Override
  public Integer call() {
    JitChoice started;
    try {
      started = JitChoice.start();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try (JitChoice jit = started) {
      return run(jit);
    }
  }

  private Integer run(JitChoice jit) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long started = System.nanoTime();
    RunIdOption.check(spec, runId);
    Optional<ValidatedDefinition> validated = ValidatedDefinition.of(spec, definition, environment.name, parameters,
        out);
    if (validated.isEmpty()) {
      err.printf("segflow run: %s is not valid; nothing was run%n", definition);
      return ExitCodes.INVALID_INPUT;
    }
    Environment env = validated.get().environment();
    ProgressLine.print(err, started, "validated " + definition + " against environment " + env.name() + "; "
        + jit.choose(env, validated.get().compiled().definition().sources().keySet()));
    Runner chosen = runner == null ? env.runner() : runner;
    if (report && !(env.output() instanceof io.segflow.dsl.env.OutputBinding.Files)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--report needs an environment whose "
          + "output is files; " + env.name() + " publishes into BigQuery (a report of a BigQuery run is still to come)");
    }

    SegflowRun.Outcome outcome;
    try {
      SegflowRun run = SegflowRun.prepare(new SegflowRun.Request(validated.get().compiled(), env, chosen,
          Optional.ofNullable(runId), flinkMaster, Optional.ofNullable(previous)), what -> ProgressLine.print(err, started, what));
      outcome = run.finish(run.launch());
    } catch (SegflowRun.Failure e) {
      e.diagnostics().forEach(d -> out.println(d.render()));
      if (e.keptFiles().isPresent()) {
        out.println(SegmentTable.render(e.keptFiles().get().resolve("segments.csv")));
      }
      err.println("segflow run: " + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }

    if (outcome.files().isPresent()) {
      Path files = outcome.files().get();
      out.println(SegmentTable.render(files.resolve("segments.csv")));
      printCounts(out, outcome.report());
      out.println("outputs: " + files + " (members, segments, rejects"
          + (Files.exists(files.resolve("transitions.csv")) ? ", transitions" : "") + " as .csv and .parquet"
          + (Files.exists(files.resolve("model.json")) ? ", model.json" : "")
          + (Files.exists(files.resolve("sample.csv")) ? ", sample.csv" : "") + ", run.json)");
      out.println("warehouse: " + outcome.publishedInto());
      if (report && ReportCommand.write(files, files.resolve(io.segflow.report.Report.FILE), out, err) != ExitCodes.OK) {
        // The run is published; only its report failed, which the message says.
        return ExitCodes.INVALID_INPUT;
      }
    } else {
      printCounts(out, outcome.report());
    }
    out.println(outcome.refresh().describe());
    ProgressLine.print(err, started, "done");
    return ExitCodes.OK;
  }

  static void printCounts(PrintWriter out, RunReport counts) {
    counts.sources().forEach((source, c) -> out.printf("source %s: %,d rows read = %,d used + %,d rejected%s%n", source,
        c.getOrDefault("read", 0L), c.getOrDefault("rows", 0L), c.getOrDefault("rejected", 0L),
        c.containsKey("blank") ? String.format(" + %,d blank lines", c.get("blank")) : ""));
    out.printf("entities: %,d with features = %,d members%s + %,d rejected%s%n", counts.entitiesFeatured(),
        counts.members(), counts.holdoutMembers() > 0 ? String.format(" (%,d in the holdout)", counts.holdoutMembers())
            : "", counts.entitiesRejected(), counts.withoutConsent() > 0
            ? String.format(" + %,d without consent (left out)", counts.withoutConsent()) : "");
  }
}
