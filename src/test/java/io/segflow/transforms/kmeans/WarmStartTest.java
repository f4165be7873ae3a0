package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.FeatureSpec;
import io.segflow.transforms.points.Scaling;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A warm start decides between optima a cold start cannot tell apart: four equal squares of points at the
 * corners of a square have two best 2-means, left|right and bottom|top, of the same inertia.
 */
@ExtendWith(TestPipelineExtension.class)
class WarmStartTest {
  private static List<Row> corners() {
    List<Row> rows = new ArrayList<>();
    int n = 0;
    for (double[] corner : new double[][] {{0, 0}, {0, 10}, {10, 0}, {10, 10}}) {
      for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 5; j++) {
          rows.add(Row.withSchema(Blobs.schema(2)).addValues("p" + n++, corner[0] + 0.1 * i, corner[1] + 0.1 * j)
              .build());
        }
      }
    }
    return rows;
  }

  private static void fitFrom(TestPipeline p, double[][] start, double[][] expected) {
    KMeansResult result = p.apply(Create.of(corners()).withRowSchema(Blobs.schema(2)))
        .apply(KMeans.fit().withEntityField("id").withK(2).withScaling(Scaling.NONE)
            .withFeatures(FeatureSpec.of("f0"), FeatureSpec.of("f1")).withWarmStart(start));
    PAssert.thatSingleton(result.model()).satisfies(model -> {
      double[][] centroids = model.centroidsOriginalUnits().clone();
      Arrays.sort(centroids, java.util.Comparator.<double[]>comparingDouble(c -> c[0]).thenComparingDouble(c -> c[1]));
      for (int c = 0; c < 2; c++) {
        for (int j = 0; j < 2; j++) {
          assertEquals(expected[c][j], centroids[c][j], 1e-9, Arrays.deepToString(centroids));
        }
      }
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void fromLeftAndRightCentroidsTheFitSplitsLeftFromRight(TestPipeline p) {
    fitFrom(p, new double[][] {{1, 4}, {9, 6}}, new double[][] {{0.2, 5.2}, {10.2, 5.2}});
  }

  @Test
  void fromBottomAndTopCentroidsTheFitSplitsBottomFromTop(TestPipeline p) {
    fitFrom(p, new double[][] {{4, 1}, {6, 9}}, new double[][] {{5.2, 0.2}, {5.2, 10.2}});
  }

  @Test
  void aStartNeedsOneFiniteValuePerFeature() {
    KMeans.Fit fit = KMeans.fit().withFeatures(FeatureSpec.of("f0"), FeatureSpec.of("f1"));
    assertEquals("Invalid KMeans.Fit: each warm-start centroid needs one value per feature (2), got 1",
        assertThrows(IllegalArgumentException.class, () -> fit.withWarmStart(new double[][] {{1}})).getMessage());
    assertThrows(IllegalArgumentException.class, () -> fit.withWarmStart(new double[][] {{1, Double.NaN}}));
  }
}
