package io.segflow.report;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.correlation.Covariance;

/**
 * The sample's first two principal components (Commons Math's eigen decomposition of the covariance of the
 * standardized features): where each sampled member lies in the plane that shows the most of its spread.
 * Points with a missing feature are left out, as PCA has no place for them.
 *
 * @param x each kept point's first coordinate; {@code y} its second; {@code segments} its segment
 * @param explained the share of the total variance each component shows
 * @param loadings per component, each feature's weight
 */
public record Projection(double[] x, double[] y, int[] segments, double[] explained, double[][] loadings) {

  /** Empty when fewer than two features or three complete points make no plane. */
  public static java.util.Optional<Projection> of(RunFolder.Sample sample) {
    int d = sample.features().size();
    java.util.List<Integer> complete = new java.util.ArrayList<>();
    for (int i = 0; i < sample.size(); i++) {
      if (java.util.Arrays.stream(sample.values()[i]).allMatch(Double::isFinite)) {
        complete.add(i);
      }
    }
    if (d < 2 || complete.size() < 3) {
      return java.util.Optional.empty();
    }
    double[][] z = new double[complete.size()][d];
    for (int j = 0; j < d; j++) {
      double mean = 0;
      for (int i : complete) {
        mean += sample.values()[i][j];
      }
      mean /= complete.size();
      double var = 0;
      for (int i : complete) {
        var += Math.pow(sample.values()[i][j] - mean, 2);
      }
      double sd = Math.sqrt(var / (complete.size() - 1));
      for (int r = 0; r < complete.size(); r++) {
        // A constant feature carries no spread: zero, not a division by zero.
        z[r][j] = sd > 0 ? (sample.values()[complete.get(r)][j] - mean) / sd : 0;
      }
    }
    RealMatrix covariance = new Covariance(z).getCovarianceMatrix();
    EigenDecomposition eigen = new EigenDecomposition(covariance);
    double[] values = eigen.getRealEigenvalues();
    Integer[] order = new Integer[d];
    for (int j = 0; j < d; j++) {
      order[j] = j;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
    double total = java.util.Arrays.stream(values).map(v -> Math.max(v, 0)).sum();
    double[][] loadings = new double[2][];
    double[] explained = new double[2];
    for (int c = 0; c < 2; c++) {
      double[] v = eigen.getEigenvector(order[c]).toArray();
      // The sign of an eigenvector is arbitrary: fix it so the largest weight is positive, for stable pictures.
      int largest = 0;
      for (int j = 1; j < d; j++) {
        if (Math.abs(v[j]) > Math.abs(v[largest])) {
          largest = j;
        }
      }
      if (v[largest] < 0) {
        for (int j = 0; j < d; j++) {
          v[j] = -v[j];
        }
      }
      loadings[c] = v;
      explained[c] = total > 0 ? Math.max(values[order[c]], 0) / total : 0;
    }
    double[] x = new double[z.length];
    double[] y = new double[z.length];
    int[] segments = new int[z.length];
    for (int r = 0; r < z.length; r++) {
      for (int j = 0; j < d; j++) {
        x[r] += z[r][j] * loadings[0][j];
        y[r] += z[r][j] * loadings[1][j];
      }
      segments[r] = sample.segments()[complete.get(r)];
    }
    return java.util.Optional.of(new Projection(x, y, segments, explained, loadings));
  }
}
