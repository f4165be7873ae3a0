package io.segflow.transforms.points;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What a distance-based fit produces: the model (a single element), the assignments (one row per point: the
 * entity, {@code segment_id}, {@code distance}, {@code margin}, then any carried features) and the rejects
 * (rows not clustered, with the reason, as {@link io.segflow.transforms.quality.EntityRejects}).
 */
public class ClusteringResult<M extends ClusterModel> implements POutput {
  private final TupleTag<M> modelTag = new TupleTag<>("model");
  private static final TupleTag<Row> ASSIGNMENTS = new TupleTag<>("assignments");
  private static final TupleTag<Row> REJECTS = new TupleTag<>("rejects");

  private final Pipeline pipeline;
  private final PCollection<M> model;
  private final PCollection<Row> assignments;
  private final PCollection<Row> rejects;

  protected ClusteringResult(Pipeline pipeline, PCollection<M> model, PCollection<Row> assignments,
      PCollection<Row> rejects) {
    this.pipeline = pipeline;
    this.model = model;
    this.assignments = assignments;
    this.rejects = rejects;
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

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(modelTag, model, ASSIGNMENTS, assignments, REJECTS, rejects);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
