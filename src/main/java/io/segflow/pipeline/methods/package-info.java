/**
 * Segmentation methods behind one seam: each turns its part of the definition into its transform and a
 * method-neutral {@link io.segflow.pipeline.methods.Segmented} result; {@link
 * io.segflow.pipeline.methods.SegmentationMethods} is the one place a method is registered.
 */
package io.segflow.pipeline.methods;
