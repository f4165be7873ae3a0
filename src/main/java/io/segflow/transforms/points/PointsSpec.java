package io.segflow.transforms.points;

import java.io.Serializable;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How rows become prepared points, for every method that measures distances: the entity, the features with
 * their transforms and clips, the weight, the null policy, the scaler, the seed of the sample, and sizes.
 *
 * @param weightFieldOrNull a positive numeric field weighting each point; null: every point weighs 1
 * @param keepInputs whether the blocks keep the input's values apart from transformed ones (the
 *     assignments carry the inputs and a transform changes them)
 */
public record PointsSpec(String entityField, List<FeatureSpec> features, @Nullable String weightFieldOrNull,
    NullPolicy nulls, Scaling scaling, long seed, int blockSize, int sampleSize, boolean keepInputs)
    implements Serializable {

  public PointsSpec {
    features = List.copyOf(features);
  }

  public int dimensions() {
    return features.size();
  }

  public boolean clips() {
    return features.stream().anyMatch(f -> f.clip().isPresent());
  }

  public List<String> fields() {
    return features.stream().map(FeatureSpec::field).toList();
  }
}
