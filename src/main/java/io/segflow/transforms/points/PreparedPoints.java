package io.segflow.transforms.points;

import io.segflow.transforms.values.MultiOutput;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/** What {@link PreparePoints} gives: the points in blocks, the prepared sample (one element), the rejects. */
public final class PreparedPoints extends MultiOutput {
  private final PCollection<PointBlock> blocks;
  private final PCollection<PreparedSample> sample;
  private final PCollection<Row> rejects;

  PreparedPoints(Pipeline pipeline, PCollection<PointBlock> blocks, PCollection<PreparedSample> sample,
      PCollection<Row> rejects) {
    super(pipeline);
    this.blocks = part("blocks", blocks);
    this.sample = part("sample", sample);
    this.rejects = part("rejects", rejects);
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
}
