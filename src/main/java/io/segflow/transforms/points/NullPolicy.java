package io.segflow.transforms.points;

/** What happens to a point with a null, NaN or infinite feature value. */
public enum NullPolicy {
  /** The point goes to the rejects output with the reason; it is not clustered. */
  REJECT,
  /** The value is replaced by the feature's (weighted) mean over the points that have one. */
  IMPUTE_MEAN,
  /** The value is replaced by the feature's median, from the seeded sample. */
  IMPUTE_MEDIAN
}
