package io.segflow.dsl.model;

import java.util.List;

/**
 * Bisecting k-means: the k segments are the leaves of a tree grown by splitting the segment of largest
 * inertia in two; every k-means option means what it means there (k is one number, and there is no warm start).
 *
 * @param minDivisibleSize a segment is split only with at least this many entities, or this share of them
 *     when below 1
 */
public record BisectingKMeansSpec(KMeansSpec kmeans, double minDivisibleSize) implements SegmentationSpec {
  @Override
  public List<String> features() {
    return kmeans.features();
  }
}
