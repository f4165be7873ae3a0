package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.ClusterSums;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.Combine;

/** One pass's cluster sums, one per candidate model; merges exactly. */
final class PassSums implements Serializable {
  private static final long serialVersionUID = 1L;
  final List<ClusterSums> perCandidate;

  PassSums(List<ClusterSums> perCandidate) {
    this.perCandidate = perCandidate;
  }

  static PassSums empty() {
    return new PassSums(new ArrayList<>());
  }

  boolean isEmpty() {
    return perCandidate.isEmpty();
  }

  PassSums merge(PassSums other) {
    if (isEmpty()) {
      return other;
    }
    if (!other.isEmpty()) {
      for (int c = 0; c < perCandidate.size(); c++) {
        perCandidate.get(c).merge(other.perCandidate.get(c));
      }
    }
    return this;
  }

  /** Merges the per-bundle sums of a pass; a lifted combine shuffles O(k·d) per bundle, never points. */
  static final class MergeFn extends Combine.CombineFn<PassSums, PassSums, PassSums> {
    @Override
    public PassSums createAccumulator() {
      return empty();
    }

    @Override
    public PassSums addInput(PassSums accumulator, PassSums input) {
      return accumulator.merge(input);
    }

    @Override
    public PassSums mergeAccumulators(Iterable<PassSums> accumulators) {
      PassSums merged = empty();
      for (PassSums a : accumulators) {
        merged = merged.merge(a);
      }
      return merged;
    }

    @Override
    public PassSums extractOutput(PassSums accumulator) {
      return accumulator;
    }
  }

  /** Value equality, so a coder round trip can be checked (and Beam's SerializableCoder trusts it). */
  @Override
  public boolean equals(Object o) {
    return o instanceof PassSums other && perCandidate.equals(other.perCandidate);
  }

  @Override
  public int hashCode() {
    return perCandidate.hashCode();
  }
}
