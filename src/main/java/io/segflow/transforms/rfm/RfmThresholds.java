package io.segflow.transforms.rfm;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Where each measure's scores change. An entity's score is the quantile its rank falls in, ceil(rank *
 * bins / n), ranking recency in reverse (the most recent first) and the others in ascending order; equal
 * values take the rank of the first of them, so they share the lowest score of their run of ties (and the
 * scores above may be small or empty). Kept as bounds: for measure i, {@code bounds[i][s - 1]} is the value
 * at rank floor(s * n / bins) of its n values sorted in that order (recency negated), negative infinity
 * where that rank is 0; a value scores 1 plus the number of bounds it is above.
 *
 * @param entities how many entities the bounds were taken from
 */
public record RfmThresholds(int bins, long entities, double[][] bounds) implements Serializable {
  public static final int RECENCY = 0;

  public RfmThresholds {
    double[][] copy = new double[bounds.length][];
    for (int i = 0; i < bounds.length; i++) {
      copy[i] = bounds[i].clone();
    }
    bounds = copy;
  }

  /** The value measure {@code measure} is ranked by: recency negated, so that ascending order is most recent first. */
  static double ranked(int measure, double value) {
    return measure == RECENCY ? 0.0 - value : value;
  }

  /** The score of a value of measure {@code measure}, 1 to bins. */
  public int score(int measure, double value) {
    double v = ranked(measure, value);
    int above = 0;
    for (double bound : bounds[measure]) {
      if (v > bound) {
        above++;
      }
    }
    return 1 + above;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RfmThresholds t && bins == t.bins && entities == t.entities && Arrays.deepEquals(bounds, t.bounds);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(entities) + Arrays.deepHashCode(bounds);
  }

  @Override
  public String toString() {
    return "RfmThresholds{bins=" + bins + ", entities=" + entities + ", bounds=" + Arrays.deepToString(bounds) + "}";
  }
}
