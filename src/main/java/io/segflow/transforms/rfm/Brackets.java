package io.segflow.transforms.rfm;

import io.segflow.transforms.sampling.ValueSample;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Where each score bound must lie, read from a seeded sample of the entities: for measure m and bound s
 * (1 to bins - 1), the bound is the value at rank {@code ranks[m][s - 1]} of all n values (ranked as {@link
 * RfmThresholds} says), and lies in {@code [low[m][s - 1], high[m][s - 1]]}. When the sample holds every
 * entity the bracket is that value itself; otherwise it is the sample's values that many standard deviations
 * of the sample's rank either side, so a second pass keeps only the values inside it.
 *
 * @param entities how many entities there are (n)
 */
record Brackets(long entities, long[][] ranks, double[][] low, double[][] high) implements Serializable {
  /**
   * Sample ranks either side of the expected one, in standard deviations of a sample's rank (plus one): by
   * Bernstein's inequality a bound falls outside its bracket less than once in 10^12, and {@link
   * CutCounts#boundAtRank} says so if it does.
   */
  static final double STANDARD_DEVIATIONS = 8.0;

  /** From a sample of the entities' raw values (one feature per measure) and how many entities there are. */
  static Brackets of(ValueSample sample, long entities, int bins) {
    int measures = sample.features();
    long[][] ranks = new long[measures][bins - 1];
    double[][] low = new double[measures][bins - 1];
    double[][] high = new double[measures][bins - 1];
    boolean everyEntity = !sample.isSample();
    for (int m = 0; m < measures; m++) {
      double[] sorted = sample.presentValues(m);
      for (int i = 0; i < sorted.length; i++) {
        sorted[i] = RfmThresholds.ranked(m, sorted[i]);
      }
      Arrays.sort(sorted);
      if (everyEntity && sorted.length != entities) {
        throw new IllegalStateException("Invalid RFM sample: it holds " + sorted.length + " values of "
            + entities + " entities without having left any out");
      }
      for (int s = 1; s < bins; s++) {
        long rank = (long) s * entities / bins; // 1-based; 0 when there are fewer entities than bins
        ranks[m][s - 1] = rank;
        if (rank == 0) {
          low[m][s - 1] = Double.NEGATIVE_INFINITY;
          high[m][s - 1] = Double.NEGATIVE_INFINITY;
        } else if (everyEntity) {
          low[m][s - 1] = sorted[(int) rank - 1];
          high[m][s - 1] = sorted[(int) rank - 1];
        } else {
          double p = (double) rank / entities;
          double centre = p * sorted.length;
          double margin = STANDARD_DEVIATIONS * (Math.sqrt(sorted.length * p * (1 - p)) + 1);
          long below = (long) Math.floor(centre - margin);
          long above = (long) Math.ceil(centre + margin);
          low[m][s - 1] = below < 1 ? Double.NEGATIVE_INFINITY : sorted[(int) below - 1];
          high[m][s - 1] = above > sorted.length ? Double.POSITIVE_INFINITY : sorted[(int) above - 1];
        }
      }
    }
    return new Brackets(entities, ranks, low, high);
  }

  int measures() {
    return ranks.length;
  }

  int boundsPerMeasure() {
    return measures() == 0 ? 0 : ranks[0].length;
  }

  /** A bound's key: its measure and its index among the measure's bounds, as one number. */
  int key(int measure, int bound) {
    return measure * boundsPerMeasure() + bound;
  }

  int measureOf(int key) {
    return key / boundsPerMeasure();
  }

  int boundOf(int key) {
    return key % boundsPerMeasure();
  }
}
