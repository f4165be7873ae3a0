package io.segflow.transforms.kmeans;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import io.segflow.transforms.points.FeatureSpec;
import io.segflow.transforms.points.FeatureTransform;
import io.segflow.transforms.points.NullPolicy;
import io.segflow.transforms.points.PointsSpec;
import io.segflow.transforms.points.Scaling;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Every option of a fit, immutable; {@link KMeans.Fit} builds it and each stage reads what it needs. */
@AutoValue
abstract class Settings implements Serializable {
  private static final long serialVersionUID = 1L;

  abstract String entityField();

  abstract List<FeatureSpec> features();

  abstract @Nullable String weightFieldOrNull();

  abstract int kMin();

  abstract int kMax();

  abstract SelectionCriterion selection();

  /** The smallest share of the weight a sweep's k may leave in its smallest cluster; 0 for no floor. */
  abstract double minClusterShare();

  abstract long seed();

  abstract Scaling scaling();

  abstract NullPolicy nulls();

  abstract Init init();

  abstract int restarts();

  abstract int maxIterations();

  abstract double tolerance();

  abstract int refinementPasses();

  abstract EmptyClusterPolicy emptyClusters();

  abstract int blockSize();

  /** Whether the clusters are the leaves of a bisecting tree rather than a flat solve. */
  abstract boolean bisecting();

  /** The smallest cluster a bisecting fit splits: entities when at least 1, else a share of them. */
  abstract double minDivisibleSize();

  abstract int sampleSize();

  abstract int silhouetteSampleSize();

  /** Null when the assignments do not carry the features; else the prefix of their carried fields. */
  abstract @Nullable String assignedFeaturePrefix();

  /** Centroids to start the in-memory solve from, in the features' transformed units; null for restarts. */
  abstract @Nullable List<double[]> warmStartOrNull();

  abstract Builder toBuilder();

  static Builder builder() {
    return new AutoValue_Settings.Builder();
  }

  int dimensions() {
    return features().size();
  }

  boolean isSweep() {
    return kMax() > kMin();
  }

  /**
   * How rows become points for this fit; the blocks keep the input's values apart when the assignments carry
   * them and a transform changes them.
   */
  PointsSpec points() {
    boolean keepInputs = assignedFeaturePrefix() != null
        && features().stream().anyMatch(f -> f.transform() != FeatureTransform.NONE);
    return new PointsSpec(entityField(), features(), weightFieldOrNull(), nulls(), scaling(), seed(), blockSize(),
        sampleSize(), keepInputs);
  }

  /** Each {@code withX} of the transform sets one option and keeps the rest. */
  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setEntityField(String field);

    abstract Builder setFeatures(List<FeatureSpec> features);

    abstract Builder setWeightFieldOrNull(String field);

    abstract Builder setKMin(int k);

    abstract Builder setKMax(int k);

    abstract Builder setSelection(SelectionCriterion criterion);

    abstract Builder setMinClusterShare(double share);

    abstract Builder setSeed(long seed);

    abstract Builder setScaling(Scaling scaling);

    abstract Builder setNulls(NullPolicy nulls);

    abstract Builder setInit(Init init);

    abstract Builder setRestarts(int restarts);

    abstract Builder setMaxIterations(int iterations);

    abstract Builder setTolerance(double tolerance);

    abstract Builder setRefinementPasses(int passes);

    abstract Builder setEmptyClusters(EmptyClusterPolicy policy);

    abstract Builder setBlockSize(int size);

    abstract Builder setBisecting(boolean bisecting);

    abstract Builder setMinDivisibleSize(double size);

    abstract Builder setSampleSize(int size);

    abstract Builder setSilhouetteSampleSize(int size);

    abstract Builder setAssignedFeaturePrefix(String prefix);

    abstract Builder setWarmStartOrNull(List<double[]> centroids);

    abstract List<FeatureSpec> features();

    abstract Settings autoBuild();

    Settings build() {
      return setFeatures(List.copyOf(features())).autoBuild();
    }
  }
}
