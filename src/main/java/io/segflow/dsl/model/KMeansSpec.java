package io.segflow.dsl.model;

import java.util.List;

/** k-means over numeric feature columns. */
public record KMeansSpec(List<String> features, KSpec k, long seed) implements SegmentationSpec {
  public static final long DEFAULT_SEED = 42;

  public KMeansSpec {
    features = List.copyOf(features);
  }
}
