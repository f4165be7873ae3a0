package io.segflow.transforms.kmeans;

import java.util.ArrayList;
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

  /** The first {@code size} sample points in hash order (itself a seeded sample), prepared. */
  static List<double[]> silhouettePoints(Preparation prep, List<Sample.Point> sample, int size) {
    List<double[]> out = new ArrayList<>();
    for (Sample.Point p : sample.subList(0, Math.min(size, sample.size()))) {
      double[] scaled = new double[prep.dimensions()];
      prep.apply(p.values(), 0, scaled);
      out.add(scaled);
    }
    return out;
  }
}
