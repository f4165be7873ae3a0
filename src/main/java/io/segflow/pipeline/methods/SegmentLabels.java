package io.segflow.pipeline.methods;

import io.segflow.transforms.kmeans.KMeansModel;
import io.segflow.transforms.kmeans.SegmentTree;
import io.segflow.transforms.points.ClusterModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Short names for segments with centroids (k-means, DBSCAN), from how each centroid stands out in the scaled space:
 * "high monetary, high frequency, low recency_days", or in the definition's own words where it declares
 * them ("high spend, frequent, recent": {@link LabelWords}). Features within half a unit of the centre are not
 * named; a centroid that stands out nowhere is "typical". Segments that stand out on the same features the
 * same ways get "very" where one of them does so by 1.5 units or more ("very frequent, very high spend,
 * recent" beside "high spend, frequent, recent"); labels still alike are made unique with a number. For a
 * bisecting model every node of the tree is labelled, by its number, and the root, which holds everyone, is
 * "all".
 */
final class SegmentLabels {
  private static final double NOTABLE = 0.5;
  private static final int MOST = 3;
  /** Standing out by this much (in the scaled space) is "very", when that is what tells two segments apart. */
  private static final double VERY = 1.5;
  /** The label of a tree's root, which every member belongs to. */
  static final String ROOT = "all";

  private SegmentLabels() {}

  static List<String> of(ClusterModel model, LabelWords words) {
    // A bisecting model's nodes above its leaves are segments too; the root holds everyone.
    SegmentTree tree = model instanceof KMeansModel kmeans ? kmeans.tree() : null;
    double[][] centroids = tree != null ? tree.centroids() : model.centroids();
    List<List<String>> plain = new ArrayList<>();
    for (int c = 0; c < centroids.length; c++) {
      plain.add(tree != null && c == tree.root() ? List.of(ROOT) : parts(centroids[c], model.features(), words, false));
    }
    // Segments that stand out the same ways, in any order, read alike: say which does so more strongly.
    Map<Set<String>, Integer> sameWays = new HashMap<>();
    plain.forEach(p -> sameWays.merge(Set.copyOf(p), 1, Integer::sum));
    List<String> labels = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int c = 0; c < centroids.length; c++) {
      List<String> parts = sameWays.get(Set.copyOf(plain.get(c))) > 1 && !plain.get(c).equals(List.of(ROOT))
          ? parts(centroids[c], model.features(), words, true) : plain.get(c);
      String label = parts.isEmpty() ? "typical" : String.join(", ", parts);
      int n = seen.merge(label, 1, Integer::sum);
      labels.add(n == 1 ? label : label + " (" + n + ")");
    }
    return labels;
  }

  /** The (at most three) features a centroid stands out on most, in words; "very" from {@link #VERY} when asked. */
  private static List<String> parts(double[] centroid, List<String> features, LabelWords words, boolean intensity) {
    List<Integer> order = new ArrayList<>();
    for (int j = 0; j < centroid.length; j++) {
      if (Math.abs(centroid[j]) >= NOTABLE) {
        order.add(j);
      }
    }
    order.sort(Comparator.comparingDouble((Integer j) -> -Math.abs(centroid[j])).thenComparingInt(j -> j));
    List<String> parts = new ArrayList<>();
    for (int j : order.subList(0, Math.min(MOST, order.size()))) {
      String word = words.describe(features.get(j), centroid[j] > 0);
      parts.add(intensity && Math.abs(centroid[j]) >= VERY ? "very " + word : word);
    }
    return parts;
  }
}
