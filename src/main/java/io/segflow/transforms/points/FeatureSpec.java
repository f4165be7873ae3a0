package io.segflow.transforms.points;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/** One input feature: the field it is read from, its transform and its optional clipping. */
public record FeatureSpec(String field, FeatureTransform transform, Clip clipOrNull) implements Serializable {
  public FeatureSpec {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(transform, "transform");
  }

  public static FeatureSpec of(String field) {
    return new FeatureSpec(field, FeatureTransform.NONE, null);
  }

  public FeatureSpec withTransform(FeatureTransform t) {
    return new FeatureSpec(field, t, clipOrNull);
  }

  public FeatureSpec withClip(Clip c) {
    return new FeatureSpec(field, transform, c);
  }

  /** The axis this feature becomes in a fit's {@link Preparation}. */
  public Preparation.Axis axis() {
    return new Preparation.Axis(field, transform);
  }

  public Optional<Clip> clip() {
    return Optional.ofNullable(clipOrNull);
  }
}
