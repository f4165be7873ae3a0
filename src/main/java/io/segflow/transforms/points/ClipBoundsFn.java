package io.segflow.transforms.points;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * For fits that clip features: turns the first pass's sample into clipping bounds, carried in a
 * provisional preparation (no scaler yet) to the pass that measures the clipped features.
 */
final class ClipBoundsFn extends DoFn<FeatureStats, Preparation> {
  private final PointsSpec settings;

  ClipBoundsFn(PointsSpec settings) {
    this.settings = settings;
  }

  @ProcessElement
  public void process(@Element FeatureStats first, OutputReceiver<Preparation> out) {
    double[][] bounds = PreparationFitter.clipBounds(settings, first.sample.points());
    List<Preparation.Feature> features = new ArrayList<>();
    for (int j = 0; j < settings.dimensions(); j++) {
      FeatureSpec f = settings.features().get(j);
      features.add(new Preparation.Feature(f.field(), f.transform(), bounds[0][j], bounds[1][j], Double.NaN, 0, 1));
    }
    out.output(new Preparation(features, Scaling.NONE, settings.nulls()));
  }
}
