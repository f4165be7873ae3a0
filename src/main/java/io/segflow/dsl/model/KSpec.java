package io.segflow.dsl.model;

/** The number of k-means segments: fixed, or a sweep the run picks from. */
public sealed interface KSpec permits KSpec.Fixed, KSpec.Sweep {
  record Fixed(int k) implements KSpec {}

  /**
   * @param minSegmentShare the smallest share of the entities a k's smallest segment may have for the sweep
   *     to pick that k, 0 for no floor
   */
  record Sweep(int min, int max, Criterion select, double minSegmentShare) implements KSpec {
    public Sweep(int min, int max, Criterion select) {
      this(min, max, select, 0);
    }
  }

  /** How a sweep picks k. */
  enum Criterion {
    SILHOUETTE,
    DAVIES_BOULDIN,
    CALINSKI_HARABASZ
  }
}
