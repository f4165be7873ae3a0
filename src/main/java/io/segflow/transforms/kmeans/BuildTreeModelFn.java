package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.ClusterQuality;
import io.segflow.transforms.points.ClusterSums;
import io.segflow.transforms.points.FeatureSpec;
import io.segflow.transforms.points.PreparedSample;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * After a bisecting fit's refinements, from one more pass over the tree: the leaves' exact sizes, inertia,
 * Davies–Bouldin and Calinski–Harabasz, the silhouette of the seeded sample labelled by descent, and the model
 * whose clusters are the leaves and whose tree keeps the hierarchy. The assignment pass counts as the last pass.
 */
final class BuildTreeModelFn extends DoFn<PassSums, KMeansModel> {
  private final PCollectionView<TreeState> state;
  private final PCollectionView<PreparedSample> sample;
  private final Settings settings;

  BuildTreeModelFn(PCollectionView<TreeState> state, PCollectionView<PreparedSample> sample, Settings settings) {
    this.state = state;
    this.sample = sample;
    this.settings = settings;
  }

  @ProcessElement
  public void process(@Element PassSums pass, ProcessContext context) {
    TreeState fit = context.sideInput(state);
    SegmentTree tree = fit.tree();
    int k = tree.leaves();
    int d = settings.dimensions();
    ClusterSums leaves = pass.perCandidate.get(0).first(k);
    double[] flat = new double[k * d];
    double[][] centroids = new double[k][];
    double[][] original = new double[k][];
    long[] sizes = new long[k];
    double[] weights = new double[k];
    for (int m = 0; m < k; m++) {
      centroids[m] = tree.centroids()[m].clone();
      System.arraycopy(centroids[m], 0, flat, m * d, d);
      original[m] = fit.preparation().toOriginalUnits(centroids[m]);
      sizes[m] = leaves.count(m);
      weights[m] = leaves.weight(m);
    }
    List<double[]> points = context.sideInput(sample).firstPoints(settings.silhouetteSampleSize());
    int[] labels = new int[points.size()];
    TreeDescent descent = new TreeDescent(tree);
    for (int i = 0; i < labels.length; i++) {
      labels[i] = descent.leaf(points.get(i), 0);
    }
    context.output(new KMeansModel(
        settings.points().entityField(),
        settings.points().features().stream().map(FeatureSpec::field).toList(),
        fit.preparation(),
        k,
        centroids,
        original,
        sizes,
        weights,
        leaves.inertia(),
        ClusterQuality.silhouette(points, labels, k),
        ClusterQuality.daviesBouldin(leaves, flat),
        ClusterQuality.calinskiHarabasz(leaves, flat, fit.globalMean()),
        fit.points(),
        fit.sampleSize(),
        points.size(),
        fit.passes() + 2,
        fit.iterations(),
        fit.refinements(),
        fit.converged(),
        settings.restarts(),
        settings.points().seed(),
        settings.init(),
        settings.maxIterations(),
        settings.tolerance(),
        List.of(),
        null,
        tree));
  }
}
