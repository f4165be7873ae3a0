package io.segflow.transforms.density;

import java.util.Arrays;

/**
 * DBSCAN (Ester, Kriegel, Sander, Xu 1996) on points in memory, with a k-d tree for its neighbourhoods. A
 * point is a core point when at least {@code minPoints} points, itself included, lie within {@code eps}
 * (scikit-learn's {@code min_samples}); clusters are the core points reachable from one another through
 * core points, plus the points within eps of them. Clusters are numbered in the order of their first point,
 * and a border point within eps of several clusters joins the first that reaches it, so the result depends
 * only on the points' order, which for a sample is the seeded hash order.
 */
final class LocalDbscan {
  /** The label of a point in no cluster. */
  static final int NOISE = -1;

  /**
   * @param labels each point's cluster, {@link #NOISE} for noise
   * @param core whether each point is a core point
   * @param clusters how many clusters were found
   */
  record Result(int[] labels, boolean[] core, int clusters) {}

  private LocalDbscan() {}

  static Result cluster(double[] points, int d, double eps, int minPoints) {
    KdTree tree = new KdTree(points, d);
    int n = tree.size();
    boolean[] core = new boolean[n];
    int[][] neighbours = new int[n][];
    for (int i = 0; i < n; i++) {
      neighbours[i] = neighbours(tree, points, i, d, eps);
      core[i] = neighbours[i].length >= minPoints;
    }
    int[] labels = new int[n];
    Arrays.fill(labels, NOISE);
    int clusters = 0;
    int[] queue = new int[n];
    for (int i = 0; i < n; i++) {
      if (!core[i] || labels[i] != NOISE) {
        continue;
      }
      // Grow a new cluster breadth-first from this core point through the core points it reaches.
      int head = 0;
      int tail = 0;
      labels[i] = clusters;
      queue[tail++] = i;
      while (head < tail) {
        int p = queue[head++];
        for (int q : neighbours[p]) {
          if (labels[q] == NOISE) {
            labels[q] = clusters;
            if (core[q]) {
              queue[tail++] = q;
            }
          }
        }
      }
      clusters++;
    }
    return new Result(labels, core, clusters);
  }

  /** The points within eps of point i, itself included, in ascending order (so the result is order-free). */
  private static int[] neighbours(KdTree tree, double[] points, int i, int d, double eps) {
    int[] found = new int[8];
    int[] count = {0};
    int[][] holder = {found};
    tree.withinRadius(points, i * d, eps, j -> {
      if (count[0] == holder[0].length) {
        holder[0] = Arrays.copyOf(holder[0], 2 * count[0]);
      }
      holder[0][count[0]++] = j;
    });
    int[] out = Arrays.copyOf(holder[0], count[0]);
    Arrays.sort(out);
    return out;
  }
}
