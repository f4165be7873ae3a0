package io.segflow.transforms.density;

import java.util.Arrays;

/**
 * {@code eps: auto}: the knee of the sorted k-distance curve (Ester et al. 1996; the knee found as in
 * Satopää et al. 2011, "Kneedle"). Each point's k-distance is the distance to its {@code minPoints}-th
 * nearest point, itself counted, so a radius at or above it makes the point a core point. Sorted, the curve
 * rises slowly through the dense points and steeply through the sparse ones; the knee, the point farthest
 * below the chord from the first to the last value once both axes are scaled to [0, 1], is where density
 * gives way to noise.
 *
 * @param eps the radius chosen: the k-distance at the knee
 * @param percentile the share of points whose k-distance is at most eps (they are core points at eps)
 * @param curve the sorted k-distance curve at 21 evenly spaced ranks (0%, 5%, ..., 100%), for the report
 */
record EpsKnee(double eps, double percentile, double[] curve) {
  static final int CURVE_POINTS = 21;

  static EpsKnee of(double[] points, int d, int minPoints) {
    KdTree tree = new KdTree(points, d);
    int n = tree.size();
    double[] kDistance = new double[n];
    for (int i = 0; i < n; i++) {
      kDistance[i] = tree.kthNearestDistance(i, Math.min(minPoints, n));
    }
    Arrays.sort(kDistance);
    double low = kDistance[0];
    double span = kDistance[n - 1] - low;
    int knee = n - 1;
    if (span > 0 && n > 2) {
      double farthest = -1;
      for (int i = 0; i < n; i++) {
        double below = (double) i / (n - 1) - (kDistance[i] - low) / span;
        if (below > farthest) {
          farthest = below;
          knee = i;
        }
      }
    }
    double[] curve = new double[CURVE_POINTS];
    for (int c = 0; c < CURVE_POINTS; c++) {
      curve[c] = kDistance[(int) Math.round((double) c / (CURVE_POINTS - 1) * (n - 1))];
    }
    double eps = kDistance[knee];
    int atMost = knee;
    while (atMost + 1 < n && kDistance[atMost + 1] <= eps) {
      atMost++;
    }
    return new EpsKnee(eps, (atMost + 1.0) / n, curve);
  }
}
