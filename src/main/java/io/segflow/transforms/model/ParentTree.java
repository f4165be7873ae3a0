package io.segflow.transforms.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A tree of segments written as each node's parent, -1 for the root (bisecting k-means' hierarchy, and the
 * published segments that follow it). Flat segments are all roots.
 */
public final class ParentTree {
  private ParentTree() {}

  /** How many nodes are above {@code node}: 0 for a root. */
  public static int depth(int[] parents, int node) {
    int depth = 0;
    for (int at = parents[node]; at >= 0; at = parents[at]) {
      depth++;
    }
    return depth;
  }

  /** The nodes from the root down to {@code node}, both included. */
  public static List<Integer> path(int[] parents, int node) {
    List<Integer> out = new ArrayList<>();
    for (int at = node; at >= 0; at = parents[at]) {
      out.add(0, at);
    }
    return out;
  }
}
