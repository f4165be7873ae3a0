package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.ClusteringResult;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * What {@link KMeans.Fit} produces: the model (a single element), the assignments (one row per point:
 * the entity, {@code segment_id}, {@code distance} to its centroid and {@code margin} to the second
 * nearest) and the rejects (rows not clustered, with the reason).
 */
public final class KMeansResult extends ClusteringResult<KMeansModel> {
  KMeansResult(Pipeline pipeline, PCollection<KMeansModel> model, PCollection<Row> assignments, PCollection<Row> rejects) {
    super(pipeline, model, assignments, rejects);
  }
}
