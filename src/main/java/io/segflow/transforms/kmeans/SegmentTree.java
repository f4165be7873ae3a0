package io.segflow.transforms.kmeans;

import io.segflow.transforms.model.ParentTree;
import java.io.Serializable;
import java.util.List;

/**
 * The hierarchy of a bisecting k-means fit: every node's parent and centroid in the scaled space. Nodes
 * {@code 0..leaves-1} are the leaves, the model's clusters; nodes {@code leaves..2·leaves-2} are the
 * internal nodes, the root first, each split into exactly two children. A point belongs to the leaf it
 * reaches by descending from the root to the nearer child at every split (as Spark's and scikit-learn's
 * bisecting k-means predict), so each internal node holds exactly the points of its leaves.
 *
 * @param parents each node's parent, -1 for the root
 * @param centroids each node's centroid in the scaled space
 */
public record SegmentTree(int leaves, int[] parents, double[][] centroids) implements Serializable {

  public SegmentTree {
    if (leaves < 1 || parents.length != 2 * leaves - 1 || centroids.length != parents.length) {
      throw new IllegalArgumentException("a tree of " + leaves + " leaves has " + (2 * leaves - 1) + " nodes, got "
          + parents.length + " parents and " + centroids.length + " centroids");
    }
  }

  public int nodes() {
    return parents.length;
  }

  public int root() {
    return leaves == 1 ? 0 : leaves;
  }

  public boolean isLeaf(int node) {
    return node < leaves;
  }

  /** The node's two children, in index order; empty for a leaf. */
  public int[] children(int node) {
    int[] out = new int[2];
    int n = 0;
    for (int c = 0; c < parents.length && n < 2; c++) {
      if (parents[c] == node) {
        out[n++] = c;
      }
    }
    return n == 0 ? new int[0] : out;
  }

  /** The root's depth is 0. */
  public int depth(int node) {
    return ParentTree.depth(parents, node);
  }

  /** The nodes from the root down to {@code node}, both included. */
  public List<Integer> path(int node) {
    return ParentTree.path(parents, node);
  }

  /** Each node's children, computed once, for descending many points. */
  int[][] childTable() {
    int[][] table = new int[nodes()][];
    for (int node = 0; node < nodes(); node++) {
      table[node] = children(node);
    }
    return table;
  }
}
