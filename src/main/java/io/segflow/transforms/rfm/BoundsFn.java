package io.segflow.transforms.rfm;

import io.segflow.transforms.coders.UserTypeSerializableCoder;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * Every score bound ({@link Cut}, one per measure and bound) as the thresholds; no bounds at all when there
 * are no entities. Holds at most measures x (bins - 1) bounds.
 */
final class BoundsFn extends CombineFn<Cut, List<Cut>, RfmThresholds> {
  private final int measures;
  private final int bins;

  BoundsFn(int measures, int bins) {
    this.measures = measures;
    this.bins = bins;
  }

  @Override
  public List<Cut> createAccumulator() {
    return new ArrayList<>();
  }

  @Override
  public List<Cut> addInput(List<Cut> cuts, Cut cut) {
    cuts.add(cut);
    return cuts;
  }

  @Override
  public List<Cut> mergeAccumulators(Iterable<List<Cut>> all) {
    List<Cut> merged = new ArrayList<>();
    all.forEach(merged::addAll);
    return merged;
  }

  @Override
  public RfmThresholds extractOutput(List<Cut> cuts) {
    double[][] bounds = new double[measures][cuts.isEmpty() ? 0 : bins - 1];
    if (cuts.isEmpty()) {
      return new RfmThresholds(bins, 0, bounds);
    }
    if (cuts.size() != measures * (bins - 1)) {
      throw new IllegalStateException("Invalid RFM thresholds: " + cuts.size() + " bounds for " + measures
          + " measures of " + bins + " scores");
    }
    for (Cut cut : cuts) {
      bounds[cut.measure()][cut.index()] = cut.bound();
    }
    return new RfmThresholds(bins, cuts.get(0).entities(), bounds);
  }

  @Override
  public Coder<List<Cut>> getAccumulatorCoder(CoderRegistry registry, Coder<Cut> inputCoder) {
    return ListCoder.of(UserTypeSerializableCoder.of(Cut.class));
  }

  // A plain SerializableCoder resolves the class with the runner's class loader, which on a Flink session
  // cluster does not see the job's classes.
  @Override
  public Coder<RfmThresholds> getDefaultOutputCoder(CoderRegistry registry, Coder<Cut> inputCoder) {
    return UserTypeSerializableCoder.of(RfmThresholds.class);
  }
}
