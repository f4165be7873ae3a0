package io.segflow.transforms.density;

import io.segflow.transforms.points.PointAssigner;
import io.segflow.transforms.points.Preparation;

/**
 * Assigns a point as a DBSCAN model does: prepared as the fit prepared it, then the cluster of its nearest
 * core point when that lies within eps, else noise; {@link #distance} is to that nearest core point either way,
 * so noise says how far it is from any dense region. One per thread: it keeps scratch space. Building one
 * indexes every core point, so a pass keeps it for as long as its side input holds the same model.
 */
final class CoreAssigner implements PointAssigner {
  private final Preparation preparation;
  private final KdTree cores;
  private final int[] coreClusters;
  private final double eps;
  private final KdTree.Nearest nearest = new KdTree.Nearest();
  /** The scaled point last assigned. */
  final double[] point;
  double distance;

  CoreAssigner(DensityModel model) {
    this.preparation = model.preparation();
    int d = preparation.dimensions();
    double[] flat = new double[model.corePoints().length * d];
    for (int i = 0; i < model.corePoints().length; i++) {
      System.arraycopy(model.corePoints()[i], 0, flat, i * d, d);
    }
    this.cores = new KdTree(flat, d);
    this.coreClusters = model.coreClusters();
    this.eps = model.eps();
    this.point = new double[d];
  }

  /** The cluster of the transformed point at values[offset..] (NaN where missing), or {@link LocalDbscan#NOISE}. */
  @Override
  public int assign(double[] values, int offset) {
    preparation.apply(values, offset, point);
    if (cores.size() == 0) {
      distance = Double.POSITIVE_INFINITY;
      return LocalDbscan.NOISE;
    }
    cores.nearest(point, 0, nearest);
    distance = Math.sqrt(nearest.squaredDistance);
    return distance <= eps ? coreClusters[nearest.index] : LocalDbscan.NOISE;
  }

  @Override
  public double distance() {
    return distance;
  }

  /** DBSCAN has no runner-up to measure against. */
  @Override
  public double margin() {
    return Double.NaN;
  }
}
