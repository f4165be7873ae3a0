package io.segflow.transforms.kmeans;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import io.segflow.transforms.points.PointsSpec;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Every option of a fit, immutable; {@link KMeans.Fit} builds it and each stage reads what it needs. */
@AutoValue
abstract class Settings implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How rows become points, and whether the assignments carry the input features. */
  abstract PointsSpec points();

  abstract int kMin();

  abstract int kMax();

  abstract SelectionCriterion selection();

  /** The smallest share of the weight a sweep's k may leave in its smallest cluster; 0 for no floor. */
  abstract double minClusterShare();

  abstract Init init();

  abstract int restarts();

  abstract int maxIterations();

  abstract double tolerance();

  abstract int refinementPasses();

  abstract EmptyClusterPolicy emptyClusters();

  /** Whether the clusters are the leaves of a bisecting tree rather than a flat solve. */
  abstract boolean bisecting();

  /** The smallest cluster a bisecting fit splits: entities when at least 1, else a share of them. */
  abstract double minDivisibleSize();

  abstract int silhouetteSampleSize();

  /** Centroids to start the in-memory solve from, in the features' transformed units; null for restarts. */
  abstract @Nullable List<double[]> warmStartOrNull();

  abstract Builder toBuilder();

  static Builder builder() {
    return new AutoValue_Settings.Builder();
  }

  int dimensions() {
    return points().dimensions();
  }

  boolean isSweep() {
    return kMax() > kMin();
  }

  /** Each {@code withX} of the transform sets one option and keeps the rest. */
  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setPoints(PointsSpec points);

    abstract Builder setKMin(int k);

    abstract Builder setKMax(int k);

    abstract Builder setSelection(SelectionCriterion criterion);

    abstract Builder setMinClusterShare(double share);

    abstract Builder setInit(Init init);

    abstract Builder setRestarts(int restarts);

    abstract Builder setMaxIterations(int iterations);

    abstract Builder setTolerance(double tolerance);

    abstract Builder setRefinementPasses(int passes);

    abstract Builder setEmptyClusters(EmptyClusterPolicy policy);

    abstract Builder setBisecting(boolean bisecting);

    abstract Builder setMinDivisibleSize(double size);

    abstract Builder setSilhouetteSampleSize(int size);

    abstract Builder setWarmStartOrNull(List<double[]> centroids);

    abstract Settings build();
  }
}
