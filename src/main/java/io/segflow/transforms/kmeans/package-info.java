/** segflow's distributed, deterministic k-means for Beam: {@link io.segflow.transforms.kmeans.KMeans}. */
package io.segflow.transforms.kmeans;
