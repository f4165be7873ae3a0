package io.segflow.transforms.density;

import com.google.auto.value.AutoValue;
import io.segflow.transforms.points.PointsSpec;
import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Every option of a DBSCAN fit, immutable; {@link Dbscan.Fit} builds it and each stage reads what it needs. */
@AutoValue
abstract class DbscanSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How rows become points, and whether the assignments carry the input features. */
  abstract PointsSpec points();

  /** The radius in the scaled space; null: chosen from the sample's k-distance curve. */
  abstract @Nullable Double epsOrNull();

  abstract int minPoints();

  abstract Builder toBuilder();

  static Builder builder() {
    return new AutoValue_DbscanSettings.Builder();
  }

  /** Each {@code withX} of the transform sets one option and keeps the rest. */
  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setPoints(PointsSpec points);

    abstract Builder setEpsOrNull(Double eps);

    abstract Builder setMinPoints(int minPoints);

    abstract DbscanSettings build();
  }
}
