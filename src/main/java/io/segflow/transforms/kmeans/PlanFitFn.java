package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.Preparation;
import io.segflow.transforms.points.PreparedSample;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Between the summary passes and the refinement passes, in memory: solves k-means on the prepared sample
 * for every candidate k with multiple restarts (or from the warm start).
 */
final class PlanFitFn extends DoFn<PreparedSample, FitState> {
  private final Settings settings;

  PlanFitFn(Settings settings) {
    this.settings = settings;
  }

  @ProcessElement
  public void process(@Element PreparedSample sample, OutputReceiver<FitState> out) {
    double[] points = sample.sample();
    double[] weights = sample.weights();
    int d = settings.dimensions();
    double toleranceAbs = settings.tolerance() * LocalKMeans.meanVariance(points, weights, d);
    List<Candidate> candidates = new ArrayList<>();
    for (int k = settings.kMin(); k <= settings.kMax(); k++) {
      LocalKMeans solver = new LocalKMeans(k, d, settings.init(), settings.maxIterations(), settings.tolerance(),
          settings.emptyClusters());
      List<double[]> warm = settings.warmStartOrNull();
      LocalKMeans.Solution s = warm != null && warm.size() == k
          ? solver.lloyd(points, weights, scaled(warm, sample.preparation()), toleranceAbs)
          : solver.solve(points, weights, settings.restarts(), settings.points().seed() + k);
      candidates.add(new Candidate(k, s.centroids(), s.iterations(), s.converged(), 0, Double.NaN));
    }
    out.output(new FitState(sample.preparation(), candidates, sample.points(), sample.size(), sample.passes(),
        toleranceAbs, sample.globalMean(), -1, List.of(), new long[0], new double[0]));
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
