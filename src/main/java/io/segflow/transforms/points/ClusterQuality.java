package io.segflow.transforms.points;

import java.util.List;

/**
 * Quality figures of a partition into clusters: Davies–Bouldin and Calinski–Harabasz from one pass's exact
 * {@link ClusterSums} and the centres, the silhouette from a labelled sample (scikit-learn's definitions).
 */
public final class ClusterQuality {
  private ClusterQuality() {}

  /** Davies–Bouldin: mean over clusters of the worst (scatter_i + scatter_j) / separation_ij; lower is better. */
  public static double daviesBouldin(ClusterSums sums, double[] centroids) {
    int k = sums.k();
    int d = sums.dimensions();
    double[] scatter = new double[k];
    boolean[] present = new boolean[k];
    int used = 0;
    for (int c = 0; c < k; c++) {
      present[c] = sums.hasMean(c);
      scatter[c] = present[c] ? sums.meanDistance(c) : 0;
      used += present[c] ? 1 : 0;
    }
    if (used < 2) {
      return Double.NaN;
    }
    double total = 0;
    for (int i = 0; i < k; i++) {
      if (!present[i]) {
        continue;
      }
      double worst = 0;
      for (int j = 0; j < k; j++) {
        if (j == i || !present[j]) {
          continue;
        }
        double separation = Math.sqrt(squaredDistance(centroids, i, centroids, j, d));
        double ratio = separation == 0 ? Double.POSITIVE_INFINITY : (scatter[i] + scatter[j]) / separation;
        worst = Math.max(worst, ratio);
      }
      total += worst;
    }
    return total / used;
  }

  /** Calinski–Harabasz: between-cluster over within-cluster dispersion, each per degree of freedom. */
  public static double calinskiHarabasz(ClusterSums sums, double[] centroids, double[] globalMean) {
    int k = sums.k();
    int d = sums.dimensions();
    double between = 0;
    double totalWeight = 0;
    for (int c = 0; c < k; c++) {
      double w = sums.weight(c);
      totalWeight += w;
      between += w * squaredDistance(centroids, c, globalMean, 0, d);
    }
    double within = sums.inertia();
    if (k < 2 || within == 0 || totalWeight <= k) {
      return Double.NaN;
    }
    return (between / (k - 1)) / (within / (totalWeight - k));
  }

  /** The mean silhouette of points with the given cluster labels (0..k-1). */
  public static double silhouette(List<double[]> points, int[] labels, int k) {
    int n = points.size();
    if (n < 2) {
      return Double.NaN;
    }
    int[] sizes = new int[k];
    for (int label : labels) {
      sizes[label]++;
    }
    long nonEmpty = java.util.Arrays.stream(sizes).filter(s -> s > 0).count();
    if (nonEmpty < 2) {
      return Double.NaN;
    }
    double total = 0;
    double[] sumTo = new double[k];
    for (int i = 0; i < n; i++) {
      java.util.Arrays.fill(sumTo, 0);
      double[] p = points.get(i);
      for (int m = 0; m < n; m++) {
        if (m != i) {
          sumTo[labels[m]] += Math.sqrt(squared(p, points.get(m)));
        }
      }
      int own = labels[i];
      if (sizes[own] <= 1) {
        continue;
      }
      double a = sumTo[own] / (sizes[own] - 1);
      double b = Double.POSITIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        if (c != own && sizes[c] > 0) {
          b = Math.min(b, sumTo[c] / sizes[c]);
        }
      }
      double s = Math.max(a, b) == 0 ? 0 : (b - a) / Math.max(a, b);
      total += s;
    }
    return total / n;
  }

  private static double squared(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      double delta = a[j] - b[j];
      s += delta * delta;
    }
    return s;
  }

  private static double squaredDistance(double[] a, int i, double[] b, int j, int d) {
    double s = 0;
    for (int x = 0; x < d; x++) {
      double delta = a[i * d + x] - b[j * d + x];
      s += delta * delta;
    }
    return s;
  }
}
