package io.segflow.transforms.points;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.values.Row;

/**
 * Reads one row as a point: the entity, each feature as the input has it and transformed, and the weight.
 * A row that cannot be a point (a null entity, a value its transform does not take, a missing value under
 * the reject policy, a bad weight) gets the reason instead. The fit and {@link KMeans#assign} read rows
 * with the same code, so a stored model assigns a row exactly as its fit did.
 */
public final class PointReader implements Serializable {
  private final String entityField;
  private final List<String> fields;
  private final List<FeatureTransform> transforms;
  private final NullPolicy nulls;
  private final String weightFieldOrNull;

  public PointReader(String entityField, List<String> fields, List<FeatureTransform> transforms, NullPolicy nulls,
      String weightFieldOrNull) {
    this.entityField = entityField;
    this.fields = List.copyOf(fields);
    this.transforms = List.copyOf(transforms);
    this.nulls = nulls;
    this.weightFieldOrNull = weightFieldOrNull;
  }

  public static PointReader of(PointsSpec s) {
    return new PointReader(s.entityField(), s.features().stream().map(FeatureSpec::field).toList(),
        s.features().stream().map(FeatureSpec::transform).toList(), s.nulls(), s.weightFieldOrNull());
  }

  /** Reads rows as a stored preparation's fit read them (a stored model carries no weight field). */
  public static PointReader of(String entityField, Preparation preparation) {
    return new PointReader(entityField, preparation.features().stream().map(Preparation.Feature::name).toList(),
        preparation.features().stream().map(Preparation.Feature::transform).toList(), preparation.nulls(), null);
  }

  public int dimensions() {
    return fields.size();
  }

  /** A point's buffers, reused row after row by one reader's caller. */
  public static final class Point {
    public Object entity;
    public final double[] transformed;
    public final double[] input;
    public double weight;

    public Point(int dimensions) {
      transformed = new double[dimensions];
      input = new double[dimensions];
    }
  }

  /**
   * Fills the point from the row: transformed values, NaN where missing (to impute), and the input's
   * values, NaN where missing or not finite. Returns why the row cannot be a point, or null.
   */
  public String read(Row row, Point point) {
    point.entity = row.getValue(entityField);
    if (point.entity == null) {
      return "entity " + entityField + " is null";
    }
    for (int j = 0; j < fields.size(); j++) {
      Object raw = row.getValue(fields.get(j));
      double x = raw == null ? Double.NaN : ((Number) raw).doubleValue();
      if (Double.isNaN(x) || Double.isInfinite(x)) {
        if (nulls == NullPolicy.REJECT) {
          return "feature " + fields.get(j) + " is " + (raw == null ? "null" : Double.isNaN(x) ? "NaN" : "infinite");
        }
        point.transformed[j] = Double.NaN; // imputed once the fit knows the feature's mean or median
        point.input[j] = Double.NaN;
        continue;
      }
      double y = transforms.get(j).apply(x);
      if (Double.isNaN(y)) {
        return "feature " + fields.get(j) + " is " + x + ", but " + transforms.get(j).name().toLowerCase(Locale.ROOT)
            + " takes " + transforms.get(j).domain();
      }
      point.transformed[j] = y;
      point.input[j] = x;
    }
    point.weight = 1.0;
    if (weightFieldOrNull != null) {
      Object w = row.getValue(weightFieldOrNull);
      point.weight = w == null ? Double.NaN : ((Number) w).doubleValue();
      if (!(point.weight > 0) || Double.isInfinite(point.weight)) {
        return "weight " + weightFieldOrNull + " is " + w + "; weights must be positive and finite";
      }
    }
    return null;
  }
}
