package io.segflow.transforms.points;

import io.segflow.transforms.aggregate.ExactSum;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One pass's summary of the points: per feature the (weighted) count, sum and sum of squares of the
 * values present, exactly, and their minimum and maximum; the point count and total weight; and the
 * seeded sample. Everything merges exactly, so the summary is independent of bundling.
 */
final class FeatureStats implements Serializable {
  private static final long serialVersionUID = 1L;

  final int dimensions;
  long points;
  final ExactSum totalWeight = new ExactSum();
  final long[] present;
  final ExactSum[] weightPresent;
  final ExactSum[] weightedSum;
  final ExactSum[] weightedSquares;
  final double[] min;
  final double[] max;
  final Sample sample;

  FeatureStats(int dimensions, int sampleCapacity) {
    this.dimensions = dimensions;
    present = new long[dimensions];
    weightPresent = new ExactSum[dimensions];
    weightedSum = new ExactSum[dimensions];
    weightedSquares = new ExactSum[dimensions];
    min = new double[dimensions];
    max = new double[dimensions];
    for (int j = 0; j < dimensions; j++) {
      weightPresent[j] = new ExactSum();
      weightedSum[j] = new ExactSum();
      weightedSquares[j] = new ExactSum();
      min[j] = Double.POSITIVE_INFINITY;
      max[j] = Double.NEGATIVE_INFINITY;
    }
    sample = new Sample(sampleCapacity);
  }

  /**
   * Adds a block. {@code clip} (may be null) bounds each feature's values first, for the second pass
   * that measures clipped features.
   */
  void add(PointBlock block, double[] clipLow, double[] clipHigh, boolean sampling) {
    int d = dimensions;
    for (int i = 0; i < block.size(); i++) {
      double w = block.weights[i];
      points++;
      totalWeight.add(w);
      int offset = i * d;
      for (int j = 0; j < d; j++) {
        double x = block.values[offset + j];
        if (Double.isNaN(x)) {
          continue;
        }
        if (clipLow != null) {
          x = Math.min(Math.max(x, clipLow[j]), clipHigh[j]);
        }
        present[j]++;
        weightPresent[j].add(w);
        weightedSum[j].add(w * x);
        weightedSquares[j].add(w * x * x);
        if (x < min[j]) {
          min[j] = x;
        }
        if (x > max[j]) {
          max[j] = x;
        }
      }
      if (sampling && sample.mayAccept(block.hashes[i])) {
        sample.add(new Sample.Point(block.hashes[i], block.keys[i],
            Arrays.copyOfRange(block.values, offset, offset + d), w));
      }
    }
  }

  void merge(FeatureStats other) {
    points += other.points;
    totalWeight.addAll(other.totalWeight);
    for (int j = 0; j < dimensions; j++) {
      present[j] += other.present[j];
      weightPresent[j].addAll(other.weightPresent[j]);
      weightedSum[j].addAll(other.weightedSum[j]);
      weightedSquares[j].addAll(other.weightedSquares[j]);
      min[j] = Math.min(min[j], other.min[j]);
      max[j] = Math.max(max[j], other.max[j]);
    }
    sample.addAll(other.sample);
  }

  /** Value equality, so a coder round trip can be checked (and Beam's SerializableCoder trusts it). */
  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureStats other && dimensions == other.dimensions && points == other.points
        && totalWeight.equals(other.totalWeight) && Arrays.equals(present, other.present)
        && Arrays.equals(weightPresent, other.weightPresent)
        && Arrays.equals(weightedSum, other.weightedSum)
        && Arrays.equals(weightedSquares, other.weightedSquares)
        && Arrays.equals(min, other.min) && Arrays.equals(max, other.max)
        && sample.equals(other.sample);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dimensions, points, Arrays.hashCode(present));
  }
}
