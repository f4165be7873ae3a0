package io.segflow.transforms.kmeans;

/** How the in-memory solve picks its starting centroids. */
public enum Init {
  /** Greedy k-means++ (2 + ln k candidates per step), as scikit-learn does. */
  KMEANS_PLUS_PLUS,
  /** k distinct points drawn at random (weighted). */
  RANDOM
}
