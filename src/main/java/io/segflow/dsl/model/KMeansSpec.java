package io.segflow.dsl.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** k-means over numeric feature columns, with the options of the fit (a key left out: the schema's default). */
public record KMeansSpec(
    List<String> features,
    KSpec k,
    long seed,
    Map<String, TransformSpec> transforms,
    Scaling scaling,
    Nulls nulls,
    Optional<String> weights,
    Init init,
    int restarts,
    int maxIterations,
    double tolerance,
    int refinementPasses,
    int sampleSize,
    EmptyCluster emptyCluster,
    Refresh refresh) implements SegmentationSpec {

  public KMeansSpec {
    features = List.copyOf(features);
    transforms = Collections.unmodifiableMap(new LinkedHashMap<>(transforms));
  }

  /** How features are put on one scale. */
  public enum Scaling { STANDARD, MINMAX, ROBUST, NONE }

  /** What happens to an entity with a missing feature value. */
  public enum Nulls { REJECT, IMPUTE_MEAN, IMPUTE_MEDIAN }

  /** How restarts pick their first centroids. */
  public enum Init { KMEANS_PLUS_PLUS, RANDOM }

  /** What happens to a cluster that loses all its entities. */
  public enum EmptyCluster { FARTHEST_POINT, ERROR }

  /** A transform function. */
  public enum Function { NONE, LOG1P, SQRT }

  /** One feature's transform and optional clipping at two quantiles. */
  public record TransformSpec(Function apply, Optional<Clip> clip) {}

  /** Clipping quantiles, each from 0 to 1. */
  public record Clip(double lower, double upper) {}

  /**
   * How a run relates to the published run it follows.
   *
   * @param warmStart start the fit from the previous centroids instead of restarts
   * @param maxCentroidShift refuse to publish when a kept segment's centroid moved further (previous run's
   *     scaled units)
   * @param maxFeaturePsi refuse to publish when a feature's population stability index is higher
   * @param segmentNames names that replace the generated labels, by segment id
   */
  public record Refresh(boolean warmStart, Optional<Double> maxCentroidShift, Optional<Double> maxFeaturePsi,
      Map<Integer, String> segmentNames) {
    public static final Refresh DEFAULT = new Refresh(false, Optional.empty(), Optional.empty(), Map.of());

    public Refresh {
      segmentNames = Collections.unmodifiableMap(new java.util.TreeMap<>(segmentNames));
    }
  }
}
