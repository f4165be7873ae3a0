package io.segflow.transforms.points;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/** Learns each feature's clipping bounds, imputation value and scaler from a pass's summary. */
final class PreparationFitter {
  private PreparationFitter() {}

  /** Clipping bounds from the sample's quantiles (unclipped features get infinite bounds). */
  static double[][] clipBounds(PointsSpec settings, List<Sample.Point> sample) {
    int d = settings.dimensions();
    double[][] bounds = new double[2][d];
    for (int j = 0; j < d; j++) {
      FeatureSpec f = settings.features().get(j);
      if (f.clip().isPresent()) {
        double[] values = presentValues(sample, j, null, null);
        bounds[0][j] = quantile(values, f.clip().get().lowerQuantile());
        bounds[1][j] = quantile(values, f.clip().get().upperQuantile());
      } else {
        bounds[0][j] = Double.NEGATIVE_INFINITY;
        bounds[1][j] = Double.POSITIVE_INFINITY;
      }
    }
    return bounds;
  }

  static Preparation fit(PointsSpec settings, FeatureStats stats, List<Sample.Point> sample, double[][] clip) {
    int d = settings.dimensions();
    List<Preparation.Feature> features = new ArrayList<>();
    BigDecimal totalWeight = stats.totalWeight.exact();
    for (int j = 0; j < d; j++) {
      FeatureSpec spec = settings.features().get(j);
      double low = clip[0][j];
      double high = clip[1][j];
      if (stats.present[j] == 0) {
        throw new IllegalStateException("KMeans: feature " + spec.field() + " has no value in any point");
      }
      double[] sorted = presentValues(sample, j, low, high);
      BigDecimal w = stats.weightPresent[j].exact();
      BigDecimal s1 = stats.weightedSum[j].exact();
      BigDecimal s2 = stats.weightedSquares[j].exact();
      double impute = switch (settings.nulls()) {
        case REJECT -> Double.NaN;
        case IMPUTE_MEAN -> s1.divide(w, MathContext.DECIMAL128).doubleValue();
        case IMPUTE_MEDIAN -> quantile(sorted, 0.5);
      };
      if (!Double.isNaN(impute)) {
        // Imputed points count in the moments as the value they receive.
        BigDecimal missing = totalWeight.subtract(w);
        BigDecimal v = new BigDecimal(Math.min(Math.max(impute, low), high));
        s1 = s1.add(missing.multiply(v));
        s2 = s2.add(missing.multiply(v).multiply(v));
        w = totalWeight;
      }
      double mean = s1.divide(w, MathContext.DECIMAL128).doubleValue();
      // Σw(x-μ)² = (W·S2 - S1²) / W, exactly, then rounded once: no cancellation for large means.
      double variance = Math.max(0, w.multiply(s2).subtract(s1.multiply(s1))
          .divide(w.multiply(w), MathContext.DECIMAL128).doubleValue());
      double center;
      double scale;
      switch (settings.scaling()) {
        case STANDARD -> {
          center = mean;
          scale = Math.sqrt(variance);
        }
        case MINMAX -> {
          center = Math.max(stats.min[j], low);
          scale = Math.min(stats.max[j], high) - center;
        }
        case ROBUST -> {
          center = quantile(sorted, 0.5);
          scale = quantile(sorted, 0.75) - quantile(sorted, 0.25);
        }
        default -> {
          center = 0;
          scale = 1;
        }
      }
      // A constant feature carries no distance; scale 1 keeps it harmless (scikit-learn does the same).
      if (!(scale > 0) || Double.isInfinite(scale)) {
        scale = 1;
      }
      features.add(new Preparation.Feature(spec.field(), spec.transform(), low, high, impute, center, scale));
    }
    return new Preparation(features, settings.scaling(), settings.nulls());
  }

  /** The feature's present sample values, clipped when bounds are given, sorted. */
  private static double[] presentValues(List<Sample.Point> sample, int j, Double low, Double high) {
    return sample.stream()
        .mapToDouble(p -> p.values()[j])
        .filter(x -> !Double.isNaN(x))
        .map(x -> low == null ? x : Math.min(Math.max(x, low), high))
        .sorted()
        .toArray();
  }

  /** Linear interpolation between closest ranks (numpy's default). */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  }

  /** The sample's points prepared (imputed, clipped, scaled), flattened row-major, with their weights. */
  static double[][] preparedSample(Preparation prep, List<Sample.Point> sample) {
    int d = prep.dimensions();
    double[] points = new double[sample.size() * d];
    double[] weights = new double[sample.size()];
    double[] scaled = new double[d];
    for (int i = 0; i < sample.size(); i++) {
      prep.apply(sample.get(i).values(), 0, scaled);
      System.arraycopy(scaled, 0, points, i * d, d);
      weights[i] = sample.get(i).weight();
    }
    return new double[][] {points, weights};
  }
}
