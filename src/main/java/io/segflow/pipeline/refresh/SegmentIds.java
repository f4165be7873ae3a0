package io.segflow.pipeline.refresh;

import io.segflow.transforms.model.ParentTree;
import java.io.Serializable;
import java.util.List;

/**
 * The segments of a run as it publishes them, by the method's own segment number (0 to k-1 for k-means, the
 * rule's position for rules), and {@link #NOISE} for entities a method leaves in no segment.
 *
 * @param ids the segment id each method segment is published under
 * @param labels each method segment's label
 * @param kept whether the segment is a previous run's segment, with its id and label
 * @param shifts how far the segment's centroid moved from its previous one, in the previous run's scaled
 *     units (Euclidean); NaN for a new segment or a method without centroids
 * @param parents each segment's parent segment (by the method's number) when the segments form a tree, -1
 *     for the root and for every segment of a flat method
 */
public record SegmentIds(int[] ids, List<String> labels, boolean[] kept, double[] shifts, int[] parents)
    implements Serializable {
  /**
   * The segment of entities a method leaves in no segment (DBSCAN's noise): published as -1, labelled
   * {@link #NOISE_LABEL}, in every run; no other segment is numbered so.
   */
  public static final int NOISE = -1;

  public static final String NOISE_LABEL = "noise";

  public SegmentIds {
    labels = List.copyOf(labels);
    ids = ids.clone();
    kept = kept.clone();
    shifts = shifts.clone();
    parents = parents.clone();
    if (ids.length != labels.size() || kept.length != ids.length || shifts.length != ids.length
        || parents.length != ids.length) {
      throw new IllegalArgumentException("one id, label, kept flag, shift and parent per segment");
    }
  }

  /** Flat segments: no segment has a parent. */
  public SegmentIds(int[] ids, List<String> labels, boolean[] kept, double[] shifts) {
    this(ids, labels, kept, shifts, java.util.stream.IntStream.generate(() -> -1).limit(ids.length).toArray());
  }

  public int id(int segment) {
    return segment == NOISE ? NOISE : ids[segment];
  }

  public String label(int segment) {
    return segment == NOISE ? NOISE_LABEL : labels.get(segment);
  }

  public double shift(int segment) {
    return segment == NOISE ? Double.NaN : shifts[segment];
  }

  /** The published id of the segment's parent; null for the root and for flat segments. */
  public Integer parentId(int segment) {
    return segment == NOISE || parents[segment] < 0 ? null : ids[parents[segment]];
  }

  /** How many segments are above this one: 0 for the root and for flat segments. */
  public int depth(int segment) {
    return segment == NOISE ? 0 : ParentTree.depth(parents, segment);
  }

  /** The published ids from the root down to the segment, joined by '/', e.g. {@code 8/5/2}. */
  public String path(int segment) {
    return segment == NOISE ? String.valueOf(NOISE) : ParentTree.path(parents, segment).stream()
        .map(s -> String.valueOf(ids[s])).collect(java.util.stream.Collectors.joining("/"));
  }
}
