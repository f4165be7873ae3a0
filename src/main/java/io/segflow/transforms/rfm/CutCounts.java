package io.segflow.transforms.rfm;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What a step saw of one bound's bracket (see {@link Brackets}): how many ranked values were below it,
 * equal to its low end, equal to its high end (when that differs), and the values strictly inside it.
 * Partial counts add up; the values inside are a bounded chunk of them.
 *
 * @param inside values strictly between the bracket's ends, in no particular order
 */
record CutCounts(long below, long atLow, long atHigh, double[] inside) implements Serializable {
  CutCounts {
    inside = inside.clone();
  }

  /**
   * The value at {@code rank} (1-based) of all values, from the counts over all of them and the values
   * inside the bracket, sorted; a rank of 0 is negative infinity (the bound below the first score).
   *
   * @throws IllegalStateException if the rank is not in the bracket: the sample misled (see {@link Brackets})
   */
  static double boundAtRank(long rank, long below, long atLow, double low, double[] sortedInside, long atHigh,
      double high, String measure) {
    if (rank == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    long upToLow = below + atLow;
    long upToInside = upToLow + sortedInside.length;
    if (rank > below && rank <= upToLow) {
      return low;
    }
    if (rank > upToLow && rank <= upToInside) {
      return sortedInside[(int) (rank - upToLow - 1)];
    }
    if (rank > upToInside && rank <= upToInside + atHigh) {
      return high;
    }
    throw new IllegalStateException("RFM thresholds of " + measure + ": the value at rank " + rank
        + " is not between " + low + " and " + high + " (" + below + " values below, "
        + (upToInside + atHigh - below) + " between): the seeded sample gave a bracket that misses it, which"
        + " should happen less than once in 10^12 runs; please report it with the input");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CutCounts c && below == c.below && atLow == c.atLow && atHigh == c.atHigh
        && Arrays.equals(inside, c.inside);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(below + 7 * atLow + 13 * atHigh) + Arrays.hashCode(inside);
  }

  @Override
  public String toString() {
    return "CutCounts{below=" + below + ", atLow=" + atLow + ", atHigh=" + atHigh + ", inside=" + inside.length + "}";
  }
}
