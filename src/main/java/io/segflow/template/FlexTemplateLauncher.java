package io.segflow.template;

import io.segflow.compile.CompiledDefinition;
import io.segflow.compile.DefinitionValidator;
import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.EnvironmentResolver;
import io.segflow.dsl.env.Runner;
import io.segflow.dsl.load.DefinitionFiles;
import io.segflow.pipeline.RunOptions;
import io.segflow.pipeline.SegflowRun;
import io.segflow.pipeline.StreamRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.runners.dataflow.DataflowPipelineJob;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The Flex Template's main ({@code FLEX_TEMPLATE_JAVA_MAIN_CLASS}): validates the definition named by the
 * launch's parameters against its environment, as {@code segflow validate} does, builds the run (or, when
 * the environment binds its events to Pub/Sub, the stream), submits it to Dataflow, and returns without
 * waiting, as a Flex Template launcher must. Exit codes as {@code segflow}:
 * 1 for an invalid definition or a run that could not start, 2 for bad launch parameters.
 */
public final class FlexTemplateLauncher {
  private FlexTemplateLauncher() {}

  /** A launch's options and the names it gave them (the rest come from the environment). */
  public record Launch(SegflowTemplateOptions options, Set<String> explicit, Map<String, String> parameterValues) {
    /** Parses the launcher's arguments, {@code --name=value} as the Dataflow service passes them. */
    public static Launch parse(String... args) {
      PipelineOptionsFactory.register(SegflowTemplateOptions.class);
      // Not withValidation(): Dataflow's required options (project, ...) may come from the environment.
      SegflowTemplateOptions options = PipelineOptionsFactory.fromArgs(args).as(SegflowTemplateOptions.class);
      if (options.getDefinition() == null || options.getDefinition().isBlank()) {
        throw new IllegalArgumentException("the template parameter definition is required (e.g. "
            + "--definition=segment-definitions/online_retail_rfm_kmeans.yaml)");
      }
      Set<String> explicit = Arrays.stream(args).filter(a -> a.startsWith("--"))
          .map(a -> a.substring(2).split("=", 2)[0]).collect(Collectors.toUnmodifiableSet());
      return new Launch(options, explicit, parameterValues(options.getParameterValues()));
    }

    /** {@code name=value;name=value} as a map, in order; a pair without a name is refused. */
    static Map<String, String> parameterValues(String text) {
      Map<String, String> out = new LinkedHashMap<>();
      if (text == null || text.isBlank()) {
        return out;
      }
      for (String pair : text.split(";")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("parameterValues: '" + pair + "' is not name=value (pairs are separated "
              + "by ';', e.g. as_of=2026-12-01;min_orders=2)");
        }
        if (out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1)) != null) {
          throw new IllegalArgumentException("parameterValues: " + pair.substring(0, eq).trim() + " is given twice");
        }
      }
      return out;
    }

    public SegflowRun.Launched launched() {
      return new SegflowRun.Launched(options.as(DataflowPipelineOptions.class), explicit);
    }
  }

  public static void main(String[] args) {
    int code = launch(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** A relative path is from SEGFLOW_HOME (the image's folder) when set: the launcher's own folder is not ours. */
  static Path inHome(String path) {
    String home = System.getenv("SEGFLOW_HOME");
    return home == null || home.isBlank() ? Path.of(path) : Path.of(home).resolve(path);
  }

  /**
   * A definition whose environment binds its events to Pub/Sub launches as a streaming job, named
   * {@code segflow-<definition>-stream} unless the launch names it: launched again with {@code --update}
   * (gcloud's flag), it replaces the running job and keeps its state.
   */
  static int launchStream(Launch launch, CompiledDefinition compiled, Environment env, PrintWriter out,
      PrintWriter err) {
    String name = compiled.definition().name();
    if (!env.hasDataflowSettings()) {
      err.println("segflow template: a Dataflow job needs gcp: and dataflow: settings in environment " + env.name()
          + " (" + env.displayPath() + "); nothing was launched");
      return 1;
    }
    try {
      PipelineResult job = StreamRun.of(compiled, env).start(streamOptions(launch, name, env), Path.of(""));
      out.println("launched the stream of " + name + (job instanceof DataflowPipelineJob dataflow
          ? " as Dataflow job " + dataflow.getJobId() : "") + "; it runs until drained or cancelled");
      return 0;
    } catch (StreamRun.Refused e) {
      return refused(err, e.diagnostics(), e.getMessage());
    } catch (java.io.IOException e) {
      err.println("segflow template: the stream of " + name + " could not start: " + e.getMessage());
      return 1;
    }
  }

  /** The stream's Dataflow options: the launch's, the environment's for the rest ({@link RunOptions#dataflowStream}). */
  public static DataflowPipelineOptions streamOptions(Launch launch, String definition, Environment env) {
    return RunOptions.dataflowStream(env, definition, launch.launched().options(), launch.launched().explicit())
        .as(DataflowPipelineOptions.class);
  }

  /** Launches the run the arguments describe; returns the exit code. */
  static int launch(PrintWriter out, PrintWriter err, String... args) {
    Launch launch;
    try {
      launch = Launch.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("segflow template: " + e.getMessage());
      return 2;
    }
    SegflowTemplateOptions options = launch.options();
    DefinitionValidator.Report report;
    try {
      report = new DefinitionValidator(launch.parameterValues()).validate(List.of(new DefinitionFiles.Target(
          inHome(options.getDefinition()), options.getDefinition())), options.getEnvironment(),
          EnvironmentResolver.fromProcess());
    } catch (DefinitionValidator.BadParameter e) {
      err.println("segflow template: " + e.getMessage());
      return 2;
    }
    report.diagnostics().sorted().stream().map(Diagnostic::render).forEach(err::println);
    if (report.diagnostics().hasErrors()) {
      err.println("segflow template: " + options.getDefinition() + " is not valid; nothing was launched");
      return 1;
    }
    if (StreamRun.pubsubSource(report.valid().get(0).definition(), report.environment().orElseThrow()).isPresent()) {
      return launchStream(launch, report.valid().get(0), report.environment().orElseThrow(), out, err);
    }
    try {
      SegflowRun run = SegflowRun.prepare(new SegflowRun.Request(report.valid().get(0),
          report.environment().orElseThrow(), Runner.DATAFLOW, Optional.ofNullable(options.getRunId()), "[local]",
          Optional.ofNullable(options.getPreviousRunId())), launch.launched(), err::println);
      PipelineResult job = run.launch();
      out.println("launched run " + run.runId() + (job instanceof DataflowPipelineJob dataflow
          ? " as Dataflow job " + dataflow.getJobId() : "") + "; its tables are staged until it is published: segflow "
          + "publish " + options.getDefinition() + " --env " + options.getEnvironment() + " --run-id " + run.runId()
          + " waits for the job and publishes it");
      return 0;
    } catch (SegflowRun.Failure e) {
      return refused(err, e.diagnostics(), e.getMessage());
    }
  }

  /** A launch refused: its located diagnostics, then why; exit code 1. */
  private static int refused(PrintWriter err, List<Diagnostic> diagnostics, String why) {
    diagnostics.forEach(d -> err.println(d.render()));
    err.println("segflow template: " + why);
    return 1;
  }
}
