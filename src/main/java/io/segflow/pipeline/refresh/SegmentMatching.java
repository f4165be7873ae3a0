package io.segflow.pipeline.refresh;

import io.segflow.transforms.kmeans.KMeansModel;
import io.segflow.transforms.points.ClusterModel;
import io.segflow.transforms.kmeans.SegmentTree;
import io.segflow.transforms.points.Preparation;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.util.MathArrays;
import org.jgrapht.Graph;
import org.jgrapht.alg.interfaces.MatchingAlgorithm;
import org.jgrapht.alg.matching.KuhnMunkresMinimalWeightBipartitePerfectMatching;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;

/**
 * Gives a run's segments their ids from the previous run's. k-means: a minimum-cost assignment (Kuhn-Munkres)
 * between the new and the previous centroids, both in the previous run's scaled space, padded with free
 * matches when k changed; bisecting k-means matches its leaves so, then each node above them by the leaves
 * it holds. Rules: by the segment's name. A matched segment keeps its id and label; any other
 * gets an id above every id the definition used before, in the method's order.
 */
public final class SegmentMatching {
  private SegmentMatching() {}

  /**
   * k-means segments, matched by centroid when the previous run's model prepares the same features the same
   * way; {@code names} are the definition's names for segments, by id.
   */
  public static SegmentIds byCentroids(ClusterModel current, List<String> generatedLabels, PreviousSegments previous,
      Map<Integer, String> names) {
    int k = current.centroids().length;
    SegmentTree tree = treeOf(current);
    int n = tree == null ? k : tree.nodes();
    int[] matchedTo = new int[n];
    Arrays.fill(matchedTo, -1);
    double[] shifts = new double[n];
    Arrays.fill(shifts, Double.NaN);
    ClusterModel before = previous.model();
    if (before != null && current.preparation().axes().equals(before.preparation().axes())) {
      double[][] moved = new double[k][];
      for (int c = 0; c < k; c++) {
        moved[c] = inSpaceOf(current.centroids()[c], current.preparation(), before.preparation());
      }
      int[] assignment = minimumCostAssignment(moved, before.centroids());
      for (int c = 0; c < k; c++) {
        if (assignment[c] >= 0) {
          matchedTo[c] = previous.modelIds()[assignment[c]];
          shifts[c] = MathArrays.distance(moved[c], before.centroids()[assignment[c]]);
        }
      }
      if (tree != null && treeOf(before) != null) {
        matchInternalNodes(tree, matchedTo, previous);
      }
    }
    SegmentIds ids = assign(matchedTo, generatedLabels, shifts, previous, names);
    return tree == null ? ids : new SegmentIds(ids.ids(), ids.labels(), ids.kept(), ids.shifts(), tree.parents());
  }

  /**
   * A node above the leaves keeps the id of the previous tree's node that held the same leaves, by their kept
   * ids: the same group of segments is the same segment. A node holding a new leaf is new.
   */
  private static void matchInternalNodes(SegmentTree tree, int[] matchedTo, PreviousSegments previous) {
    SegmentTree before = treeOf(previous.model());
    Map<Set<Integer>, Integer> previousNodes = new java.util.HashMap<>();
    for (int node = before.leaves(); node < before.nodes(); node++) {
      Set<Integer> leafIds = new java.util.TreeSet<>();
      for (int leaf : leavesUnder(before, node)) {
        leafIds.add(previous.modelIds()[leaf]);
      }
      previousNodes.put(leafIds, previous.modelIds()[node]);
    }
    for (int node = tree.leaves(); node < tree.nodes(); node++) {
      Set<Integer> leafIds = new java.util.TreeSet<>();
      for (int leaf : leavesUnder(tree, node)) {
        leafIds.add(matchedTo[leaf]);
      }
      if (!leafIds.contains(-1)) {
        matchedTo[node] = previousNodes.getOrDefault(leafIds, -1);
      }
    }
  }

  /** A bisecting model's tree; null for any other model. */
  private static SegmentTree treeOf(ClusterModel model) {
    return model instanceof KMeansModel kmeans ? kmeans.tree() : null;
  }

  private static List<Integer> leavesUnder(SegmentTree tree, int node) {
    List<Integer> out = new java.util.ArrayList<>();
    for (int leaf = 0; leaf < tree.leaves(); leaf++) {
      if (tree.path(leaf).contains(node)) {
        out.add(leaf);
      }
    }
    return out;
  }

  /**
   * Rule segments (and any method whose labels name its segments), matched by name against every published
   * run, so a rule that had no members for a while gets its old id back.
   */
  public static SegmentIds byNames(List<String> names, PreviousSegments previous) {
    int[] matchedTo = new int[names.size()];
    for (int s = 0; s < names.size(); s++) {
      matchedTo[s] = previous.namedIds().getOrDefault(names.get(s), -1);
    }
    double[] shifts = new double[names.size()];
    Arrays.fill(shifts, Double.NaN);
    return assign(matchedTo, names, shifts, previous, Map.of());
  }

  /**
   * Ids and labels from the matches: a matched segment takes the previous id, a new one the next id above
   * the definition's history. A segment named by id in the definition takes that name; a matched one
   * otherwise keeps its previous label (or its own if the previous run lacks it), a new one its generated
   * label. Labels are made unique in that order of precedence.
   */
  private static SegmentIds assign(int[] matchedTo, List<String> generated, double[] shifts, PreviousSegments previous,
      Map<Integer, String> names) {
    int n = matchedTo.length;
    int[] ids = new int[n];
    boolean[] kept = new boolean[n];
    int next = previous.highestId() + 1;
    for (int s = 0; s < n; s++) {
      kept[s] = matchedTo[s] >= 0;
      ids[s] = kept[s] ? matchedTo[s] : -1;
    }
    for (int s = 0; s < n; s++) {
      if (!kept[s]) {
        ids[s] = next++;
      }
    }
    String[] labels = new String[n];
    Set<String> taken = new HashSet<>();
    for (int pass = 0; pass < 3; pass++) {
      for (int s = 0; s < n; s++) {
        String label = switch (pass) {
          case 0 -> names.get(ids[s]);
          case 1 -> kept[s] && labels[s] == null ? previous.labels().getOrDefault(ids[s], generated.get(s)) : null;
          default -> labels[s] == null ? generated.get(s) : null;
        };
        if (label != null && labels[s] == null) {
          String unique = label;
          for (int copy = 2; taken.contains(unique); copy++) {
            unique = label + " (" + copy + ")";
          }
          labels[s] = unique;
          taken.add(unique);
        }
      }
    }
    return new SegmentIds(ids, List.of(labels), kept, shifts);
  }

  /** A point of one run's scaled space in another's: back to the transformed units, then the other's scaler. */
  static double[] inSpaceOf(double[] scaled, Preparation from, Preparation to) {
    return to.toScaled(from.toTransformedUnits(scaled));
  }

  /**
   * For each row of {@code current}, the row of {@code previous} it is assigned to, minimising the summed
   * squared distances; -1 for a row left over when there are more current rows than previous ones.
   */
  static int[] minimumCostAssignment(double[][] current, double[][] previous) {
    int size = Math.max(current.length, previous.length);
    Graph<Integer, DefaultWeightedEdge> graph = new SimpleWeightedGraph<>(DefaultWeightedEdge.class);
    Set<Integer> left = new java.util.LinkedHashSet<>();
    Set<Integer> right = new java.util.LinkedHashSet<>();
    for (int i = 0; i < size; i++) {
      graph.addVertex(i);
      left.add(i);
      graph.addVertex(size + i);
      right.add(size + i);
    }
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < size; j++) {
        // Padding rows and columns cost nothing: who is matched to them is new, or vanished.
        double cost = i < current.length && j < previous.length
            ? Math.pow(MathArrays.distance(current[i], previous[j]), 2) : 0.0;
        graph.setEdgeWeight(graph.addEdge(i, size + j), cost);
      }
    }
    MatchingAlgorithm.Matching<Integer, DefaultWeightedEdge> matching =
        new KuhnMunkresMinimalWeightBipartitePerfectMatching<>(graph, left, right).getMatching();
    int[] out = new int[current.length];
    Arrays.fill(out, -1);
    for (DefaultWeightedEdge e : matching.getEdges()) {
      int a = graph.getEdgeSource(e);
      int b = graph.getEdgeTarget(e);
      int i = Math.min(a, b);
      int j = Math.max(a, b) - size;
      if (i < current.length && j < previous.length) {
        out[i] = j;
      }
    }
    return out;
  }
}
