package io.segflow.transforms.density;

import io.segflow.transforms.points.ClusteringResult;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * What {@link Dbscan.Fit} produces: the model (a single element), the assignments (one row per point:
 * the entity, {@code segment_id} ({@link Dbscan#NOISE} for noise), {@code distance} to the nearest core
 * point and a NULL {@code margin}) and the rejects (rows not clustered, with the reason).
 */
public final class DbscanResult extends ClusteringResult<DensityModel> {
  DbscanResult(Pipeline pipeline, PCollection<DensityModel> model, PCollection<Row> assignments, PCollection<Row> rejects) {
    super(pipeline, model, assignments, rejects);
  }
}
