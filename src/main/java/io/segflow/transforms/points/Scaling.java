package io.segflow.transforms.points;

/** How features are put on one scale before distances are measured. */
public enum Scaling {
  /** Subtract the mean, divide by the standard deviation (population), as scikit-learn's StandardScaler. */
  STANDARD,
  /** Map the minimum to 0 and the maximum to 1. */
  MINMAX,
  /** Subtract the median, divide by the interquartile range, from quantiles of the seeded sample. */
  ROBUST,
  /** Distances in the features' own units. */
  NONE
}
