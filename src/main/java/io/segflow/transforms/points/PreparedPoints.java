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

/** What {@link PreparePoints} gives: the points in blocks, the prepared sample (one element), the rejects. */
public final class PreparedPoints implements POutput {
  private static final TupleTag<PointBlock> BLOCKS = new TupleTag<>("blocks");
  private static final TupleTag<PreparedSample> SAMPLE = new TupleTag<>("sample");
  private static final TupleTag<Row> REJECTS = new TupleTag<>("rejects");

  private final Pipeline pipeline;
  private final PCollection<PointBlock> blocks;
  private final PCollection<PreparedSample> sample;
  private final PCollection<Row> rejects;

  PreparedPoints(Pipeline pipeline, PCollection<PointBlock> blocks, PCollection<PreparedSample> sample,
      PCollection<Row> rejects) {
    this.pipeline = pipeline;
    this.blocks = blocks;
    this.sample = sample;
    this.rejects = rejects;
  }

  public PCollection<PointBlock> blocks() {
    return blocks;
  }

  public PCollection<PreparedSample> sample() {
    return sample;
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
    return Map.of(BLOCKS, blocks, SAMPLE, sample, REJECTS, rejects);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
