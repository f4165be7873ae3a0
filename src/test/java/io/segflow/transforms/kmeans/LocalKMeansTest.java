package io.segflow.transforms.kmeans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LocalKMeansTest {
  @Test
  void kAboveTheDistinctPointsIsAClearError() {
    double[] points = {0, 0, 1, 1, 0, 0, 1, 1};
    double[] weights = {1, 1, 1, 1};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        new LocalKMeans(3, 2, Init.KMEANS_PLUS_PLUS, 100, 1e-4, EmptyClusterPolicy.FARTHEST_POINT)
            .solve(points, weights, 2, 1));
    assertEquals("KMeans: k=3 but the data has only 2 distinct points after preparation; lower k", e.getMessage());
  }

  @Test
  void anEmptiedClusterIsReseededAtTheFarthestPointOrFailsUnderTheErrorPolicy() {
    // Two clusters; the start puts a centroid far away from every point, so it empties at once.
    double[] points = {0, 0, 0.1, 0, 10, 10, 10.1, 10, 20, 20};
    double[] weights = {1, 1, 1, 1, 1};
    double[] start = {0, 0, 10, 10, 1000, 1000};
    LocalKMeans.Solution reseeded = new LocalKMeans(3, 2, Init.RANDOM, 100, 0, EmptyClusterPolicy.FARTHEST_POINT)
        .lloyd(points, weights, start, 0);
    assertEquals(0.01, reseeded.inertia(), 1e-12, "the far point (20,20) became the third centroid");
    IllegalStateException e = assertThrows(IllegalStateException.class, () ->
        new LocalKMeans(3, 2, Init.RANDOM, 100, 0, EmptyClusterPolicy.ERROR).lloyd(points, weights, start, 0));
    assertEquals("KMeans: cluster 2 lost all its points in iteration 1 and the empty-cluster policy is ERROR", e.getMessage());
  }

  @Test
  void weightsCountAsRepeatedPoints() {
    double[] points = {0, 1, 10};
    LocalKMeans solver = new LocalKMeans(2, 1, Init.KMEANS_PLUS_PLUS, 100, 0, EmptyClusterPolicy.FARTHEST_POINT);
    LocalKMeans.Solution weighted = solver.solve(points, new double[] {3, 1, 1}, 5, 1);
    LocalKMeans.Solution repeated = solver.solve(new double[] {0, 0, 0, 1, 10}, new double[] {1, 1, 1, 1, 1}, 5, 1);
    assertEquals(repeated.inertia(), weighted.inertia(), 1e-12);
    assertEquals(0.75, weighted.inertia(), 1e-12);
  }

  @Test
  void restartsAreDeterministicAndFindTheOptimumSingleRestartsMiss() {
    Blobs blobs = Blobs.generate(3000, 3, 6, 2.0, 5, 4);
    double[] flat = new double[3000 * 3];
    for (int i = 0; i < 3000; i++) {
      System.arraycopy(blobs.points[i], 0, flat, i * 3, 3);
    }
    double[] weights = new double[3000];
    java.util.Arrays.fill(weights, 1);
    LocalKMeans solver = new LocalKMeans(6, 3, Init.KMEANS_PLUS_PLUS, 300, 1e-4, EmptyClusterPolicy.FARTHEST_POINT);
    LocalKMeans.Solution ten = solver.solve(flat, weights, 10, 8);
    assertEquals(ten.inertia(), solver.solve(flat, weights, 10, 8).inertia(), 0.0);
    assertTrue(ten.converged());
    // Ten restarts come within QualityTest's bar of the best of fifty independent Commons Math k-means++
    // runs; single restarts, over seeds, do not always (the data has local optima; restarts escape them).
    double reference = QualityTest.commonsMathBestInertia(blobs.points, 6, 50);
    assertTrue(ten.inertia() <= reference * QualityTest.BAR, ten.inertia() + " above the reference " + reference);
    double worstSingle = 0;
    double worstSingleSwapped = 0;
    for (long seed = 1; seed <= 20; seed++) {
      worstSingle = Math.max(worstSingle, solver.bestOfRestarts(flat, weights, 1, seed).inertia());
      worstSingleSwapped = Math.max(worstSingleSwapped, solver.solve(flat, weights, 1, seed).inertia());
    }
    assertTrue(worstSingle > ten.inertia() * 1.001, "some single restart is stuck: worst " + worstSingle
        + " against " + ten.inertia());
    // The swaps get every single restart out of its local optimum too.
    assertTrue(worstSingleSwapped <= reference * QualityTest.BAR, "a single restart with swaps is stuck: "
        + worstSingleSwapped + " against the reference " + reference);
  }
}
