package io.segflow.transforms.kmeans;

import java.util.List;

/** The quality figures of one candidate, from a pass's exact sums and the seeded sample. */
final class Evaluation {
  private Evaluation() {}

  static KMeansModel.SweepResult of(Candidate candidate, ClusterSums sums, FitState state, List<double[]> silhouettePoints) {
    double[] centroids = candidate.centroids();
    return new KMeansModel.SweepResult(candidate.k(), sums.inertia(),
        Metrics.silhouette(silhouettePoints, centroids, candidate.k()),
        Metrics.daviesBouldin(sums, centroids),
        Metrics.calinskiHarabasz(sums, centroids, state.globalMean()), smallestShare(sums));
  }

  /** The smallest cluster's share of the total weight. */
  static double smallestShare(ClusterSums sums) {
    double total = 0;
    double smallest = Double.POSITIVE_INFINITY;
    for (int c = 0; c < sums.k; c++) {
      double w = sums.weights[c].value();
      total += w;
      smallest = Math.min(smallest, w);
    }
    return total > 0 ? smallest / total : Double.NaN;
  }
}
