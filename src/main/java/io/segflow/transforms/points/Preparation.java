package io.segflow.transforms.points;

import java.io.Serializable;
import java.util.List;

/**
 * What the fit learned about each feature before clustering: the transform, clipping bounds, the value
 * that replaces a missing one, and the scaler. Applied to every point of every pass, and kept in the
 * model so a stored model prepares new points exactly as it prepared the training points.
 */
public record Preparation(List<Feature> features, Scaling scaling, NullPolicy nulls) implements Serializable {

  /** One feature's preparation. {@code impute} is NaN under the reject policy. */
  public record Feature(
      String name, FeatureTransform transform, double clipLow, double clipHigh, double impute, double center,
      double scale) implements Serializable {}

  /** A feature as the scaler sees it: its column through its transform. */
  public record Axis(String name, FeatureTransform transform) implements Serializable {}

  public Preparation {
    features = List.copyOf(features);
  }

  public int dimensions() {
    return features.size();
  }

  /**
   * The space the scaler works in, feature by feature. Two preparations with equal axes map points onto
   * each other (each through its own scaler); otherwise a point of one means nothing in the other.
   */
  public List<Axis> axes() {
    return features.stream().map(f -> new Axis(f.name(), f.transform())).toList();
  }

  /** Scales one block-stored point (transformed values, NaN where missing) into {@code out}. */
  public void apply(double[] values, int offset, double[] out) {
    for (int j = 0; j < out.length; j++) {
      Feature f = features.get(j);
      double x = values[offset + j];
      if (Double.isNaN(x)) {
        x = f.impute;
      }
      x = Math.min(Math.max(x, f.clipLow), f.clipHigh);
      out[j] = (x - f.center) / f.scale;
    }
  }

  /** Maps a point of the scaled space back to the features' original units. */
  public double[] toOriginalUnits(double[] scaled) {
    double[] out = toTransformedUnits(scaled);
    for (int j = 0; j < out.length; j++) {
      out[j] = features.get(j).transform.invert(out[j]);
    }
    return out;
  }

  /** Undoes the scaler: a point of the scaled space in the features' transformed units (after log1p, sqrt). */
  public double[] toTransformedUnits(double[] scaled) {
    double[] out = new double[scaled.length];
    for (int j = 0; j < scaled.length; j++) {
      Feature f = features.get(j);
      out[j] = f.center + f.scale * scaled[j];
    }
    return out;
  }

  /** Applies the scaler alone: a point in the features' transformed units into the scaled space. */
  public double[] toScaled(double[] transformed) {
    double[] out = new double[transformed.length];
    for (int j = 0; j < transformed.length; j++) {
      Feature f = features.get(j);
      out[j] = (transformed[j] - f.center) / f.scale;
    }
    return out;
  }
}
