package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.ClusterSums;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Moves each candidate's centroids to the means of their clusters after a global pass. A cluster left
 * empty follows the policy: re-seeded at the farthest point not already a centroid, or an error.
 */
final class RefineFn extends DoFn<PassSums, FitState> {
  private final PCollectionView<FitState> previous;
  private final EmptyClusterPolicy emptyClusters;

  RefineFn(PCollectionView<FitState> previous, EmptyClusterPolicy emptyClusters) {
    this.previous = previous;
    this.emptyClusters = emptyClusters;
  }

  @ProcessElement
  public void process(@Element PassSums pass, ProcessContext context) {
    FitState state = context.sideInput(previous);
    if (pass.isEmpty()) {
      throw new IllegalStateException("KMeans: a refinement pass saw no points");
    }
    List<Candidate> next = new ArrayList<>();
    for (int c = 0; c < state.candidates().size(); c++) {
      Candidate old = state.candidates().get(c);
      ClusterSums sums = pass.perCandidate.get(c);
      int k = old.k();
      int d = sums.dimensions();
      double[] centroids = new double[k * d];
      List<ClusterSums.Far> far = sums.farthest();
      int nextFar = 0;
      for (int m = 0; m < k; m++) {
        if (sums.hasMean(m)) {
          for (int j = 0; j < d; j++) {
            centroids[m * d + j] = sums.mean(m, j);
          }
          continue;
        }
        if (emptyClusters == EmptyClusterPolicy.ERROR || nextFar >= far.size()) {
          throw new IllegalStateException("KMeans: cluster " + m + " of k=" + k + " lost all its points in refinement "
              + "pass " + (old.refinements() + 1) + (emptyClusters == EmptyClusterPolicy.ERROR
                  ? " and the empty-cluster policy is ERROR" : " and no far point is left to re-seed it"));
        }
        System.arraycopy(far.get(nextFar++).point(), 0, centroids, m * d, d);
      }
      double shift = 0;
      for (int i = 0; i < centroids.length; i++) {
        double delta = centroids[i] - old.centroids()[i];
        shift += delta * delta;
      }
      next.add(new Candidate(k, centroids, old.iterations(), shift <= state.toleranceAbs(), old.refinements() + 1, shift));
    }
    context.output(state.withCandidates(next, 1));
  }
}
