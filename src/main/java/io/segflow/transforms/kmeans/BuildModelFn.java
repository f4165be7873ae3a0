package io.segflow.transforms.kmeans;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/** Assembles the model from the final state and the exact sums of the assignment pass. */
final class BuildModelFn extends DoFn<PassSums, KMeansModel> {
  private final PCollectionView<FitState> state;
  private final PCollectionView<FeatureStats> firstPass;
  private final Settings settings;

  BuildModelFn(PCollectionView<FitState> state, PCollectionView<FeatureStats> firstPass, Settings settings) {
    this.state = state;
    this.firstPass = firstPass;
    this.settings = settings;
  }

  @ProcessElement
  public void process(@Element PassSums pass, ProcessContext context) {
    FitState fit = context.sideInput(state);
    Candidate chosen = fit.chosen();
    ClusterSums sums = pass.perCandidate.get(0);
    int k = chosen.k();
    int d = settings.dimensions();
    KMeansModel.SweepResult figures = Evaluation.of(chosen, sums, fit, Evaluation.silhouettePoints(
        fit.preparation(), context.sideInput(firstPass).sample.points(), settings.silhouetteSampleSize()));
    double[][] centroids = new double[k][d];
    double[][] original = new double[k][];
    double[] weights = new double[k];
    for (int m = 0; m < k; m++) {
      System.arraycopy(chosen.centroids(), m * d, centroids[m], 0, d);
      original[m] = fit.preparation().toOriginalUnits(centroids[m]);
      weights[m] = sums.weights[m].value();
    }
    context.output(new KMeansModel(
        settings.entityField(),
        settings.features().stream().map(FeatureSpec::field).toList(),
        fit.preparation(),
        k,
        centroids,
        original,
        sums.counts.clone(),
        weights,
        figures.inertia(),
        figures.silhouette(),
        figures.daviesBouldin(),
        figures.calinskiHarabasz(),
        fit.points(),
        fit.sampleSize(),
        Math.min(settings.silhouetteSampleSize(), fit.sampleSize()),
        fit.passes() + 1,
        chosen.iterations(),
        chosen.refinements(),
        chosen.converged(),
        settings.restarts(),
        settings.seed(),
        settings.init(),
        settings.maxIterations(),
        settings.tolerance(),
        fit.sweep(),
        settings.isSweep() ? settings.selection() : null));
  }
}
