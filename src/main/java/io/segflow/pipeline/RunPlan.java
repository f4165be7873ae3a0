package io.segflow.pipeline;

import io.segflow.compile.CompiledDefinition;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.OutputBinding;
import io.segflow.dsl.model.SegmentDefinition;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;

/**
 * What a run of a definition would build, without running it: the pipeline's top-level stages in order and
 * the outputs it would write. Built by the same code as a run, so the plan is the run's.
 *
 * @param stages each top-level transform: its name and its class
 * @param outputs each file pattern and warehouse object the run writes
 */
public record RunPlan(List<String> stages, List<String> outputs) {
  public RunPlan {
    stages = List.copyOf(stages);
    outputs = List.copyOf(outputs);
  }

  public static RunPlan of(CompiledDefinition compiled, Environment env) {
    SegmentDefinition def = compiled.definition();
    Path files = env.output() instanceof OutputBinding.Files out ? out.path().resolve(def.name()).resolve("<run_id>")
        : Path.of("<bigquery>");
    Pipeline pipeline = Pipeline.create(RunOptions.direct());
    SegflowPipeline.build(pipeline, compiled, env, new RunContext("<run_id>", Instant.EPOCH, files));
    List<String> stages = new ArrayList<>();
    pipeline.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        if (!node.isRootNode() && node.getEnclosingNode().isRootNode()) {
          stages.add(describe(node));
        }
        return CompositeBehavior.ENTER_TRANSFORM;
      }

      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        if (node.getEnclosingNode().isRootNode()) {
          stages.add(describe(node));
        }
      }
    });
    List<String> outputs = new ArrayList<>();
    if (env.output() instanceof OutputBinding.Files out) {
      outputs.add(files + "/{members,segments,rejects}.{csv,parquet}, model.json, run.json");
      outputs.add(out.warehouse() + ": " + String.join(", ", DuckDbWarehouse.objects(def.name())));
    } else {
      OutputBinding.BigQuery out = (OutputBinding.BigQuery) env.output();
      outputs.add(out.dataset() + ": " + String.join(", ", DuckDbWarehouse.objects(def.name())));
    }
    return new RunPlan(stages, outputs);
  }

  private static String describe(TransformHierarchy.Node node) {
    return node.getFullName() + "  (" + node.getTransform().getClass().getSimpleName() + ")";
  }
}
