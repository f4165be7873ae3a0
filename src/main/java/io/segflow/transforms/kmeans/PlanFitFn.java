package io.segflow.transforms.kmeans;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Between the summary pass and the refinement passes, in memory: fits the preparation, prepares the
 * seeded sample, and solves k-means on it for every candidate k with multiple restarts.
 */
final class PlanFitFn extends DoFn<FeatureStats, FitState> {
  private final Settings settings;
  private final PCollectionView<FeatureStats> firstPass;

  /** The main input is the summary the scaler is fitted on; {@code firstPass} holds the sample. */
  PlanFitFn(Settings settings, PCollectionView<FeatureStats> firstPass) {
    this.settings = settings;
    this.firstPass = firstPass;
  }

  @ProcessElement
  public void process(@Element FeatureStats scalerStats, ProcessContext context) {
    if (scalerStats.points == 0) {
      throw new IllegalStateException("KMeans: no points to cluster: the input is empty or every row was rejected"
          + " (see the rejects output)");
    }
    List<Sample.Point> sample = context.sideInput(firstPass).sample.points();
    double[][] clip = PreparationFitter.clipBounds(settings, sample);
    Preparation prep = PreparationFitter.fit(settings, scalerStats, sample, clip);
    double[][] prepared = PreparationFitter.preparedSample(prep, sample);
    double[] points = prepared[0];
    double[] weights = prepared[1];
    int d = settings.dimensions();
    double toleranceAbs = settings.tolerance() * LocalKMeans.meanVariance(points, weights, d);
    List<Candidate> candidates = new ArrayList<>();
    for (int k = settings.kMin(); k <= settings.kMax(); k++) {
      LocalKMeans solver = new LocalKMeans(k, d, settings.init(), settings.maxIterations(), settings.tolerance(),
          settings.emptyClusters());
      List<double[]> warm = settings.warmStartOrNull();
      LocalKMeans.Solution s = warm != null && warm.size() == k
          ? solver.lloyd(points, weights, scaled(warm, prep), toleranceAbs)
          : solver.solve(points, weights, settings.restarts(), settings.seed() + k);
      candidates.add(new Candidate(k, s.centroids(), s.iterations(), s.converged(), 0, Double.NaN));
    }
    double[] globalMean = new double[d];
    for (int j = 0; j < d; j++) {
      Preparation.Feature f = prep.features().get(j);
      double mean = scalerStats.weightedSum[j].value() / scalerStats.weightPresent[j].value();
      globalMean[j] = (mean - f.center()) / f.scale();
    }
    int passes = settings.clips() ? 2 : 1;
    context.output(new FitState(prep, candidates, scalerStats.points, sample.size(), passes, toleranceAbs,
        globalMean, -1, List.of(), new long[0], new double[0]));
  }

  /** Warm-start centroids (transformed units) in this fit's scaled space, row-major as the solver takes them. */
  private static double[] scaled(List<double[]> centroids, Preparation prep) {
    int d = prep.dimensions();
    double[] out = new double[centroids.size() * d];
    for (int c = 0; c < centroids.size(); c++) {
      System.arraycopy(prep.toScaled(centroids.get(c)), 0, out, c * d, d);
    }
    return out;
  }
}
