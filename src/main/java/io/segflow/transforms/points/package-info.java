/**
 * Rows to prepared points for every distance-based method: per-feature transforms, clipping, imputation,
 * scaling, dense blocks and the seeded sample ({@link io.segflow.transforms.points.PreparePoints}).
 */
package io.segflow.transforms.points;
