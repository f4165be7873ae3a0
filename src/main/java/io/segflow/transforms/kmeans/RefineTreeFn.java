package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.ClusterSums;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Moves every node of a bisecting fit's tree to the mean of the points that reached it in a global pass. A
 * node no point reached keeps its centroid: its sibling took every point, and the next pass may give some back.
 */
final class RefineTreeFn extends DoFn<PassSums, TreeState> {
  private final PCollectionView<TreeState> previous;

  RefineTreeFn(PCollectionView<TreeState> previous) {
    this.previous = previous;
  }

  @ProcessElement
  public void process(@Element PassSums pass, ProcessContext context) {
    TreeState state = context.sideInput(previous);
    if (pass.isEmpty()) {
      throw new IllegalStateException("BisectingKMeans: a refinement pass saw no points");
    }
    ClusterSums sums = pass.perCandidate.get(0);
    double[][] old = state.tree().centroids();
    double[][] next = new double[old.length][];
    double movement = 0;
    for (int node = 0; node < old.length; node++) {
      next[node] = old[node].clone();
      if (sums.hasMean(node)) {
        for (int j = 0; j < sums.dimensions(); j++) {
          next[node][j] = sums.mean(node, j);
          double delta = next[node][j] - old[node][j];
          movement += delta * delta;
        }
      }
    }
    context.output(state.refined(next, movement));
  }
}
