package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.ClusterQuality;
import io.segflow.transforms.points.ClusterSums;
import java.util.List;

/** The quality figures of one candidate, from a pass's exact sums and the seeded sample. */
final class Evaluation {
  private Evaluation() {}

  static KMeansModel.SweepResult of(Candidate candidate, ClusterSums sums, FitState state, List<double[]> silhouettePoints) {
    double[] centroids = candidate.centroids();
    return new KMeansModel.SweepResult(candidate.k(), sums.inertia(),
        silhouette(silhouettePoints, centroids, candidate.k()),
        ClusterQuality.daviesBouldin(sums, centroids),
        ClusterQuality.calinskiHarabasz(sums, centroids, state.globalMean()), smallestShare(sums));
  }

  /**
   * Mean silhouette of the sampled points labelled by their nearest centroid: for each point, (b - a) /
   * max(a, b) with a its mean distance to its own cluster and b to the nearest other; 0 for a point alone
   * in its cluster (scikit-learn's convention).
   */
  private static double silhouette(List<double[]> points, double[] centroids, int k) {
    int[] labels = new int[points.size()];
    Nearest nearest = new Nearest();
    for (int i = 0; i < labels.length; i++) {
      labels[i] = nearest.of(points.get(i), 0, centroids, k, points.get(i).length);
    }
    return ClusterQuality.silhouette(points, labels, k);
  }


  /** The smallest cluster's share of the total weight. */
  static double smallestShare(ClusterSums sums) {
    double total = 0;
    double smallest = Double.POSITIVE_INFINITY;
    for (int c = 0; c < sums.k(); c++) {
      double w = sums.weight(c);
      total += w;
      smallest = Math.min(smallest, w);
    }
    return total > 0 ? smallest / total : Double.NaN;
  }
}
