package io.segflow.transforms.kmeans;

/** What happens when a cluster loses all its points during an iteration. */
public enum EmptyClusterPolicy {
  /** Re-seed it at the point farthest from its centroid (the largest weighted squared distance). */
  FARTHEST_POINT,
  /** Fail the fit, naming the cluster and the iteration. */
  ERROR
}
