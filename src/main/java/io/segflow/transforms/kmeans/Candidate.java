package io.segflow.transforms.kmeans;

import java.io.Serializable;

/**
 * One candidate model during a fit (one per k of a sweep): its centroids in the scaled space and how the
 * fit got there. {@code iterations} counts the in-memory Lloyd iterations of the winning restart;
 * {@code refinements} the global passes that moved the centroids; {@code shift} the squared distance the
 * centroids moved in the last of them.
 */
record Candidate(int k, double[] centroids, int iterations, boolean converged, int refinements, double shift)
    implements Serializable {}
