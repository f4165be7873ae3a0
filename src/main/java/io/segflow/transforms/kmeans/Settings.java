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
    int silhouetteSampleSize,
    boolean featuresInAssignments) implements Serializable {

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

  /** Whether the points keep their input values apart: the assignments carry them and a transform changes them. */
  boolean keepsInputs() {
    return featuresInAssignments && features.stream().anyMatch(f -> f.transform() != FeatureTransform.NONE);
  }

  Builder toBuilder() {
    Builder b = new Builder();
    b.entityField = entityField;
    b.features = features;
    b.weightFieldOrNull = weightFieldOrNull;
    b.kMin = kMin;
    b.kMax = kMax;
    b.selection = selection;
    b.seed = seed;
    b.scaling = scaling;
    b.nulls = nulls;
    b.init = init;
    b.restarts = restarts;
    b.maxIterations = maxIterations;
    b.tolerance = tolerance;
    b.refinementPasses = refinementPasses;
    b.emptyClusters = emptyClusters;
    b.blockSize = blockSize;
    b.sampleSize = sampleSize;
    b.silhouetteSampleSize = silhouetteSampleSize;
    b.featuresInAssignments = featuresInAssignments;
    return b;
  }

  /** A mutable copy, so each {@code withX} of the transform changes one option and keeps the rest. */
  static final class Builder {
    String entityField;
    List<FeatureSpec> features;
    String weightFieldOrNull;
    int kMin;
    int kMax;
    SelectionCriterion selection;
    long seed;
    Scaling scaling;
    NullPolicy nulls;
    Init init;
    int restarts;
    int maxIterations;
    double tolerance;
    int refinementPasses;
    EmptyClusterPolicy emptyClusters;
    int blockSize;
    int sampleSize;
    int silhouetteSampleSize;
    boolean featuresInAssignments;

    Settings build() {
      return new Settings(entityField, features, weightFieldOrNull, kMin, kMax, selection, seed, scaling, nulls, init, restarts, maxIterations, tolerance, refinementPasses, emptyClusters, blockSize, sampleSize, silhouetteSampleSize, featuresInAssignments);
    }
  }
}
