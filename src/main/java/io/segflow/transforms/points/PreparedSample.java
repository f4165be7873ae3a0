package io.segflow.transforms.points;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What the passes over the full data hand the in-memory part of a method: the fitted preparation and the
 * seeded sample prepared with it (imputed, clipped, scaled), in hash order, so any prefix is itself a
 * seeded sample.
 *
 * @param points how many points the full data holds
 * @param passes the passes over the full data made so far (2 when features are clipped)
 * @param sample the sampled points in the scaled space, row-major
 * @param weights each sampled point's weight
 * @param globalMean the full data's mean of each feature in the scaled space (values present only)
 */
public record PreparedSample(Preparation preparation, long points, int passes, double[] sample, double[] weights,
    double[] globalMean) implements Serializable {

  public int size() {
    return weights.length;
  }

  public int dimensions() {
    return preparation.dimensions();
  }

  /** The first {@code n} sampled points (fewer when the sample is smaller), each its own array. */
  public List<double[]> firstPoints(int n) {
    int d = dimensions();
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < Math.min(n, size()); i++) {
      double[] p = new double[d];
      System.arraycopy(sample, i * d, p, 0, d);
      out.add(p);
    }
    return out;
  }
}
