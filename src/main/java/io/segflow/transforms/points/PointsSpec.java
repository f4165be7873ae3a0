package io.segflow.transforms.points;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How rows become prepared points, for every method that measures distances: the entity, the features with
 * their transforms and clips, the weight, the null policy, the scaler, the seed of the sample, sizes, and
 * whether the assignments carry the input's features. The fits of k-means and DBSCAN hold one and change it
 * through its {@code withX} methods, which check their argument (an {@link IllegalArgumentException} saying
 * what is wrong).
 *
 * @param weightFieldOrNull a positive numeric field weighting each point; null: every point weighs 1
 * @param assignedFeaturePrefix the prefix under which the assignments carry each feature's input value; null:
 *     they do not carry them
 */
public record PointsSpec(String entityField, List<FeatureSpec> features, @Nullable String weightFieldOrNull,
    NullPolicy nulls, Scaling scaling, long seed, int blockSize, int sampleSize,
    @Nullable String assignedFeaturePrefix) implements Serializable {

  public PointsSpec {
    features = List.copyOf(features);
  }

  /** Entity {@code entity}, no features yet, unweighted, rejecting NULLs, standard scaling, seed 42, blocks of
   * 8,192 (measured faster than 1,024), a sample of 16,384, features not carried. */
  public static PointsSpec defaults() {
    return new PointsSpec("entity", List.of(), null, NullPolicy.REJECT, Scaling.STANDARD, 42, 8192, 16_384, null);
  }

  /**
   * This spec with a change made by a fit's {@code withX}; a change that does not fit is an invalid fit.
   *
   * @param owner the fit, as its errors name it
   */
  public PointsSpec changed(String owner, java.util.function.UnaryOperator<PointsSpec> change) {
    try {
      return change.apply(this);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid " + owner + ": " + e.getMessage(), e);
    }
  }

  public PointsSpec withEntityField(String field) {
    check(field != null && !field.isBlank(), "entity field must be a field name, got '%s'", field);
    return new PointsSpec(field, features, weightFieldOrNull, nulls, scaling, seed, blockSize, sampleSize,
        assignedFeaturePrefix);
  }

  public PointsSpec withFeatures(List<FeatureSpec> features) {
    check(features != null && !features.isEmpty(), "features must name at least one field, got %s", features);
    check(features.stream().map(FeatureSpec::field).distinct().count() == features.size(),
        "features must be distinct, got %s", features.stream().map(FeatureSpec::field).toList());
    return new PointsSpec(entityField, features, weightFieldOrNull, nulls, scaling, seed, blockSize, sampleSize,
        assignedFeaturePrefix);
  }

  public PointsSpec withWeightField(String field) {
    check(field != null && !field.isBlank(), "weight field must be a field name, got '%s'", field);
    return new PointsSpec(entityField, features, field, nulls, scaling, seed, blockSize, sampleSize,
        assignedFeaturePrefix);
  }

  public PointsSpec withNulls(NullPolicy nulls) {
    check(nulls != null, "null policy must be given");
    return new PointsSpec(entityField, features, weightFieldOrNull, nulls, scaling, seed, blockSize, sampleSize,
        assignedFeaturePrefix);
  }

  public PointsSpec withScaling(Scaling scaling) {
    check(scaling != null, "scaling must be given");
    return new PointsSpec(entityField, features, weightFieldOrNull, nulls, scaling, seed, blockSize, sampleSize,
        assignedFeaturePrefix);
  }

  public PointsSpec withSeed(long seed) {
    return new PointsSpec(entityField, features, weightFieldOrNull, nulls, scaling, seed, blockSize, sampleSize,
        assignedFeaturePrefix);
  }

  /** Points per block, 1 to 1,000,000. */
  public PointsSpec withBlockSize(int blockSize) {
    check(blockSize >= 1 && blockSize <= 1_000_000, "block size must be between 1 and 1000000, got %d", blockSize);
    return new PointsSpec(entityField, features, weightFieldOrNull, nulls, scaling, seed, blockSize, sampleSize,
        assignedFeaturePrefix);
  }

  /** Points in the seeded sample, {@code min} to 1,000,000: each method needs its own least. */
  public PointsSpec withSampleSize(int sampleSize, int min) {
    check(sampleSize >= min && sampleSize <= 1_000_000, "sample size must be between %d and 1000000, got %d", min,
        sampleSize);
    return new PointsSpec(entityField, features, weightFieldOrNull, nulls, scaling, seed, blockSize, sampleSize,
        assignedFeaturePrefix);
  }

  /** The prefix may be empty: a feature then keeps its own name in the assignments. */
  public PointsSpec withAssignedFeaturePrefix(String prefix) {
    check(prefix != null, "the carried features' prefix must be given (it may be empty)");
    return new PointsSpec(entityField, features, weightFieldOrNull, nulls, scaling, seed, blockSize, sampleSize,
        prefix);
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

  /**
   * Whether the blocks keep the input's values apart from transformed ones: the assignments carry the inputs
   * and a transform changes them.
   */
  public boolean keepInputs() {
    return assignedFeaturePrefix != null && features.stream().anyMatch(f -> f.transform() != FeatureTransform.NONE);
  }

  /**
   * The schema of a fit's assignments: {@link AssignStored#assignmentFields}, then each carried feature's input
   * value (DOUBLE, NULL where missing) under the prefix.
   *
   * @param owner the fit, as its errors name it
   * @throws IllegalArgumentException where a carried feature would take the name of an assignment's own field
   */
  public Schema assignmentSchema(String owner, Schema input, boolean measuresEveryPoint) {
    Schema.Builder fields = AssignStored.assignmentFields(input, entityField, measuresEveryPoint);
    if (assignedFeaturePrefix != null) {
      List<String> taken = fields.build().getFieldNames();
      for (FeatureSpec feature : features) {
        String carried = assignedFeaturePrefix + feature.field();
        if (taken.contains(carried)) {
          throw new IllegalArgumentException("Invalid " + owner + ": feature field '" + carried + "' cannot be "
              + "carried into the assignments, which have a field of that name " + taken + "; choose another prefix");
        }
        fields.addNullableField(carried, Schema.FieldType.DOUBLE);
      }
    }
    return fields.build();
  }

  private static void check(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(format, args));
    }
  }
}
