package io.segflow.pipeline.methods;

import java.util.Optional;

/**
 * How far a refresh may move a definition's segments before the run is refused, as the method's options
 * give them.
 *
 * @param centroidShift the largest distance a kept segment's centroid may move (previous run's scaled units)
 * @param featureStabilityIndex the largest population stability index a feature may reach
 */
public record DriftLimits(Optional<Double> centroidShift, Optional<Double> featureStabilityIndex) {
  public static final DriftLimits NONE = new DriftLimits(Optional.empty(), Optional.empty());
}
