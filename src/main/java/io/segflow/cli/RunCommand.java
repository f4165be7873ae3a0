package io.segflow.cli;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.EnvironmentResolver;
import io.segflow.dsl.env.OutputBinding;
import io.segflow.dsl.env.Runner;
import io.segflow.dsl.env.SourceBinding;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.pipeline.BigQueryRun;
import io.segflow.pipeline.DuckDbWarehouse;
import io.segflow.pipeline.RunContext;
import io.segflow.pipeline.RunOptions;
import io.segflow.pipeline.RunReport;
import io.segflow.pipeline.SegflowPipeline;
import io.segflow.pipeline.SegmentTable;
import io.segflow.pipeline.StageTimes;
import io.segflow.transforms.progress.StageProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code segflow run}: validates a definition, runs it as one Beam pipeline, reports what it produced. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Validates a definition (as segflow validate), compiles it with the environment into one Beam pipeline,",
      "runs it, and prints its segments and where the outputs are. Progress goes to stderr."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the run succeeded", "1:the definition is invalid or the run failed", "2:the command line is wrong"})
final class RunCommand implements Callable<Integer> {
  private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DEFINITION", description = "The definition file to run.")
  String definition;

  @Option(names = "--env", paramLabel = "ENV", defaultValue = EnvironmentResolver.DEFAULT_ENVIRONMENT,
      description = "Environment: a name in pipelines/environments/ or a path. Default: ${DEFAULT-VALUE}.")
  String environment;

  @Option(names = "--runner", paramLabel = "RUNNER",
      description = "direct, flink or dataflow. Default: the environment's runner.")
  String runner;

  @Option(names = "--run-id", paramLabel = "ID",
      description = "Identifies the run; a rerun with the same id replaces it. Default: the start time, UTC.")
  String runId;

  @Option(names = "--param", paramLabel = "NAME=VALUE",
      description = "Overrides the default of a parameter of the definition; repeatable. The run records every value.")
  Map<String, String> parameters = new LinkedHashMap<>();

  @Option(names = "--flink-master", paramLabel = "HOST:PORT", defaultValue = "[local]",
      description = "Flink cluster REST address, or [local] for an embedded cluster. Default: ${DEFAULT-VALUE}.")
  String flinkMaster;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long started = System.nanoTime();
    if (runId != null && !runId.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--run-id must be 1 to 64 letters, digits, '.', '_' or '-', got '" + runId + "'");
    }
    Optional<ValidatedDefinition> validated = ValidatedDefinition.of(definition, environment, out);
    if (validated.isEmpty()) {
      err.printf("segflow run: %s is not valid; nothing was run%n", definition);
      return ExitCodes.INVALID_INPUT;
    }
    Environment env = validated.get().environment();
    SegmentDefinition def = validated.get().definition();
    progress(err, started, "validated " + definition + " against environment " + env.name());

    Map<String, String> parameterValues = ParameterOverrides.resolve(spec, def, parameters);
    Runner chosen = runner == null ? env.runner() : parseRunner(runner);
    if (chosen == Runner.DATAFLOW && (env.gcp().isEmpty() || env.dataflow().isEmpty())) {
      err.println("segflow run: --runner dataflow needs gcp: and dataflow: settings in environment " + env.name()
          + " (" + env.displayPath() + ")");
      return ExitCodes.INVALID_INPUT;
    }
    // To the microsecond, as BigQuery keeps it: the runs row and every output row carry the same instant.
    Instant runTime = Instant.now().truncatedTo(ChronoUnit.MICROS);
    String id = runId == null ? RUN_ID.format(runTime) : runId;
    boolean toBigQuery = env.output() instanceof OutputBinding.BigQuery;
    // A BigQuery run keeps its report in <name>_runs and its rejects in <name>_rejects; only file outputs
    // have a run folder.
    Path outputs = env.output() instanceof OutputBinding.Files files ? files.path().resolve(def.name()).resolve(id)
        : Path.of(System.getProperty("java.io.tmpdir"), "segflow-no-files");
    if (!toBigQuery) {
      clear(outputs);
      Files.createDirectories(outputs);
    }

    Optional<String> noCredentials = env.usesBigQuery() || chosen == Runner.DATAFLOW
        ? BigQueryRun.missingCredentials() : Optional.empty();
    if (noCredentials.isPresent()) {
      err.println("segflow run: environment " + env.name() + " uses Google Cloud, but there are "
          + noCredentials.get() + "; nothing was run");
      return ExitCodes.INVALID_INPUT;
    }
    PipelineOptions options = BigQueryRun.withGcp(switch (chosen) {
      case FLINK -> RunOptions.flink(flinkMaster);
      case DATAFLOW -> RunOptions.dataflow(env, def.name(), id);
      case DIRECT -> RunOptions.direct();
    }, env);
    try {
      if (env.sources().values().stream().anyMatch(b -> b instanceof SourceBinding.BigQuery)) {
        List<Diagnostic> problems = BigQueryRun.checkSources(def, env, options);
        problems.forEach(d -> out.println(d.render()));
        if (!problems.isEmpty()) {
          err.println("segflow run: the BigQuery sources do not match the definition; nothing was run");
          return ExitCodes.INVALID_INPUT;
        }
        progress(err, started, "checked the BigQuery sources' columns");
      }
    } catch (Exception e) {
      err.println("segflow run: cannot check the BigQuery sources: " + deepest(e));
      return ExitCodes.INVALID_INPUT;
    }
    Pipeline pipeline = Pipeline.create(options);
    RunContext context = new RunContext(id, runTime, outputs, parameters);
    SegflowPipeline.Graph graph = SegflowPipeline.build(pipeline, def, env, context);
    if (toBigQuery) {
      try {
        BigQueryRun.prepare(graph, def, env, id, options);
      } catch (Exception e) {
        err.println("segflow run: cannot create the output tables: " + deepest(e));
        return ExitCodes.INVALID_INPUT;
      }
    }
    progress(err, started, "built the pipeline; running it on the " + chosen.name().toLowerCase(Locale.ROOT) + " runner");
    PipelineResult result;
    PipelineResult.State state;
    try (StageProgress.Registration listening = StageProgress.listen(SegflowPipeline.progressKey(def, context),
        (stage, rows) -> progress(err, started, String.format(Locale.ROOT, "%s done: %,d rows", stage, rows)))) {
      result = pipeline.run();
      state = result.waitUntilFinish();
    } catch (RuntimeException e) {
      // Data or configuration the run met (a file without a declared column, k above the distinct
      // customers, ...): say what, from the deepest cause, without a stack trace.
      err.println("segflow run: the pipeline failed: " + deepest(e));
      return ExitCodes.INVALID_INPUT;
    }
    if (state != PipelineResult.State.DONE) {
      err.println("segflow run: the pipeline ended " + state);
      return ExitCodes.INVALID_INPUT;
    }
    progress(err, started, "pipeline done");

    RunReport counts = RunReport.of(result);
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("definition", def.name());
    header.put("run_id", id);
    header.put("run_time", runTime.toString());
    header.put("environment", env.name());
    header.put("runner", chosen.name().toLowerCase(Locale.ROOT));
    header.put("parameters", parameterValues);
    double seconds = Math.round((System.nanoTime() - started) / 1e7) / 100.0;
    header.put("seconds", seconds);
    header.put("stages", StageTimes.of(result));
    if (!counts.balanced()) {
      err.println("segflow run: the counts do not balance; this is a bug, please report it: " + counts);
      return ExitCodes.INVALID_INPUT;
    }
    List<String> tooSmall = counts.segmentsSmallerThan(def.output().minSegmentSize());
    if (!tooSmall.isEmpty()) {
      if (!toBigQuery) {
        counts.write(outputs.resolve("run.json"), header);
        out.println(SegmentTable.render(outputs.resolve("segments.csv")));
      }
      err.println("segflow run: " + String.join("; ", tooSmall) + ", fewer than output.min_segment_size ("
          + def.output().minSegmentSize() + "); the run was not published"
          + (toBigQuery ? "" : " (its files are in " + outputs + ")"));
      return ExitCodes.INVALID_INPUT;
    }
    if (toBigQuery) {
      try {
        BigQueryRun.publish(graph, def, env, id, runTime, chosen.name().toLowerCase(Locale.ROOT), seconds, counts,
            counts.toJson(header));
      } catch (RuntimeException | InterruptedException e) {
        err.println("segflow run: the run finished but could not be published: " + deepest(e));
        return ExitCodes.INVALID_INPUT;
      }
      progress(err, started, "published into " + BigQueryRun.describe(def, env));
      printCounts(out, counts);
      progress(err, started, "done");
      return ExitCodes.OK;
    }
    OutputBinding.Files files = (OutputBinding.Files) env.output();
    counts.write(outputs.resolve("run.json"), header);
    try {
      DuckDbWarehouse.publish(files.warehouse(), def.name(), outputs);
    } catch (java.sql.SQLException e) {
      err.println("segflow run: the run finished but could not be published into " + files.warehouse() + ": "
          + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
    progress(err, started, "published into " + files.warehouse());

    out.println(SegmentTable.render(outputs.resolve("segments.csv")));
    printCounts(out, counts);
    out.println("outputs: " + outputs + " (members, segments, rejects as .csv and .parquet"
        + (Files.exists(outputs.resolve("model.json")) ? ", model.json" : "") + ", run.json)");
    out.println("warehouse: " + files.warehouse() + " (" + String.join(", ", DuckDbWarehouse.objects(def.name())) + ")");
    progress(err, started, "done");
    return ExitCodes.OK;
  }

  private static void printCounts(PrintWriter out, RunReport counts) {
    counts.sources().forEach((source, c) -> out.printf("source %s: %,d rows read = %,d used + %,d rejected%n", source,
        c.getOrDefault("read", 0L), c.getOrDefault("rows", 0L), c.getOrDefault("rejected", 0L)));
    out.printf("entities: %,d with features = %,d members + %,d rejected%n", counts.entitiesFeatured(), counts.members(),
        counts.entitiesRejected());
  }

  /** The deepest cause's message: what went wrong, without the layers that carried it. */
  private static String deepest(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  private Runner parseRunner(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "direct" -> Runner.DIRECT;
      case "flink" -> Runner.FLINK;
      case "dataflow" -> Runner.DATAFLOW;
      default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--runner must be direct, flink or dataflow, got '" + name + "'");
    };
  }

  private static void progress(PrintWriter err, long started, String what) {
    err.printf("[%5.1fs] %s%n", (System.nanoTime() - started) / 1e9, what);
    err.flush();
  }

  /** A rerun with the same id replaces that run's files. */
  private static void clear(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
