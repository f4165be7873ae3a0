package io.segflow.transforms.points;

import org.apache.beam.sdk.transforms.Combine;

/** Merges per-bundle summaries; exact, so the order of merges does not matter. */
final class MergeStatsFn extends Combine.CombineFn<FeatureStats, FeatureStats, FeatureStats> {
  private final int dimensions;
  private final int sampleSize;

  MergeStatsFn(int dimensions, int sampleSize) {
    this.dimensions = dimensions;
    this.sampleSize = sampleSize;
  }

  @Override
  public FeatureStats createAccumulator() {
    return new FeatureStats(dimensions, sampleSize);
  }

  @Override
  public FeatureStats addInput(FeatureStats accumulator, FeatureStats input) {
    accumulator.merge(input);
    return accumulator;
  }

  @Override
  public FeatureStats mergeAccumulators(Iterable<FeatureStats> accumulators) {
    FeatureStats merged = createAccumulator();
    for (FeatureStats a : accumulators) {
      merged.merge(a);
    }
    return merged;
  }

  @Override
  public FeatureStats extractOutput(FeatureStats accumulator) {
    return accumulator;
  }
}
