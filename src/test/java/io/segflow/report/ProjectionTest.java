package io.segflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProjectionTest {

  /**
   * Three standardized features where two are one and the same and the third independent: the first
   * component carries two thirds of the variance and weighs the twins equally; the second is the third
   * feature alone. Scikit-learn's PCA on standardized data gives the same figures.
   */
  @Test
  void findsTheDirectionsOfMostSpread() {
    Random random = new Random(3);
    int n = 4_000;
    double[][] values = new double[n][];
    int[] segments = new int[n];
    for (int i = 0; i < n; i++) {
      double a = random.nextGaussian();
      values[i] = new double[] {a, 10 * a + 5, random.nextGaussian()};
      segments[i] = i % 3;
    }
    values[17] = new double[] {Double.NaN, 1, 1}; // left out, as PCA has no place for it
    Projection p = Projection.of(new RunFolder.Sample(List.of("a", "ten_a", "b"), segments, values)).orElseThrow();

    assertEquals(n - 1, p.x().length);
    assertEquals(2.0 / 3, p.explained()[0], 0.02);
    assertEquals(1.0 / 3, p.explained()[1], 0.02);
    // The sample's chance correlation of b with a tilts the axes by a hair.
    assertEquals(Math.sqrt(0.5), p.loadings()[0][0], 1e-3);
    assertEquals(Math.sqrt(0.5), p.loadings()[0][1], 1e-3);
    assertEquals(0, p.loadings()[0][2], 0.03);
    assertEquals(1, Math.abs(p.loadings()[1][2]), 1e-3);
    assertEquals(segments[18], p.segments()[17], "points keep their segment after one is left out");
  }

  @Test
  void oneFeatureMakesNoPlane() {
    assertTrue(Projection.of(new RunFolder.Sample(List.of("x"), new int[] {0, 1, 2},
        new double[][] {{1}, {2}, {3}})).isEmpty());
  }
}
