package io.segflow.transforms.kmeans;

/**
 * Descends a {@link SegmentTree} for one point at a time: the nearer child at every split. One per thread:
 * it keeps scratch space. After a call, {@link #path} holds the nodes passed (root first), {@link #distance}
 * the distance to the leaf's centroid and {@link #margin} how much farther the sibling at the last split is.
 */
final class TreeDescent {
  private final int[][] children;
  private final double[] centroids;
  private final int d;
  private final int root;
  final int[] path;
  int length;
  double distance;
  double margin;

  TreeDescent(SegmentTree tree) {
    this.children = tree.childTable();
    this.d = tree.centroids()[0].length;
    this.centroids = new double[tree.nodes() * d];
    for (int node = 0; node < tree.nodes(); node++) {
      System.arraycopy(tree.centroids()[node], 0, centroids, node * d, d);
    }
    this.root = tree.root();
    this.path = new int[tree.nodes()];
  }

  /** The leaf of the scaled point at {@code points[offset..]}. */
  int leaf(double[] points, int offset) {
    int at = root;
    length = 0;
    path[length++] = at;
    double own = squared(points, offset, at);
    double other = Double.POSITIVE_INFINITY;
    while (children[at].length == 2) {
      int a = children[at][0];
      int b = children[at][1];
      double da = squared(points, offset, a);
      double db = squared(points, offset, b);
      at = da <= db ? a : b; // ties to the lower index, so descent is deterministic
      own = Math.min(da, db);
      other = Math.max(da, db);
      path[length++] = at;
    }
    distance = Math.sqrt(own);
    margin = Double.isInfinite(other) ? 0 : Math.sqrt(other) - distance;
    return at;
  }

  /** The squared distance of the point at {@code points[offset..]} to the node's centroid. */
  double squared(double[] points, int offset, int node) {
    double s = 0;
    int base = node * d;
    for (int j = 0; j < d; j++) {
      double delta = points[offset + j] - centroids[base + j];
      s += delta * delta;
    }
    return s;
  }
}
