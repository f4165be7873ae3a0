package io.segflow.cli;

import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.SourceBinding;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.model.SourceSpec;
import io.segflow.compile.StreamingFeatures;
import io.segflow.compile.StreamingPlan;
import io.segflow.pipeline.RunPlan;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code segflow plan}: the pipeline a run would build (sources, stages, outputs), without running it. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = "Validates a definition and prints the pipeline segflow run would build: its sources and their "
        + "bindings, its stages in order, and its outputs. Runs nothing.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the plan was printed", "1:the definition is invalid", "2:the command line is wrong"})
final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DEFINITION", description = "The definition file to plan.")
  String definition;

  @Mixin EnvironmentOption environment;

  @Mixin ParameterOption parameters;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Optional<ValidatedDefinition> validated = ValidatedDefinition.of(spec, definition, environment.name,
        parameters, out);
    if (validated.isEmpty()) {
      spec.commandLine().getErr().printf("segflow plan: %s is not valid%n", definition);
      return ExitCodes.INVALID_INPUT;
    }
    SegmentDefinition def = validated.get().compiled().definition();
    Environment env = validated.get().environment();
    Map<String, String> values = validated.get().compiled().parameters();
    out.printf("plan of %s on environment %s (runner %s)%n", def.name(), env.name(), env.runner().name().toLowerCase());
    if (!values.isEmpty()) {
      out.println("parameters:");
      values.forEach((name, value) -> out.printf("  @%s = %s (%s)%n", name, value, def.parameters().get(name).type()));
    }
    out.println("sources:");
    for (SourceSpec source : def.sources().values()) {
      SourceBinding binding = env.sources().get(source.name());
      out.printf("  %s (%d columns) <- %s%n", source.name(), source.columns().size(), binding.describe());
    }
    Optional<String> streamed = io.segflow.pipeline.StreamRun.pubsubSource(def, env);
    if (streamed.isPresent()) {
      // A batch pipeline cannot read a subscription: only the stream's plan applies.
      out.println("stages: none for segflow run, which refuses the definition here: environment " + env.name()
          + " binds " + streamed.get() + " to Pub/Sub, so segflow stream runs it as below");
      printStreaming(out, validated.get().compiled());
      return ExitCodes.OK;
    }
    RunPlan plan = RunPlan.of(validated.get().compiled(), env);
    out.println("stages:");
    for (int i = 0; i < plan.stages().size(); i++) {
      out.printf("  %2d. %s%n", i + 1, plan.stages().get(i));
    }
    out.println("outputs:");
    plan.outputs().forEach(o -> out.println("  " + o));
    printStreaming(out, validated.get().compiled());
    return ExitCodes.OK;
  }

  /**
   * Whether the features could be kept per entity from each source's events (segflow stream, issue 17):
   * what the state would hold, or where and why the SQL stops it.
   */
  private static void printStreaming(PrintWriter out, io.segflow.compile.CompiledDefinition compiled) {
    out.println("streaming (features kept per " + compiled.definition().entity() + " as a source's events arrive):");
    for (String source : compiled.definition().sources().keySet()) {
      StreamingFeatures.Analysis a = StreamingFeatures.analyse(compiled, source);
      if (a.streams()) {
        out.printf("  from %s: yes; per %s: %s%s%s%n", source, compiled.definition().entity(),
            String.join(", ", a.aggregates()),
            a.timeBased().isEmpty() ? "" : "; moved by time alone: " + String.join(", ", a.timeBased()),
            a.sideInputs().isEmpty() ? "" : "; joined to each event: " + String.join(", ", a.sideInputs()));
        // What segflow stream runs: the query cut at its GROUP BY.
        StreamingPlan cut = StreamingPlan.of(compiled, source);
        out.println("    per event:");
        cut.eventsSql().lines().forEach(l -> out.println("      " + l));
        out.println("    kept: " + String.join(", ", cut.aggregates().stream()
            .map(g -> g.output() + " = " + g.kind() + "(" + g.input().orElse("*") + ")").toList()));
        out.println("    per update" + (cut.timeParameters().isEmpty() ? "" : " (" + String.join(", ",
            cut.timeParameters().stream().map(t -> "@" + t).toList()) + " read as the update's time, __now)") + ":");
        cut.featuresSql().lines().forEach(l -> out.println("      " + l));
      } else {
        out.printf("  from %s: no%n", source);
        a.reasons().forEach(r -> out.println("    " + r.render()));
      }
    }
  }
}
