package io.segflow.transforms.points;

/** A per-feature transform applied before scaling, to tame skewed features such as spend. */
public enum FeatureTransform {
  /** The value as it is. */
  NONE,
  /** log(1 + x): defined for x > -1. */
  LOG1P,
  /** The square root: defined for x >= 0. */
  SQRT;

  /** The transformed value, or NaN where the transform is not defined for it. */
  public double apply(double x) {
    return switch (this) {
      case NONE -> x;
      case LOG1P -> x > -1 ? Math.log1p(x) : Double.NaN;
      case SQRT -> x >= 0 ? Math.sqrt(x) : Double.NaN;
    };
  }

  /** Maps a transformed value back to the feature's original units (for reporting centroids). */
  public double invert(double y) {
    return switch (this) {
      case NONE -> y;
      case LOG1P -> Math.expm1(y);
      case SQRT -> y < 0 ? 0 : y * y;
    };
  }

  String domain() {
    return switch (this) {
      case NONE -> "any finite value";
      case LOG1P -> "values > -1";
      case SQRT -> "values >= 0";
    };
  }
}
