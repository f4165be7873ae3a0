package io.segflow.transforms.density;

import com.google.auto.value.AutoValue;
import io.segflow.transforms.points.FeatureSpec;
import io.segflow.transforms.points.FeatureTransform;
import io.segflow.transforms.points.NullPolicy;
import io.segflow.transforms.points.PointsSpec;
import io.segflow.transforms.points.Scaling;
import java.io.Serializable;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Every option of a DBSCAN fit, immutable; {@link Dbscan.Fit} builds it and each stage reads what it needs. */
@AutoValue
abstract class DbscanSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  abstract String entityField();

  abstract List<FeatureSpec> features();

  /** The radius in the scaled space; null: chosen from the sample's k-distance curve. */
  abstract @Nullable Double epsOrNull();

  abstract int minPoints();

  abstract long seed();

  abstract Scaling scaling();

  abstract NullPolicy nulls();

  abstract int sampleSize();

  abstract int blockSize();

  abstract @Nullable String assignedFeaturePrefix();

  abstract Builder toBuilder();

  static Builder builder() {
    return new AutoValue_DbscanSettings.Builder();
  }

  PointsSpec points() {
    boolean keepInputs = assignedFeaturePrefix() != null
        && features().stream().anyMatch(f -> f.transform() != FeatureTransform.NONE);
    return new PointsSpec(entityField(), features(), null, nulls(), scaling(), seed(), blockSize(), sampleSize(),
        keepInputs);
  }

  /** Each {@code withX} of the transform sets one option and keeps the rest. */
  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setEntityField(String field);

    abstract Builder setFeatures(List<FeatureSpec> features);

    abstract Builder setEpsOrNull(Double eps);

    abstract Builder setMinPoints(int minPoints);

    abstract Builder setSeed(long seed);

    abstract Builder setScaling(Scaling scaling);

    abstract Builder setNulls(NullPolicy nulls);

    abstract Builder setSampleSize(int size);

    abstract Builder setBlockSize(int size);

    abstract Builder setAssignedFeaturePrefix(String prefix);

    abstract List<FeatureSpec> features();

    abstract DbscanSettings autoBuild();

    DbscanSettings build() {
      return setFeatures(List.copyOf(features())).autoBuild();
    }
  }
}
