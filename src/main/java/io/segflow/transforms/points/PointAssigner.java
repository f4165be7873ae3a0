package io.segflow.transforms.points;

/**
 * How one fitted model assigns a point: prepared as the fit prepared it, then the model's rule (nearest
 * centroid, a tree's descent, the nearest core point within eps). One per thread: implementations keep
 * scratch space, and building one may index the model, so a pass keeps it while its model stays the same
 * ({@link PerModel}).
 */
public interface PointAssigner {
  /** The segment of the transformed point at {@code values[offset..]} (NaN where missing). */
  int assign(double[] values, int offset);

  /** The last point's distance to what decided its segment; not finite where there was nothing near. */
  double distance();

  /** How much nearer that was than the runner-up; NaN for a method without one. */
  double margin();
}
