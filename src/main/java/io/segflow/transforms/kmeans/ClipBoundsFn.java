package io.segflow.transforms.kmeans;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * For fits that clip features: turns the first pass's sample into clipping bounds, carried in a
 * provisional state to the pass that measures the clipped features.
 */
final class ClipBoundsFn extends DoFn<FeatureStats, FitState> {
  private final Settings settings;

  ClipBoundsFn(Settings settings) {
    this.settings = settings;
  }

  @ProcessElement
  public void process(@Element FeatureStats first, OutputReceiver<FitState> out) {
    double[][] bounds = PreparationFitter.clipBounds(settings, first.sample.points());
    List<Preparation.Feature> features = new ArrayList<>();
    for (int j = 0; j < settings.dimensions(); j++) {
      FeatureSpec f = settings.features().get(j);
      features.add(new Preparation.Feature(f.field(), f.transform(), bounds[0][j], bounds[1][j], Double.NaN, 0, 1));
    }
    Preparation bounded = new Preparation(features, Scaling.NONE, settings.nulls());
    out.output(new FitState(bounded, List.of(), first.points, 0, 1, 0, new double[settings.dimensions()], -1, List.of(),
        new long[0], new double[0]));
  }
}
