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
 * One global pass over a bisecting fit's tree: each point is prepared, descends the tree, and is added to the
 * exact sums of every node on its way, so one pass refines every split at once (and measures every leaf).
 * Each block is handed on when the passes are chained ({@link PassOutputs}).
 */
final class TreePassFn extends DoFn<PointBlock, PassSums> {
  private final PCollectionView<TreeState> state;
  private final boolean chained;
  private transient ClusterSums sums;
  private transient TreeDescent descent;

  TreePassFn(PCollectionView<TreeState> state, boolean chained) {
    this.state = state;
    this.chained = chained;
  }

  @StartBundle
  public void startBundle() {
    sums = null;
  }

  @ProcessElement
  public void process(@Element PointBlock block, ProcessContext context) {
    TreeState fit = context.sideInput(state);
    int d = block.dimensions();
    if (sums == null) {
      sums = new ClusterSums(fit.tree().nodes(), d);
      descent = new TreeDescent(fit.tree());
    }
    Preparation prep = fit.preparation();
    double[] scaled = new double[d];
    for (int i = 0; i < block.size(); i++) {
      prep.apply(block.values(), i * d, scaled);
      descent.leaf(scaled, 0);
      for (int p = 0; p < descent.length; p++) {
        int node = descent.path[p];
        sums.add(scaled, block.weights()[i], block.hashes()[i], node, descent.squared(scaled, 0, node));
      }
    }
    PassOutputs.forward(chained, block, context);
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (sums != null) {
      context.output(new PassSums(new ArrayList<>(List.of(sums))), GlobalWindow.INSTANCE.maxTimestamp(),
          GlobalWindow.INSTANCE);
    }
  }
}
