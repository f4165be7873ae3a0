package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.ClusterSums;
import io.segflow.transforms.points.PointBlock;
import io.segflow.transforms.points.Preparation;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * One global Lloyd pass: each point is prepared, assigned to its nearest centroid of every candidate
 * model (the current state is a side input), and added to that cluster's exact sums. A bundle emits its
 * sums once, at its end; each block is handed on when the passes are chained ({@link PassOutputs}).
 */
final class LloydPassFn extends DoFn<PointBlock, PassSums> {
  private final PCollectionView<FitState> state;
  private final boolean chained;
  private transient List<ClusterSums> sums;

  LloydPassFn(PCollectionView<FitState> state, boolean chained) {
    this.state = state;
    this.chained = chained;
  }

  @StartBundle
  public void startBundle() {
    sums = null;
  }

  @ProcessElement
  public void process(@Element PointBlock block, ProcessContext context) {
    FitState fit = context.sideInput(state);
    if (sums == null) {
      sums = new ArrayList<>();
      for (Candidate c : fit.candidates()) {
        sums.add(new ClusterSums(c.k(), block.dimensions()));
      }
    }
    accumulate(block, fit.preparation(), fit.candidates(), sums);
    PassOutputs.forward(chained, block, context);
  }

  /** Adds a block's points to the sums of each candidate. */
  static void accumulate(PointBlock block, Preparation prep, List<Candidate> candidates, List<ClusterSums> sums) {
    int d = block.dimensions();
    double[] scaled = new double[d];
    Nearest nearest = new Nearest();
    for (int i = 0; i < block.size(); i++) {
      prep.apply(block.values(), i * d, scaled);
      for (int c = 0; c < candidates.size(); c++) {
        Candidate candidate = candidates.get(c);
        int best = nearest.of(scaled, 0, candidate.centroids(), candidate.k(), d);
        sums.get(c).add(scaled, block.weights()[i], block.hashes()[i], best, nearest.first);
      }
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (sums != null) {
      context.output(new PassSums(sums), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    }
  }
}
