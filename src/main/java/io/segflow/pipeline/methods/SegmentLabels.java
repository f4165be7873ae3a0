package io.segflow.pipeline.methods;

import io.segflow.transforms.kmeans.KMeansModel;
import io.segflow.transforms.kmeans.SegmentTree;
import io.segflow.transforms.points.ClusterModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Short names for segments with centroids (k-means, DBSCAN), from how each centroid stands out in the scaled space:
 * "high monetary, high frequency, low recency_days", or in the definition's own words where it declares
 * them ("high spend, frequent, recent": {@link LabelWords}). Features within half a unit of the centre are not
 * named; a centroid that stands out nowhere is "typical". Labels are made unique with a number. For a
 * bisecting model every node of the tree is labelled, by its number, and the root, which holds everyone, is
 * "all".
 */
final class SegmentLabels {
  private static final double NOTABLE = 0.5;
  private static final int MOST = 3;
  /** The label of a tree's root, which every member belongs to. */
  static final String ROOT = "all";

  private SegmentLabels() {}

  static List<String> of(ClusterModel model, LabelWords words) {
    List<String> labels = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    // A bisecting model's nodes above its leaves are segments too; the root holds everyone.
    SegmentTree tree = model instanceof KMeansModel kmeans ? kmeans.tree() : null;
    double[][] centroids = tree != null ? tree.centroids() : model.centroids();
    for (int c = 0; c < centroids.length; c++) {
      if (tree != null && c == tree.root()) {
        labels.add(ROOT);
        continue;
      }
      double[] centroid = centroids[c];
      List<Integer> order = new ArrayList<>();
      for (int j = 0; j < centroid.length; j++) {
        if (Math.abs(centroid[j]) >= NOTABLE) {
          order.add(j);
        }
      }
      order.sort(Comparator.comparingDouble((Integer j) -> -Math.abs(centroid[j])).thenComparingInt(j -> j));
      List<String> parts = new ArrayList<>();
      for (int j : order.subList(0, Math.min(MOST, order.size()))) {
        parts.add(words.describe(model.features().get(j), centroid[j] > 0));
      }
      String label = parts.isEmpty() ? "typical" : String.join(", ", parts);
      int n = seen.merge(label, 1, Integer::sum);
      labels.add(n == 1 ? label : label + " (" + n + ")");
    }
    return labels;
  }
}
