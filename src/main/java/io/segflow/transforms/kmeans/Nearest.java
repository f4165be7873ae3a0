package io.segflow.transforms.kmeans;

/**
 * The nearest centroid of a point: the one loop every pass, the in-memory solve, the metrics and the
 * model share. Centroids are row-major (k × d); ties go to the lower index, so assignment is
 * deterministic.
 */
final class Nearest {
  /** Squared distance to the nearest centroid and to the second nearest, after a call. */
  double first;
  double second;

  /** The index of the centroid nearest to the point at {@code offset} in {@code points}. */
  int of(double[] points, int offset, double[] centroids, int k, int d) {
    int best = 0;
    first = Double.POSITIVE_INFINITY;
    second = Double.POSITIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      double dist = 0;
      int base = c * d;
      for (int j = 0; j < d; j++) {
        double delta = points[offset + j] - centroids[base + j];
        dist += delta * delta;
      }
      if (dist < first) {
        second = first;
        first = dist;
        best = c;
      } else if (dist < second) {
        second = dist;
      }
    }
    return best;
  }
}
