package io.segflow.dsl.model;

/** The number of k-means segments: fixed, or a sweep the run picks from. */
public sealed interface KSpec permits KSpec.Fixed, KSpec.Sweep {
  record Fixed(int k) implements KSpec {}

  record Sweep(int min, int max, Criterion select) implements KSpec {}

  /** How a sweep picks k. */
  enum Criterion {
    SILHOUETTE,
    DAVIES_BOULDIN,
    CALINSKI_HARABASZ
  }
}
