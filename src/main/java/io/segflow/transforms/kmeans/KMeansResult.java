package io.segflow.transforms.kmeans;

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
 * What {@link KMeans.Fit} produces: the model (a single element), the assignments (one row per point:
 * the entity, {@code segment_id}, {@code distance} to its centroid and {@code margin} to the second
 * nearest) and the rejects (rows not clustered, with the reason).
 */
public final class KMeansResult implements POutput {
  private static final TupleTag<KMeansModel> MODEL = new TupleTag<>("model");
  private static final TupleTag<Row> ASSIGNMENTS = new TupleTag<>("assignments");
  private static final TupleTag<Row> REJECTS = new TupleTag<>("rejects");

  private final Pipeline pipeline;
  private final PCollection<KMeansModel> model;
  private final PCollection<Row> assignments;
  private final PCollection<Row> rejects;

  KMeansResult(Pipeline pipeline, PCollection<KMeansModel> model, PCollection<Row> assignments, PCollection<Row> rejects) {
    this.pipeline = pipeline;
    this.model = model;
    this.assignments = assignments;
    this.rejects = rejects;
  }

  public PCollection<KMeansModel> model() {
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
    return Map.of(MODEL, model, ASSIGNMENTS, assignments, REJECTS, rejects);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
