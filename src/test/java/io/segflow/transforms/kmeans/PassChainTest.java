package io.segflow.transforms.kmeans;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segflow.testing.TestRunners;
import io.segflow.transforms.points.Scaling;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which blocks each pass over the points reads: on the DirectRunner those the pass before handed on (so it
 * does not wait from the read on for its centroids), elsewhere the blocks as made. That both give the same
 * model, to the bit, is DeterminismTest's (Direct against Flink).
 */
class PassChainTest {
  private static final java.util.Set<Class<?>> PASSES = java.util.Set.of(LloydPassFn.class, TreePassFn.class,
      AssignFn.class);

  @ParameterizedTest(name = "{0} runner, bisecting {1}")
  @CsvSource({"direct, false", "direct, true", "flink, false", "flink, true"})
  void eachPassReadsThePreviousPassesBlocksOnlyOnTheDirectRunner(String runner, boolean bisecting) {
    Pipeline p = Pipeline.create(TestRunners.named(runner));
    Blobs blobs = Blobs.generate(200, 2, 3, 0.5, 10, 1);
    KMeans.Fit fit = KMeans.fit().withEntityField("id").withFeatures(Blobs.features(2)).withK(3)
        .withScaling(Scaling.NONE).withSeed(1);
    p.apply(Create.of(blobs.rows()).withRowSchema(Blobs.schema(2))).apply(bisecting ? fit.withBisecting(1.0) : fit);

    Map<String, String> inputOf = new LinkedHashMap<>(); // pass -> the step whose output it reads
    Map<PValue, String> producer = new java.util.HashMap<>();
    p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        String step = node.getFullName().replaceAll("/ParMultiDo\\([A-Za-z]+\\)$", "");
        if (node.getTransform() instanceof ParDo.MultiOutput<?, ?> parDo && PASSES.contains(parDo.getFn().getClass())) {
          PCollection<?> main = node.getInputs().entrySet().stream()
              .filter(e -> !node.getTransform().getAdditionalInputs().containsKey(e.getKey()))
              .map(Map.Entry::getValue).findFirst().orElseThrow();
          inputOf.put(step, producer.get(main));
        }
        node.getOutputs().values().forEach(out -> producer.put(out, step));
      }
    });

    String made = "KMeans.Fit/Points/Read";
    Map<String, String> expected = new LinkedHashMap<>();
    boolean chained = runner.equals("direct");
    expected.put("KMeans.Fit/Refine1/Sums", made);
    expected.put("KMeans.Fit/Refine2/Sums", chained ? "KMeans.Fit/Refine1/Sums" : made);
    expected.put("KMeans.Fit/Evaluate/Sums", chained ? "KMeans.Fit/Refine2/Sums" : made);
    expected.put("KMeans.Fit/Assign", chained ? "KMeans.Fit/Evaluate/Sums" : made);
    assertEquals(expected, inputOf);
  }
}
