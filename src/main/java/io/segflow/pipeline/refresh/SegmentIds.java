package io.segflow.pipeline.refresh;

import java.io.Serializable;
import java.util.List;

/**
 * The segments of a run as it publishes them, by the method's own segment number (0 to k-1 for k-means, the
 * rule's position for rules).
 *
 * @param ids the segment id each method segment is published under
 * @param labels each method segment's label
 * @param kept whether the segment is a previous run's segment, with its id and label
 * @param shifts how far the segment's centroid moved from its previous one, in the previous run's scaled
 *     units (Euclidean); NaN for a new segment or a method without centroids
 */
public record SegmentIds(int[] ids, List<String> labels, boolean[] kept, double[] shifts) implements Serializable {
  public SegmentIds {
    labels = List.copyOf(labels);
    ids = ids.clone();
    kept = kept.clone();
    shifts = shifts.clone();
    if (ids.length != labels.size() || kept.length != ids.length || shifts.length != ids.length) {
      throw new IllegalArgumentException("one id, label, kept flag and shift per segment");
    }
  }

  public int id(int segment) {
    return ids[segment];
  }

  public String label(int segment) {
    return labels.get(segment);
  }

  public double shift(int segment) {
    return shifts[segment];
  }
}
