package io.segflow.transforms.points;

import io.segflow.transforms.values.MultiOutput;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * What a distance-based fit produces: the model (a single element), the assignments (one row per point: the
 * entity, {@code segment_id}, {@code distance}, {@code margin}, then any carried features) and the rejects
 * (rows not clustered, with the reason, as {@link io.segflow.transforms.quality.EntityRejects}).
 */
public class ClusteringResult<M extends ClusterModel> extends MultiOutput {
  private final PCollection<M> model;
  private final PCollection<Row> assignments;
  private final PCollection<Row> rejects;

  protected ClusteringResult(Pipeline pipeline, PCollection<M> model, PCollection<Row> assignments,
      PCollection<Row> rejects) {
    super(pipeline);
    this.model = part("model", model);
    this.assignments = part("assignments", assignments);
    this.rejects = part("rejects", rejects);
  }

  public PCollection<M> model() {
    return model;
  }

  public PCollection<Row> assignments() {
    return assignments;
  }

  public PCollection<Row> rejects() {
    return rejects;
  }
}
