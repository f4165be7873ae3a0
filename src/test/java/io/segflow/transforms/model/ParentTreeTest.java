package io.segflow.transforms.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParentTreeTest {
  // Bisecting k-means' layout for three leaves: leaves 0..2, root 3 split into leaf 0 and node 4, node 4
  // split into leaves 1 and 2.
  private static final int[] PARENTS = {3, 4, 4, -1, 3};

  @Test
  void depthCountsTheNodesAbove() {
    assertEquals(0, ParentTree.depth(PARENTS, 3));
    assertEquals(1, ParentTree.depth(PARENTS, 0));
    assertEquals(2, ParentTree.depth(PARENTS, 2));
  }

  @Test
  void pathRunsFromTheRootDown() {
    assertEquals(List.of(3, 4, 1), ParentTree.path(PARENTS, 1));
    assertEquals(List.of(3), ParentTree.path(PARENTS, 3));
    assertEquals(List.of(7), ParentTree.path(new int[] {-1, -1, -1, -1, -1, -1, -1, -1}, 7));
  }
}
