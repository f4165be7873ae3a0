package io.segflow.transforms.kmeans;

import java.util.ArrayList;
import java.util.List;

/**
 * Bisecting k-means in memory, on the prepared sample (Steinbach, Karypis and Kumar 2000, as Spark MLlib and
 * scikit-learn run it): starting from one cluster of every point, split the divisible leaf of largest inertia
 * in two with k-means (k = 2, seeded restarts, swaps), until there are k leaves. A leaf is divisible when it
 * has two distinct points and at least the minimum size. The nodes are then numbered as {@link SegmentTree}
 * wants them: leaves in depth-first order, so that siblings get neighbouring numbers, then internal nodes.
 */
final class LocalBisecting {
  /** The tree, and the Lloyd iterations of every split together. */
  record Result(SegmentTree tree, int iterations, boolean converged) {}

  private final int k;
  private final int d;
  private final LocalKMeans halves;

  /** @param halves the flat solve at k = 2 that splits a leaf */
  LocalBisecting(int k, int dimensions, LocalKMeans halves) {
    this.k = k;
    this.d = dimensions;
    this.halves = halves;
  }

  /** A node while the tree grows: its sample points, centroid, inertia and children. */
  private static final class Node {
    final int[] members;
    final double[] centroid;
    final double inertia;
    final double weight;
    /** Whether its points are not all one point: only then can it be split in two. */
    final boolean varied;
    Node left;
    Node right;

    Node(int[] members, double[] points, double[] weights, int d) {
      this.members = members;
      this.centroid = new double[d];
      double w = 0;
      for (int i : members) {
        w += weights[i];
        for (int j = 0; j < d; j++) {
          centroid[j] += weights[i] * points[i * d + j];
        }
      }
      for (int j = 0; j < d; j++) {
        centroid[j] /= w;
      }
      double s = 0;
      for (int i : members) {
        for (int j = 0; j < d; j++) {
          double delta = points[i * d + j] - centroid[j];
          s += weights[i] * delta * delta;
        }
      }
      this.weight = w;
      this.inertia = s;
      this.varied = java.util.Arrays.stream(members).anyMatch(i -> !java.util.Arrays.equals(points, i * d, i * d + d,
          points, members[0] * d, members[0] * d + d));
    }
  }

  /**
   * @param minDivisible a leaf needs at least this many entities of the full data to be split (or this share
   *     of them when below 1), estimated from its share of the sample's weight
   * @param fullSize the entities in the full data
   */
  Result build(double[] points, double[] weights, int restarts, long seed, double minDivisible, long fullSize) {
    int n = weights.length;
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    double totalWeight = 0;
    for (double w : weights) {
      totalWeight += w;
    }
    Node root = new Node(all, points, weights, d);
    List<Node> leaves = new ArrayList<>(List.of(root));
    int iterations = 0;
    boolean converged = true;
    for (int split = 0; leaves.size() < k; split++) {
      Node next = null;
      for (Node leaf : leaves) {
        double share = leaf.weight / totalWeight;
        double size = minDivisible < 1 ? share : share * fullSize;
        boolean divisible = size >= minDivisible && leaf.inertia > 0 && leaf.varied;
        if (divisible && (next == null || leaf.inertia > next.inertia)) {
          next = leaf; // strictly larger only: on a tie the earlier leaf splits, so the order is deterministic
        }
      }
      if (next == null) {
        throw new IllegalStateException("BisectingKMeans: only " + leaves.size() + " of the k=" + k + " leaves can be"
            + " made: no leaf left has two distinct points and at least the minimum divisible size ("
            + minDivisible + "); lower k or the minimum divisible size");
      }
      double[] sub = gather(points, next.members);
      double[] subWeights = new double[next.members.length];
      for (int i = 0; i < subWeights.length; i++) {
        subWeights[i] = weights[next.members[i]];
      }
      LocalKMeans.Solution s = halves.solve(sub, subWeights, restarts, seed + split);
      iterations += s.iterations();
      converged &= s.converged();
      int[] labels = new int[subWeights.length];
      halves.assign(sub, s.centroids(), labels, new double[subWeights.length], subWeights.length);
      Node[] children = new Node[2];
      int[] parentMembers = next.members;
      for (int c = 0; c < 2; c++) {
        int side = c;
        int[] members = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == side)
            .map(i -> parentMembers[i]).toArray();
        children[c] = new Node(members, points, weights, d);
      }
      // The heavier child first, so that the numbering reads from the larger to the smaller group.
      boolean swap = children[1].weight > children[0].weight;
      next.left = children[swap ? 1 : 0];
      next.right = children[swap ? 0 : 1];
      leaves.remove(next);
      leaves.add(next.left);
      leaves.add(next.right);
    }
    return new Result(number(root), iterations, converged);
  }

  private double[] gather(double[] points, int[] members) {
    double[] out = new double[members.length * d];
    for (int i = 0; i < members.length; i++) {
      System.arraycopy(points, members[i] * d, out, i * d, d);
    }
    return out;
  }

  /** Leaves numbered 0.. in depth-first order, internal nodes numbered after them in preorder (the root first). */
  private SegmentTree number(Node root) {
    List<Node> preorder = new ArrayList<>();
    collect(root, preorder);
    int leafCount = (int) preorder.stream().filter(node -> node.left == null).count();
    java.util.Map<Node, Integer> index = new java.util.IdentityHashMap<>();
    int nextLeaf = 0;
    int nextInternal = leafCount;
    for (Node node : preorder) {
      index.put(node, node.left == null ? nextLeaf++ : nextInternal++);
    }
    int[] parents = new int[preorder.size()];
    double[][] centroids = new double[preorder.size()][];
    parents[index.get(root)] = -1;
    for (Node node : preorder) {
      centroids[index.get(node)] = node.centroid;
      if (node.left != null) {
        parents[index.get(node.left)] = index.get(node);
        parents[index.get(node.right)] = index.get(node);
      }
    }
    return new SegmentTree(leafCount, parents, centroids);
  }

  private static void collect(Node node, List<Node> out) {
    out.add(node);
    if (node.left != null) {
      collect(node.left, out);
      collect(node.right, out);
    }
  }
}
