package io.segflow.transforms.density;

import io.segflow.transforms.aggregate.ExactSum;
import java.io.Serializable;
import org.apache.beam.sdk.transforms.Combine;

/**
 * What the totals pass learns: each cluster's count and exact sum of its scaled points, and the noise count.
 * Exact sums make the centres the same whatever the bundling.
 */
final class ClusterTotals implements Serializable {
  private static final long serialVersionUID = 1L;

  final int clusters;
  final int d;
  final long[] counts;
  final ExactSum[] sums;
  long noise;

  ClusterTotals(int clusters, int d) {
    this.clusters = clusters;
    this.d = d;
    counts = new long[clusters];
    sums = new ExactSum[clusters * d];
    for (int i = 0; i < sums.length; i++) {
      sums[i] = new ExactSum();
    }
  }

  void add(int cluster, double[] scaled) {
    if (cluster == LocalDbscan.NOISE) {
      noise++;
      return;
    }
    counts[cluster]++;
    for (int j = 0; j < d; j++) {
      sums[cluster * d + j].add(scaled[j]);
    }
  }

  /** Whether these are a new accumulator's totals, before any bundle's were added: no shape yet. */
  boolean isEmpty() {
    return clusters == 0 && d == 0;
  }

  /** Adds another's totals; an empty accumulator adds only its noise. */
  ClusterTotals merge(ClusterTotals other) {
    if (other.isEmpty()) {
      noise += other.noise;
      return this;
    }
    for (int c = 0; c < clusters; c++) {
      counts[c] += other.counts[c];
    }
    for (int i = 0; i < sums.length; i++) {
      sums[i].addAll(other.sums[i]);
    }
    noise += other.noise;
    return this;
  }

  /**
   * Merges the totals of every bundle; a lifted combine shuffles O(clusters·d) per bundle, never points. The
   * accumulator is its own copy: inputs are not changed.
   */
  static final class MergeFn extends Combine.CombineFn<ClusterTotals, ClusterTotals, ClusterTotals> {
    @Override
    public ClusterTotals createAccumulator() {
      return new ClusterTotals(0, 0);
    }

    @Override
    public ClusterTotals addInput(ClusterTotals accumulator, ClusterTotals input) {
      // An empty accumulator takes the shape of the first real totals it meets.
      ClusterTotals into = accumulator.isEmpty() && !input.isEmpty()
          ? new ClusterTotals(input.clusters, input.d).merge(accumulator) : accumulator;
      return into.merge(input);
    }

    @Override
    public ClusterTotals mergeAccumulators(Iterable<ClusterTotals> accumulators) {
      ClusterTotals merged = createAccumulator();
      for (ClusterTotals a : accumulators) {
        merged = addInput(merged, a);
      }
      return merged;
    }

    @Override
    public ClusterTotals extractOutput(ClusterTotals accumulator) {
      return accumulator;
    }
  }
}
