package io.segflow.transforms.kmeans;

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
    List<KMeansModel.SweepResult> sweep) implements Serializable {

  FitState {
    candidates = List.copyOf(candidates);
    sweep = List.copyOf(sweep);
  }

  FitState withCandidates(List<Candidate> next, int morePasses) {
    return new FitState(preparation, next, points, sampleSize, passes + morePasses, toleranceAbs, globalMean,
        selected, sweep);
  }

  FitState withSelection(int index, List<KMeansModel.SweepResult> results, int morePasses) {
    return new FitState(preparation, candidates, points, sampleSize, passes + morePasses, toleranceAbs, globalMean,
        index, results);
  }

  Candidate chosen() {
    return candidates.get(selected);
  }
}
