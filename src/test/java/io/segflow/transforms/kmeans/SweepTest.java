package io.segflow.transforms.kmeans;

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
