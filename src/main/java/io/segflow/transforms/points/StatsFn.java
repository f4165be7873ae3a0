package io.segflow.transforms.points;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Summarises the blocks of a bundle into one {@link FeatureStats}: the first pass takes the moments and
 * the seeded sample; the optional second pass (only when features are clipped) takes the moments of the
 * clipped values, with the clipping bounds as a side input.
 */
final class StatsFn extends DoFn<PointBlock, FeatureStats> {
  private final PointsSpec settings;
  private final PCollectionView<Preparation> clipBounds;
  private transient FeatureStats stats;

  /** {@code clipBounds} is null for the first pass. */
  StatsFn(PointsSpec settings, PCollectionView<Preparation> clipBounds) {
    this.settings = settings;
    this.clipBounds = clipBounds;
  }

  @StartBundle
  public void startBundle() {
    stats = new FeatureStats(settings.dimensions(), settings.sampleSize());
  }

  @ProcessElement
  public void process(@Element PointBlock block, ProcessContext context) {
    if (clipBounds == null) {
      stats.add(block, null, null, true);
      return;
    }
    Preparation prep = context.sideInput(clipBounds);
    double[] low = new double[settings.dimensions()];
    double[] high = new double[settings.dimensions()];
    for (int j = 0; j < low.length; j++) {
      low[j] = prep.features().get(j).clipLow();
      high[j] = prep.features().get(j).clipHigh();
    }
    stats.add(block, low, high, false);
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (stats.points > 0) {
      context.output(stats, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    }
  }
}
