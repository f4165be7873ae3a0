package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.Preparation;
import java.io.Serializable;
import java.util.List;

/**
 * What a fit knows between passes, broadcast to the next pass as a side input: the preparation, the
 * candidate models, and the bookkeeping the model reports (points, passes, the global mean for the
 * Calinski–Harabasz index, which candidate a sweep selected and the metrics it compared).
 */
record FitState(
    Preparation preparation,
    List<Candidate> candidates,
    long points,
    int sampleSize,
    int passes,
    double toleranceAbs,
    double[] globalMean,
    int selected,
    List<KMeansModel.SweepResult> sweep,
    long[] clusterSizes,
    double[] clusterWeights) implements Serializable {

  FitState {
    candidates = List.copyOf(candidates);
    sweep = List.copyOf(sweep);
  }

  FitState withCandidates(List<Candidate> next, int morePasses) {
    return new FitState(preparation, next, points, sampleSize, passes + morePasses, toleranceAbs, globalMean,
        selected, sweep, clusterSizes, clusterWeights);
  }

  /** After the evaluation pass: the chosen candidate, every candidate's figures, the chosen clusters' sizes. */
  FitState withSelection(int index, List<KMeansModel.SweepResult> results, long[] sizes, double[] weights) {
    return new FitState(preparation, candidates, points, sampleSize, passes + 1, toleranceAbs, globalMean,
        index, results, sizes, weights);
  }

  Candidate chosen() {
    return candidates.get(selected);
  }
}
