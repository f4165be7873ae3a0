package io.segflow.transforms.kmeans;

import java.io.Serializable;
import java.util.List;

/** Every option of a fit, immutable; {@link KMeans.Fit} builds it and each stage reads what it needs. */
record Settings(
    String entityField,
    List<FeatureSpec> features,
    String weightFieldOrNull,
    int kMin,
    int kMax,
    SelectionCriterion selection,
    long seed,
    Scaling scaling,
    NullPolicy nulls,
    Init init,
    int restarts,
    int maxIterations,
    double tolerance,
    int refinementPasses,
    EmptyClusterPolicy emptyClusters,
    int blockSize,
    int sampleSize,
    int silhouetteSampleSize) implements Serializable {

  Settings {
    features = List.copyOf(features);
  }

  int dimensions() {
    return features.size();
  }

  boolean isSweep() {
    return kMax > kMin;
  }

  boolean clips() {
    return features.stream().anyMatch(f -> f.clip().isPresent());
  }
}
