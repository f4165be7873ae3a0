package io.segflow.pipeline;

import io.segflow.compile.CompiledDefinition;
import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.Runner;
import io.segflow.dsl.env.SourceBinding;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.transforms.progress.StageProgress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * One run of a validated definition in an environment, as a library call: {@link #prepare} checks what can
 * be checked before anything runs and builds the pipeline; {@link #launch} starts it and returns without
 * waiting (as a Flex Template launcher must); {@link #finish} waits for it, checks the accounting and the
 * segment sizes, and publishes. The command line, a template launcher and tests drive the same object.
 *
 * <pre>{@code
 * SegflowRun run = SegflowRun.prepare(new SegflowRun.Request(compiled, env, Runner.DIRECT, Optional.empty(),
 *     "[local]"), System.err::println);
 * SegflowRun.Outcome outcome = run.finish(run.launch());
 * }</pre>
 */
public final class SegflowRun {
  private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);
  private static final java.nio.file.Path NO_FILES =
      java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "segflow-no-files");

  /**
   * What to run.
   *
   * @param compiled the definition as validation compiled it, with the run's parameter values
   * @param runId empty for one made from the start time, UTC
   * @param flinkMaster a Flink REST address, or {@code [local]} for an embedded cluster (Flink only)
   * @param previousRunId the published run whose segment ids this one keeps; empty for the latest
   */
  public record Request(CompiledDefinition compiled, Environment environment, Runner runner, Optional<String> runId,
      String flinkMaster, Optional<String> previousRunId) {
    /** A run that follows the latest published run. */
    public Request(CompiledDefinition compiled, Environment environment, Runner runner, Optional<String> runId,
        String flinkMaster) {
      this(compiled, environment, runner, runId, flinkMaster, Optional.empty());
    }

    public SegmentDefinition definition() {
      return compiled.definition();
    }
  }

  /**
   * Why a run did not start, failed, or was not published; nothing was published. {@code diagnostics} are
   * located problems found before the run; {@code keptFiles} the folder of an unpublished run's files.
   */
  public static final class Failure extends Exception {
    private final transient List<Diagnostic> diagnostics;
    private final transient Optional<java.nio.file.Path> keptFiles;

    Failure(String message) {
      this(message, List.of(), Optional.empty());
    }

    Failure(String message, List<Diagnostic> diagnostics, Optional<java.nio.file.Path> keptFiles) {
      super(message);
      this.diagnostics = List.copyOf(diagnostics);
      this.keptFiles = keptFiles;
    }

    public List<Diagnostic> diagnostics() {
      return diagnostics;
    }

    public Optional<java.nio.file.Path> keptFiles() {
      return keptFiles;
    }
  }

  /**
   * A published run: its counts, where it was published, and its files' folder when it wrote files.
   */
  public record Outcome(String runId, RunReport report, String publishedInto, Optional<java.nio.file.Path> files,
      Refresh refresh) {}

  private final Request request;
  private final Consumer<String> progress;
  private final long started;
  private final String runId;
  private final Instant runTime;
  private final RunDestination destination;
  private final Optional<PublishedRun> previous;
  private final Pipeline pipeline;
  private final SegflowPipeline.Graph graph;
  private final RunContext context;
  private final Map<String, Object> provenance;
  private StageProgress.Registration listening;

  private SegflowRun(Request request, Consumer<String> progress, long started, String runId, Instant runTime,
      RunDestination destination, Optional<PublishedRun> previous, Pipeline pipeline, SegflowPipeline.Graph graph,
      RunContext context, Map<String, Object> provenance) {
    this.request = request;
    this.progress = progress;
    this.started = started;
    this.runId = runId;
    this.runTime = runTime;
    this.destination = destination;
    this.previous = previous;
    this.pipeline = pipeline;
    this.graph = graph;
    this.context = context;
    this.provenance = provenance;
  }

  /**
   * Checks the credentials and the BigQuery sources, builds the pipeline and prepares the destination.
   *
   * @param progress told each step as it is done, and each stage of the pipeline with its rows
   */
  public static SegflowRun prepare(Request request, Consumer<String> progress) throws Failure {
    return prepare(request, Optional.empty(), progress);
  }

  /**
   * As {@link #prepare(Request, Consumer)}, with the sources' rows given by {@code sources} instead of the
   * environment's bindings (tests of a definition: {@code DefinitionTest}); the output must be files.
   */
  public static SegflowRun prepare(Request request, SegflowPipeline.Sources sources, Consumer<String> progress)
      throws Failure {
    return prepare(request, Optional.of(sources), progress);
  }

  /**
   * The options a launcher was given (a Dataflow Flex Template's launch) and which of them it named; the run
   * keeps those and takes the rest from the environment ({@link RunOptions#dataflow}).
   */
  public record Launched(org.apache.beam.runners.dataflow.options.DataflowPipelineOptions options,
      java.util.Set<String> explicit) {}

  /** As {@link #prepare(Request, Consumer)} on the DataflowRunner, with the options a launcher was given. */
  public static SegflowRun prepare(Request request, Launched launched, Consumer<String> progress) throws Failure {
    if (request.runner() != Runner.DATAFLOW) {
      throw new IllegalArgumentException("launch options are Dataflow's, the run is on " + request.runner());
    }
    return prepare(request, Optional.empty(), Optional.of(launched), progress);
  }

  private static SegflowRun prepare(Request request, Optional<SegflowPipeline.Sources> sources,
      Consumer<String> progress) throws Failure {
    return prepare(request, sources, Optional.empty(), progress);
  }

  private static SegflowRun prepare(Request request, Optional<SegflowPipeline.Sources> sources,
      Optional<Launched> launched, Consumer<String> progress) throws Failure {
    return prepare(request, sources, launched, Optional.empty(), progress);
  }

  /**
   * The run another process launched ({@code launch}, kept by {@link #launch} for a Dataflow job), rebuilt to
   * be finished here: the same run id, run time, previous run and parameters, and nothing prepared again
   * (its staged outputs stay). {@code request} must hold the definition compiled with the launch's
   * parameters; a definition whose text changed since the launch is refused.
   */
  public static SegflowRun attach(Request request, RunLaunch launch, Consumer<String> progress) throws Failure {
    if (!request.definition().name().equals(launch.definition())) {
      throw new IllegalArgumentException("launch of " + launch.definition() + " for definition "
          + request.definition().name());
    }
    return prepare(request, Optional.empty(), Optional.empty(), Optional.of(launch), progress);
  }

  private static SegflowRun prepare(Request request, Optional<SegflowPipeline.Sources> sources,
      Optional<Launched> launched, Optional<RunLaunch> attached, Consumer<String> progress) throws Failure {
    long started = System.nanoTime();
    SegmentDefinition def = request.definition();
    Environment env = request.environment();
    // Taken before anything runs: the definition's file may change while the run does.
    Map<String, Object> provenance = RunProvenance.of(def);
    if (attached.isPresent() && !definitionDigest(provenance).equals(attached.get().definitionDigest())) {
      throw new Failure(def.file() + " has changed since run " + attached.get().runId() + " was launched, "
          + "so its outputs cannot be checked against it; publish from the commit it was launched from "
          + "(its launch kept the definition's SHA-256, " + attached.get().definitionDigest() + "); nothing was "
          + "published");
    }
    Optional<String> streamed = StreamRun.pubsubSource(def, env);
    if (streamed.isPresent() && sources.isEmpty()) {
      throw new Failure("source " + streamed.get() + " is bound to a Pub/Sub subscription in environment " + env.name()
          + " (" + env.displayPath() + "), which has no end: segflow run reads whole sources. Stream it with "
          + "segflow stream, or bind it to files or BigQuery in the environment of batch runs; nothing was run");
    }
    if (request.runner() == Runner.DATAFLOW && !env.hasDataflowSettings()) {
      throw new Failure("--runner dataflow needs gcp: and dataflow: settings in environment " + env.name()
          + " (" + env.displayPath() + ")");
    }
    // To the microsecond, as BigQuery keeps it: the runs row and every output row carry the same instant.
    Instant runTime = attached.map(RunLaunch::runTime).orElseGet(() -> Instant.now().truncatedTo(ChronoUnit.MICROS));
    String runId = attached.map(RunLaunch::runId).or(request::runId).orElseGet(() -> runId(runTime));
    Optional<String> noCredentials = env.usesBigQuery() || request.runner() == Runner.DATAFLOW
        ? BigQueryRun.missingCredentials() : Optional.empty();
    if (noCredentials.isPresent()) {
      throw new Failure("environment " + env.name() + " uses Google Cloud, but there are " + noCredentials.get()
          + "; nothing was run");
    }
    PipelineOptions options = BigQueryRun.withGcp(switch (request.runner()) {
      case FLINK -> RunOptions.flink(request.flinkMaster());
      case DATAFLOW -> launched.map(l -> RunOptions.dataflow(env, def.name(), runId, l.options(), l.explicit()))
          .orElseGet(() -> RunOptions.dataflow(env, def.name(), runId));
      case DIRECT -> RunOptions.direct();
    }, env);
    // An attached run's sources were read when it ran; only a run about to read them checks them.
    if (attached.isEmpty() && env.sources().values().stream().anyMatch(b -> b instanceof SourceBinding.BigQuery)) {
      List<Diagnostic> problems;
      try {
        problems = BigQueryRun.checkSources(def, env, options);
      } catch (Exception e) {
        throw new Failure("cannot check the BigQuery sources: " + deepest(e));
      }
      if (!problems.isEmpty()) {
        throw new Failure("the BigQuery sources do not match the definition; nothing was run", problems, Optional.empty());
      }
      progress.accept("checked the BigQuery sources' columns");
    }
    RunDestination destination = RunDestination.of(def, env, runId);
    Optional<PublishedRun> previous;
    try {
      if (attached.isPresent()
          && destination.published(new PublishedRun.Wanted(Optional.of(runId), runId)).isPresent()) {
        throw new Failure("run " + runId + " of " + def.name() + " is already published in " + destination.location()
            + "; nothing was published again");
      }
      // An attached run follows the run it followed when it was launched, or none.
      Optional<String> wanted = attached.isPresent() ? attached.get().previousRunId() : request.previousRunId();
      previous = attached.isPresent() && wanted.isEmpty() ? Optional.empty()
          : destination.published(new PublishedRun.Wanted(wanted, runId));
      if (wanted.isPresent() && previous.isEmpty()) {
        throw new Failure((attached.isPresent() ? "run " + runId + " was launched after run " : "--previous ")
            + wanted.get() + ", but " + def.name() + " has no published run with that id in "
            + destination.location() + "; nothing was " + (attached.isPresent() ? "published" : "run"));
      }
    } catch (Failure e) {
      throw e;
    } catch (Exception e) {
      throw new Failure("cannot read the previous run from " + destination.location() + ": " + deepest(e));
    }
    Pipeline pipeline = Pipeline.create(options);
    // A destination without files gets a folder no file is written to: the pipeline writes to its tables.
    RunContext context = new RunContext(runId, runTime, destination.files().orElse(NO_FILES),
        previous.map(PublishedRun::segmentsToKeep)
            .orElse(io.segflow.pipeline.refresh.PreviousSegments.NONE));
    if (sources.isPresent() && destination.files().isEmpty()) {
      throw new IllegalArgumentException("rows given for the sources need an output of files, got " + env.output());
    }
    SegflowPipeline.Graph graph = sources.isPresent()
        ? SegflowPipeline.build(pipeline, request.compiled(), sources.get(), context)
        : SegflowPipeline.build(pipeline, request.compiled(), env, context);
    if (attached.isPresent()) {
      progress.accept("rebuilt run " + runId + " as launched; its job is " + attached.get().jobId());
    } else {
      try {
        destination.prepare(graph, runId, options);
      } catch (Exception e) {
        throw new Failure("cannot prepare the outputs: " + deepest(e));
      }
      progress.accept("built the pipeline; running it on the " + runnerName(request.runner()) + " runner");
    }
    return new SegflowRun(request, progress, started, runId, runTime, destination, previous, pipeline, graph,
        context, provenance);
  }

  public String runId() {
    return runId;
  }

  /** The id a run started at {@code time} gets when none is given: the time, UTC, to the second. */
  public static String runId(Instant time) {
    return RUN_ID.format(time);
  }

  /** The published run this one follows (the latest before it in its warehouse), if there is one. */
  public Optional<PublishedRun> previous() {
    return previous;
  }

  /** Starts the pipeline; returns as soon as the runner does (the DirectRunner and embedded Flink when it is done). */
  public PipelineResult launch() throws Failure {
    listening = StageProgress.listen(SegflowPipeline.progressKey(request.definition(), context),
        (stage, rows) -> progress.accept(String.format(Locale.ROOT, "%s done: %,d rows", stage, rows)));
    PipelineResult result;
    try {
      result = pipeline.run();
    } catch (RuntimeException e) {
      listening.close();
      // Data or configuration the run met (a file without a declared column, k above the distinct
      // customers, ...): say what, from the deepest cause.
      throw failed("the pipeline failed: " + deepest(e));
    }
    if (result instanceof org.apache.beam.runners.dataflow.DataflowPipelineJob job) {
      keepLaunch(job);
    }
    return result;
  }

  /**
   * Keeps a Dataflow job's launch where {@code segflow publish} finds it: a launcher that does not wait (a
   * Flex Template) leaves the publishing to another process. A job whose launch cannot be kept could never
   * be published, so it is cancelled.
   */
  private void keepLaunch(org.apache.beam.runners.dataflow.DataflowPipelineJob job) throws Failure {
    String location = RunLaunch.location(request.environment(), request.definition().name(), runId);
    try {
      launched(job.getJobId()).write(location);
    } catch (java.io.IOException | RuntimeException e) {
      try {
        job.cancel();
      } catch (java.io.IOException cancel) {
        e.addSuppressed(cancel);
      }
      throw new Failure("Dataflow job " + job.getJobId() + " started, but its launch could not be kept at " + location
          + " (" + deepest(e) + "), without which it cannot be published; the job was cancelled");
    }
    progress.accept("launched Dataflow job " + job.getJobId() + "; its launch is kept at " + location);
  }

  /**
   * A failure of the pipeline, after the destination discarded what it wrote: a failed run's partial
   * files were left in the output folder, one folder per run id, until a rerun of that id.
   */
  private Failure failed(String message) {
    try {
      return new Failure(message + "; nothing was published, and " + destination.discardFailed());
    } catch (java.io.IOException | RuntimeException e) {
      return new Failure(message + "; nothing was published, and its partial files could not be removed: "
          + deepest(e));
    }
  }

  /** This run as launched as job {@code jobId}: what another process needs to {@link #attach} to it. */
  public RunLaunch launched(String jobId) {
    return new RunLaunch(request.definition().name(), runId, runTime, previous.map(PublishedRun::runId),
        request.compiled().parameters(), definitionDigest(provenance), jobId);
  }

  /** The SHA-256 of the definition's text as the run's provenance took it, which a launch records. */
  private static String definitionDigest(Map<String, Object> provenance) {
    return RunLaunch.digest(String.valueOf(provenance.get("definition_text")));
  }

  /** Waits for the launched pipeline, checks what it produced, and publishes it. */
  public Outcome finish(PipelineResult result) throws Failure {
    PipelineResult.State state;
    try {
      state = result.waitUntilFinish();
    } catch (RuntimeException e) {
      throw failed("the pipeline failed: " + deepest(e));
    } finally {
      if (listening != null) {
        listening.close();
      }
    }
    if (state != PipelineResult.State.DONE) {
      throw failed("the pipeline ended " + state);
    }
    progress.accept("pipeline done");

    SegmentDefinition def = request.definition();
    RunReport report = RunReport.of(result);
    double seconds = Math.round((System.nanoTime() - started) / 1e7) / 100.0;
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("definition", def.name());
    header.put("run_id", runId);
    header.put("run_time", runTime.toString());
    header.put("previous_run_id", previous.map(PublishedRun::runId).orElse(null));
    Map<Integer, Long> stayed;
    try {
      stayed = previous.isPresent() ? destination.stayed(graph, runId, previous.get().runId()) : Map.of();
    } catch (Exception e) {
      throw new Failure("the run finished but could not be compared with run " + previous.get().runId() + " in "
          + destination.location() + ": " + deepest(e));
    }
    io.segflow.pipeline.methods.SegmentationMethod method =
        io.segflow.pipeline.methods.SegmentationMethods.of(def.segmentation());
    Refresh refresh = Refresh.of(report, previous, stayed, method.startFrom(context.previous()));
    header.put("refresh", refresh.toJson());
    header.put("environment", request.environment().name());
    header.put("runner", runnerName(request.runner()));
    header.put("parameters", request.compiled().parameters());
    header.putAll(provenance);
    header.put("seconds", seconds);
    header.put("stages", StageTimes.of(result));
    if (!report.balanced()) {
      throw new Failure("the counts do not balance; this is a bug, please report it: " + report);
    }
    List<String> unusable = unusableSources(report);
    if (!unusable.isEmpty()) {
      throw refused(String.join("; ", unusable) + "; the run was not published, so the current segments stay as "
          + "they were (if a source may be empty, set allow_empty: true on its binding in "
          + request.environment().displayPath() + ")", report, header);
    }
    List<String> tooSmall = report.segmentsSmallerThan(def.output().minSegmentSize());
    if (!tooSmall.isEmpty()) {
      throw refused(String.join("; ", tooSmall) + ", fewer than output.min_segment_size ("
          + def.output().minSegmentSize() + (def.output().minSegmentSizeDeclared() ? ""
              : ", the default: audiences this small come close to naming people; a definition that is not "
                  + "activated may set a smaller output.min_segment_size")
          + "); the run was not published", report, header);
    }
    io.segflow.pipeline.methods.DriftLimits limits = method.driftLimits();
    List<String> drifted = new ArrayList<>();
    limits.centroidShift().ifPresent(max -> refresh.shiftedFurtherThan(max).forEach(moved -> drifted.add(moved
        + ", further than segmentation.refresh.max_drift.centroid_shift (" + max + ")")));
    limits.featureStabilityIndex().ifPresent(max -> refresh.featuresDriftedAbove(max).forEach(feature -> drifted.add(
        feature + ", above segmentation.refresh.max_drift.feature_psi (" + max + ")")));
    if (!drifted.isEmpty()) {
      throw refused(String.join("; ", drifted) + " since run " + refresh.previousRunId().orElseThrow()
          + ": the segments changed meaning, so the run was not published and the current segments stay as they "
          + "were", report, header);
    }
    try {
      destination.publish(graph, new RunDestination.RunPublication(runId, runTime, report, header));
    } catch (Exception e) {
      throw new Failure("the run finished but could not be published into " + destination.location() + ": "
          + deepest(e));
    }
    progress.accept("published into " + destination.location());
    return new Outcome(runId, report, destination.describe(), destination.publishedFiles(), refresh);
  }

  /** A finished run that a check refused: kept where the destination keeps one, published nowhere. */
  private Failure refused(String why, RunReport report, Map<String, Object> header) {
    Optional<java.nio.file.Path> kept;
    try {
      kept = destination.keepUnpublished(report, header);
    } catch (java.io.IOException e) {
      return new Failure(why + "; its report could not be kept: " + deepest(e));
    }
    return new Failure(why + kept.map(folder -> " (its files are in " + folder + ")").orElse(""), List.of(), kept);
  }

  /** The sources without one usable row whose binding does not allow that: an empty file, a wrong file. */
  private List<String> unusableSources(RunReport report) {
    List<String> out = new java.util.ArrayList<>();
    for (String source : request.definition().sources().keySet()) {
      SourceBinding binding = request.environment().sources().get(source);
      Map<String, Long> counts = report.sources().getOrDefault(source, Map.of());
      if ((binding != null && binding.allowEmpty()) || counts.getOrDefault("rows", 0L) > 0) {
        continue;
      }
      long rejected = counts.getOrDefault("rejected", 0L);
      out.add(rejected == 0 ? "source " + source + " has no rows"
          : String.format(Locale.ROOT, "every one of the %,d rows of source %s was rejected (the rejects say why)",
              rejected, source));
    }
    return out;
  }

  private static String runnerName(Runner runner) {
    return runner.name().toLowerCase(Locale.ROOT);
  }

  /** The deepest cause's message: what went wrong, without the layers that carried it. */
  private static String deepest(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }
}
