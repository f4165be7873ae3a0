package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.FeatureSpec;
import org.apache.beam.sdk.transforms.DoFn;
import java.util.List;

/** Assembles the model from the evaluated state; the assignment pass counts as the fit's last pass. */
final class BuildModelFn extends DoFn<FitState, KMeansModel> {
  private final Settings settings;

  BuildModelFn(Settings settings) {
    this.settings = settings;
  }

  @ProcessElement
  public void process(@Element FitState fit, OutputReceiver<KMeansModel> out) {
    Candidate chosen = fit.chosen();
    KMeansModel.SweepResult figures = fit.sweep().get(fit.selected());
    int k = chosen.k();
    int d = settings.dimensions();
    double[][] centroids = new double[k][d];
    double[][] original = new double[k][];
    for (int m = 0; m < k; m++) {
      System.arraycopy(chosen.centroids(), m * d, centroids[m], 0, d);
      original[m] = fit.preparation().toOriginalUnits(centroids[m]);
    }
    out.output(new KMeansModel(
        settings.points().entityField(),
        settings.points().features().stream().map(FeatureSpec::field).toList(),
        fit.preparation(),
        k,
        centroids,
        original,
        fit.clusterSizes(),
        fit.clusterWeights(),
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
        settings.points().seed(),
        settings.init(),
        settings.maxIterations(),
        settings.tolerance(),
        settings.isSweep() ? fit.sweep() : List.of(),
        settings.isSweep() ? settings.selection() : null,
        null));
  }
}
