package io.segflow.transforms.kmeans;

/** How a sweep over k picks its k. */
public enum SelectionCriterion {
  /** Highest mean silhouette, on a fixed-size seeded sample. */
  SILHOUETTE,
  /** Lowest Davies–Bouldin index. */
  DAVIES_BOULDIN,
  /** Highest Calinski–Harabasz index. */
  CALINSKI_HARABASZ;

  boolean better(double candidate, double best) {
    return this == DAVIES_BOULDIN ? candidate < best : candidate > best;
  }
}
