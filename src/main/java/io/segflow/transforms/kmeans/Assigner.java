package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.PointAssigner;
import io.segflow.transforms.points.Preparation;

/**
 * Assigns points to the nearest of k centroids in the scaled space (or, for a bisecting model, to the leaf
 * its descent of the tree reaches): the segment, the distance to its centroid and the margin to the second
 * nearest (to the sibling at the last split). One per thread: it keeps scratch space.
 */
final class Assigner implements PointAssigner {
  private final Preparation preparation;
  private final double[] centroids;
  private final int k;
  private final double[] scaled;
  private final Nearest nearest = new Nearest();
  private final TreeDescent descent;
  double distance;
  double margin;

  /** @param centroids k centroids of the scaled space, row-major */
  Assigner(Preparation preparation, double[] centroids, int k) {
    this.preparation = preparation;
    this.centroids = centroids;
    this.k = k;
    this.scaled = new double[preparation.dimensions()];
    this.descent = null;
  }

  private Assigner(Preparation preparation, SegmentTree tree) {
    this.preparation = preparation;
    this.centroids = null;
    this.k = tree.leaves();
    this.scaled = new double[preparation.dimensions()];
    this.descent = new TreeDescent(tree);
  }

  static Assigner of(KMeansModel model) {
    if (model.tree() != null) {
      return new Assigner(model.preparation(), model.tree());
    }
    int d = model.preparation().dimensions();
    double[] flat = new double[model.k() * d];
    for (int c = 0; c < model.k(); c++) {
      System.arraycopy(model.centroids()[c], 0, flat, c * d, d);
    }
    return new Assigner(model.preparation(), flat, model.k());
  }

  /** The segment of the transformed point at values[offset..], NaN where missing; sets distance and margin. */
  @Override
  public int assign(double[] values, int offset) {
    preparation.apply(values, offset, scaled);
    if (descent != null) {
      int leaf = descent.leaf(scaled, 0);
      distance = descent.distance;
      margin = descent.margin;
      return leaf;
    }
    int best = nearest.of(scaled, 0, centroids, k, scaled.length);
    distance = Math.sqrt(nearest.first);
    margin = Math.sqrt(nearest.second) - distance;
    return best;
  }

  @Override
  public double distance() {
    return distance;
  }

  @Override
  public double margin() {
    return margin;
  }
}
