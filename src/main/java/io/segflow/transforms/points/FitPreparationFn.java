package io.segflow.transforms.points;

import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Between the summary passes and a method's in-memory part: fits the preparation from the summary the scaler
 * is measured on and prepares the first pass's seeded sample with it.
 */
final class FitPreparationFn extends DoFn<FeatureStats, PreparedSample> {
  private final PointsSpec spec;
  private final String owner;
  private final PCollectionView<FeatureStats> firstPass;

  /** The main input is the summary the scaler is fitted on; {@code firstPass} holds the sample. */
  FitPreparationFn(PointsSpec spec, String owner, PCollectionView<FeatureStats> firstPass) {
    this.spec = spec;
    this.owner = owner;
    this.firstPass = firstPass;
  }

  @ProcessElement
  public void process(@Element FeatureStats scalerStats, ProcessContext context) {
    if (scalerStats.points == 0) {
      throw new IllegalStateException(owner + ": no points to segment: the input is empty or every row was rejected"
          + " (see the rejects output)");
    }
    List<Sample.Point> sample = context.sideInput(firstPass).sample.points();
    double[][] clip = PreparationFitter.clipBounds(spec, sample);
    Preparation prep = PreparationFitter.fit(spec, scalerStats, sample, clip);
    double[][] prepared = PreparationFitter.preparedSample(prep, sample);
    int d = spec.dimensions();
    double[] globalMean = new double[d];
    for (int j = 0; j < d; j++) {
      Preparation.Feature f = prep.features().get(j);
      double mean = scalerStats.weightedSum[j].value() / scalerStats.weightPresent[j].value();
      globalMean[j] = (mean - f.center()) / f.scale();
    }
    context.output(new PreparedSample(prep, scalerStats.points, spec.clips() ? 2 : 1, prepared[0], prepared[1],
        globalMean));
  }
}
