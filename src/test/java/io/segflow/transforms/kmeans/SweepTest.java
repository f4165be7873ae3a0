package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.FeatureSpec;
import io.segflow.transforms.points.Clip;
import io.segflow.transforms.points.Scaling;
import io.segflow.transforms.points.NullPolicy;
import io.segflow.transforms.points.Preparation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class SweepTest {
  @Test
  void aSweepFindsTheTrueNumberOfBlobsAndKeepsEveryCandidatesFigures(TestPipeline p) {
    Blobs blobs = Blobs.generate(3000, 2, 4, 0.5, 10, 21);
    KMeansResult result = p.apply(Create.of(blobs.rows()).withRowSchema(Blobs.schema(2)))
        .apply(KMeans.fit().withEntityField("id").withFeatures(Blobs.features(2))
            .withKSweep(2, 7, SelectionCriterion.SILHOUETTE).withSeed(2));
    PAssert.thatSingleton(result.model()).satisfies(model -> {
      assertEquals(4, model.k());
      assertEquals(SelectionCriterion.SILHOUETTE, model.selectedBy());
      assertEquals(6, model.sweep().size());
      assertEquals(java.util.List.of(2, 3, 4, 5, 6, 7), model.sweep().stream().map(KMeansModel.SweepResult::k).toList());
      KMeansModel.SweepResult four = model.sweep().get(2);
      assertEquals(model.inertia(), four.inertia(), 0.0, "the model's figures are the chosen candidate's");
      for (int i = 1; i < model.sweep().size(); i++) {
        assertTrue(model.sweep().get(i).inertia() < model.sweep().get(i - 1).inertia(), "inertia falls with k");
      }
      assertTrue(four.daviesBouldin() < model.sweep().get(0).daviesBouldin());
      assertEquals(5, model.passes(), "candidates share passes: summary, 2 refinements, evaluation, assignment");
      return null;
    });
    p.run().waitUntilFinish();
  }

  /** Three groups of 970 points and a fourth of 90 (3%), at the corners of a square. */
  private static java.util.List<org.apache.beam.sdk.values.Row> threeGroupsAndASmallOne() {
    java.util.List<org.apache.beam.sdk.values.Row> rows = new java.util.ArrayList<>();
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    double[][] corners = {{0, 0}, {10, 0}, {0, 10}, {10, 10}};
    for (int i = 0; i < 3000; i++) {
      int group = i < 2910 ? i % 3 : 3;
      rows.add(org.apache.beam.sdk.values.Row.withSchema(Blobs.schema(2)).addValues("p" + i,
          corners[group][0] + 0.5 * Blobs.gaussian(random), corners[group][1] + 0.5 * Blobs.gaussian(random)).build());
    }
    return rows;
  }

  @Test
  void aMinimumSegmentShareKeepsTheSweepFromAKWithATinySegment(TestPipeline p) {
    KMeans.Fit fit = KMeans.fit().withEntityField("id").withFeatures(Blobs.features(2))
        .withKSweep(2, 5, SelectionCriterion.SILHOUETTE).withSeed(2);
    KMeansResult free = p.apply("Free", Create.of(threeGroupsAndASmallOne()).withRowSchema(Blobs.schema(2)))
        .apply("FitFree", fit);
    KMeansResult floored = p.apply("Floored", Create.of(threeGroupsAndASmallOne()).withRowSchema(Blobs.schema(2)))
        .apply("FitFloored", fit.withMinSegmentShare(0.05));
    PAssert.thatSingleton(free.model()).satisfies(model -> {
      assertEquals(4, model.k(), "without a floor the silhouette finds the small group");
      KMeansModel.SweepResult four = model.sweep().get(2);
      assertEquals(0.03, four.smallestShare(), 0.002, "the model records each k's smallest share");
      return null;
    });
    PAssert.thatSingleton(floored.model()).satisfies(model -> {
      assertTrue(model.k() < 4, "k = 4 leaves a segment of 3%, under the 5% floor: k = " + model.k());
      KMeansModel.SweepResult chosen = model.sweep().get(model.k() - 2);
      assertTrue(chosen.smallestShare() >= 0.05, "chosen k's smallest share " + chosen.smallestShare());
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void aFloorNoKMeetsFailsTheFitNamingEachKsSmallestShare() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    p.apply(Create.of(threeGroupsAndASmallOne()).withRowSchema(Blobs.schema(2)))
        .apply(KMeans.fit().withEntityField("id").withFeatures(Blobs.features(2))
            .withKSweep(3, 4, SelectionCriterion.SILHOUETTE).withMinSegmentShare(0.4));
    RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> p.run().waitUntilFinish());
    String message = String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : e.getCause().getMessage());
    assertTrue(message.contains("no k from 3 to 4 gives every segment at least 40.00% of the entities")
        && message.contains("k=3: ") && message.contains("k=4: 3.00%"), message);
  }

  @Test
  void clippingImputationAndRobustScalingArePartOfTheModel(TestPipeline p) {
    Blobs blobs = Blobs.generate(2000, 2, 3, 0.5, 10, 5);
    java.util.List<org.apache.beam.sdk.values.Row> rows = new java.util.ArrayList<>(blobs.rows());
    rows.add(org.apache.beam.sdk.values.Row.withSchema(Blobs.schema(2)).addValues("missing", null, 1.0).build());
    rows.add(org.apache.beam.sdk.values.Row.withSchema(Blobs.schema(2)).addValues("outlier", 1e9, 1.0).build());
    KMeansResult result = p.apply(Create.of(rows).withRowSchema(Blobs.schema(2)))
        .apply(KMeans.fit().withEntityField("id").withK(3).withScaling(Scaling.ROBUST).withNullPolicy(NullPolicy.IMPUTE_MEDIAN)
            .withFeatures(FeatureSpec.of("f0").withClip(new Clip(0.0, 0.99)), FeatureSpec.of("f1")));
    PAssert.that(result.rejects()).empty();
    PAssert.thatSingleton(result.model()).satisfies(model -> {
      assertEquals(2002, model.points());
      Preparation.Feature f0 = model.preparation().features().get(0);
      assertTrue(f0.clipHigh() < 20, "the outlier is clipped at the 99th percentile: " + f0.clipHigh());
      assertTrue(!Double.isNaN(f0.impute()), "median imputation value recorded");
      assertEquals(6, model.passes(), "clipping adds one pass");
      // Robust scaling of f1 (the sample is every point here): centred on its median, scaled by its
      // interquartile range, as scikit-learn's RobustScaler does with numpy's linear quantiles.
      double[] f1 = new double[2002];
      for (int i = 0; i < 2000; i++) {
        f1[i] = blobs.points[i][1];
      }
      f1[2000] = 1.0;
      f1[2001] = 1.0;
      var percentile = new org.apache.commons.math3.stat.descriptive.rank.Percentile()
          .withEstimationType(org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType.R_7);
      Preparation.Feature scaled = model.preparation().features().get(1);
      assertEquals(percentile.evaluate(f1, 50), scaled.center(), 1e-12, "the median");
      assertEquals(percentile.evaluate(f1, 75) - percentile.evaluate(f1, 25), scaled.scale(), 1e-12, "the IQR");
      return null;
    });
    p.run().waitUntilFinish();
  }
}
