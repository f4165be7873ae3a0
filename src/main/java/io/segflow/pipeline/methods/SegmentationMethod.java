package io.segflow.pipeline.methods;

import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/** A segmentation method as the pipeline sees it: the features' rows in, a method-neutral result out. */
public interface SegmentationMethod {
  /**
   * Applies the method to the features.
   *
   * @param features one row per entity: the entity field and the features, as the features SQL gives them
   */
  Segmented segment(PCollection<Row> features, MethodContext context);
}
