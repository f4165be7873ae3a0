package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.PointBlock;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The outputs of a global pass over the points: its sums, and, when the passes are chained, each block
 * once the pass has read it, for the next pass to read ({@link KMeans.Fit}: on the DirectRunner).
 */
final class PassOutputs {
  static final TupleTag<PassSums> SUMS = new TupleTag<>("segflow.kmeans.pass.sums") {};
  static final TupleTag<PointBlock> BLOCKS = new TupleTag<>("segflow.kmeans.pass.blocks") {};
  static final TupleTagList ALSO_BLOCKS = TupleTagList.of(BLOCKS);

  private PassOutputs() {}

  /** Hands the block on when the passes are chained. */
  static void forward(boolean chained, PointBlock block, DoFn<PointBlock, PassSums>.ProcessContext context) {
    if (chained) {
      context.output(BLOCKS, block);
    }
  }
}
