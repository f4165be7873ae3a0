package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.Preparation;
import java.io.Serializable;

/**
 * What a bisecting fit knows between passes, broadcast to the next pass as a side input.
 *
 * @param refinements the global passes that have moved the tree's centroids so far
 * @param shift the squared movement of every node's centroid in the last refinement
 */
record TreeState(Preparation preparation, SegmentTree tree, long points, int sampleSize, int passes,
    double toleranceAbs, double[] globalMean, int iterations, boolean converged, int refinements, double shift)
    implements Serializable {

  TreeState refined(double[][] centroids, double movement) {
    return new TreeState(preparation, new SegmentTree(tree.leaves(), tree.parents(), centroids), points, sampleSize,
        passes + 1, toleranceAbs, globalMean, iterations, movement <= toleranceAbs, refinements + 1, movement);
  }
}
