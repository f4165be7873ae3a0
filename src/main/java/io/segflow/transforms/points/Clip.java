package io.segflow.transforms.points;

import java.io.Serializable;

/** Clipping of a feature at two quantiles (0 to 1) of its values, to limit the pull of outliers. */
public record Clip(double lowerQuantile, double upperQuantile) implements Serializable {
  public Clip {
    if (!(lowerQuantile >= 0 && upperQuantile <= 1 && lowerQuantile < upperQuantile)) {
      throw new IllegalArgumentException("Clip quantiles must satisfy 0 <= lower < upper <= 1, got lower="
          + lowerQuantile + ", upper=" + upperQuantile);
    }
  }
}
