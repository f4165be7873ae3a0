package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.PreparedSample;
import org.apache.beam.sdk.transforms.DoFn;

/** In memory, between the summary passes and the global passes: grows the bisecting tree on the prepared sample. */
final class PlanTreeFn extends DoFn<PreparedSample, TreeState> {
  private final Settings settings;

  PlanTreeFn(Settings settings) {
    this.settings = settings;
  }

  @ProcessElement
  public void process(@Element PreparedSample sample, OutputReceiver<TreeState> out) {
    int d = settings.dimensions();
    double toleranceAbs = settings.tolerance() * LocalKMeans.meanVariance(sample.sample(), sample.weights(), d);
    LocalKMeans halves = new LocalKMeans(2, d, settings.init(), settings.maxIterations(), settings.tolerance(),
        settings.emptyClusters());
    LocalBisecting.Result grown = new LocalBisecting(settings.kMin(), d, halves)
        .build(sample.sample(), sample.weights(), settings.restarts(), settings.points().seed(), settings.minDivisibleSize(),
            sample.points());
    out.output(new TreeState(sample.preparation(), grown.tree(), sample.points(), sample.size(), sample.passes(),
        toleranceAbs, sample.globalMean(), grown.iterations(), grown.converged(), 0, Double.NaN));
  }
}
