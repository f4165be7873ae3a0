/**
 * Density-based segmentation for Beam: DBSCAN on the seeded sample in memory, then one pass giving every
 * entity the cluster of its nearest core point within eps, else noise ({@link io.segflow.transforms.density.Dbscan}).
 */
package io.segflow.transforms.density;
