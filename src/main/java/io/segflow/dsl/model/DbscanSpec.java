package io.segflow.dsl.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * DBSCAN: dense regions of the scaled feature space are segments, entities in none are noise. Features are
 * prepared as k-means prepares them (transforms, scaling, nulls).
 *
 * @param eps the radius in the scaled space; empty: chosen from the sample's k-distance curve
 * @param minPoints the entities within eps, itself counted, that make a core point
 * @param refresh segment names and drift limits (there is no warm start)
 */
public record DbscanSpec(
    List<String> features,
    Map<String, KMeansSpec.TransformSpec> transforms,
    KMeansSpec.Scaling scaling,
    KMeansSpec.Nulls nulls,
    long seed,
    int sampleSize,
    OptionalDouble eps,
    int minPoints,
    KMeansSpec.Refresh refresh) implements SegmentationSpec {
  /** The label of segment -1, the entities in no dense region (the pipeline's {@code SegmentIds.NOISE_LABEL}). */
  public static final String NOISE_SEGMENT = "noise";

  public DbscanSpec {
    features = List.copyOf(features);
    transforms = Collections.unmodifiableMap(new LinkedHashMap<>(transforms));
  }

  /** Twice the dimensions (Sander et al. 1998), the usual start when nothing is known about the data. */
  public static int defaultMinPoints(int features) {
    return 2 * features;
  }
}
