package io.segflow.transforms.density;

import io.segflow.transforms.aggregate.GloballyOrDefault;
import io.segflow.transforms.coders.UserTypeSerializableCoder;
import io.segflow.transforms.points.AssignStored;
import io.segflow.transforms.points.FeatureSpec;
import io.segflow.transforms.points.NullPolicy;
import io.segflow.transforms.points.PointsSpec;
import io.segflow.transforms.points.PreparePoints;
import io.segflow.transforms.points.PreparedPoints;
import io.segflow.transforms.points.Scaling;
import io.segflow.transforms.windowing.GlobalWindowOnly;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;

/**
 * Distributed, deterministic DBSCAN for Beam.
 *
 * <pre>{@code
 * DbscanResult result = customers.apply(Dbscan.fit()
 *     .withEntityField("customer_id")
 *     .withFeatures(FeatureSpec.of("recency_days"), FeatureSpec.of("monetary"))
 *     .withMinPoints(10)
 *     .withEps(0.3));          // or withAutoEps(): the knee of the sample's k-distance curve
 * result.model();        // PCollection<DensityModel>, one element
 * result.assignments();  // customer_id, segment_id (-1: noise), distance to the nearest core point, margin (NULL)
 * result.rejects();      // entity, reason, record
 *
 * // Later, new customers (a stream, a rescoring) by a stored model, as the fit assigned its own:
 * PCollectionTuple assigned = newCustomers.apply(Dbscan.assign(DensityModel.fromJson(json)));
 * }</pre>
 *
 * <p>Points are prepared as for k-means (transforms, clipping, imputation, scaler, seeded sample). DBSCAN
 * runs in memory on the sample with a k-d tree; its core points are the model. Two passes over the full
 * data, reading the same blocks, then give every point the cluster of its nearest core point within eps,
 * else noise, and total each cluster's size and centre. When the sample holds every point this is DBSCAN
 * itself; when it does not, a cluster is dense in the sample, and a full-data point joins it when it lies
 * within eps of one of the sample's core points.
 */
public final class Dbscan {
  /** The segment of a point in no cluster. */
  public static final int NOISE = LocalDbscan.NOISE;

  private Dbscan() {}

  /** A stored DBSCAN model, as {@link AssignStored} assigns with it. */
  public static final AssignStored.Method<DensityModel> STORED =
      new AssignStored.Method<>("Dbscan", UserTypeSerializableCoder.of(DensityModel.class), CoreAssigner::new, false);

  /**
   * Assigns rows to the clusters of a stored model ({@link AssignStored}): the cluster of its nearest core
   * point within eps, else noise, as the fit assigned them; {@code distance} is to that core point,
   * {@code margin} NULL.
   */
  public static AssignStored<DensityModel> assign(DensityModel model) {
    return AssignStored.of(STORED, model);
  }

  /** As {@link #assign(DensityModel)}, with the model as a side input, which may be refreshed. */
  public static AssignStored<DensityModel> assign(PCollectionView<DensityModel> model, String entityField) {
    return AssignStored.of(STORED, model, entityField);
  }

  /** A fit with the defaults documented on each {@code with} method; eps and min points are required. */
  public static Fit fit() {
    return new Fit(DbscanSettings.builder()
        .setPoints(PointsSpec.defaults())
        .setEpsOrNull(Double.NaN)
        .setMinPoints(0)
        .build());
  }

  /** Fits DBSCAN to rows of an entity and numeric features; see {@link Dbscan}. */
  public static final class Fit extends PTransform<PCollection<Row>, DbscanResult> {
    private final DbscanSettings s;

    private Fit(DbscanSettings s) {
      this.s = s;
    }

    private static void check(boolean ok, String format, Object... args) {
      if (!ok) {
        throw new IllegalArgumentException("Invalid Dbscan.Fit: " + String.format(format, args));
      }
    }

    private Fit withPoints(java.util.function.UnaryOperator<PointsSpec> change) {
      return new Fit(s.toBuilder().setPoints(s.points().changed("Dbscan.Fit", change)).build());
    }

    /** The field identifying each row's entity (STRING, INT64 or INT32); default "entity". */
    public Fit withEntityField(String field) {
      return withPoints(p -> p.withEntityField(field));
    }

    public Fit withFeatures(FeatureSpec... features) {
      return withFeatures(Arrays.asList(features));
    }

    /** The numeric features, with their transforms and clips. */
    public Fit withFeatures(List<FeatureSpec> features) {
      return withPoints(p -> p.withFeatures(features));
    }

    /** The neighbourhood radius in the scaled space; must be positive. */
    public Fit withEps(double eps) {
      check(eps > 0 && Double.isFinite(eps), "eps must be a positive number, got %s", eps);
      return new Fit(s.toBuilder().setEpsOrNull(eps).build());
    }

    /** eps from the sample: the knee of its sorted k-distance curve, k being the minimum points. */
    public Fit withAutoEps() {
      return new Fit(s.toBuilder().setEpsOrNull(null).build());
    }

    /** The points within eps, the point itself included, that make a core point (scikit-learn's min_samples). */
    public Fit withMinPoints(int minPoints) {
      check(minPoints >= 1, "min points must be at least 1, got %d", minPoints);
      return new Fit(s.toBuilder().setMinPoints(minPoints).build());
    }

    /** The seed of the sample; default 42. */
    public Fit withSeed(long seed) {
      return withPoints(p -> p.withSeed(seed));
    }

    /** How features are put on one scale before distances are measured; default standard. */
    public Fit withScaling(Scaling scaling) {
      return withPoints(p -> p.withScaling(scaling));
    }

    /** What happens to a point with a missing feature; default reject. */
    public Fit withNullPolicy(NullPolicy nulls) {
      return withPoints(p -> p.withNulls(nulls));
    }

    /** The points DBSCAN clusters in memory; default 16,384. Every point when the data is no larger. */
    public Fit withSampleSize(int sampleSize) {
      return withPoints(p -> p.withSampleSize(sampleSize, 2));
    }

    /** The points per block the passes read; default 8,192. */
    public Fit withBlockSize(int blockSize) {
      return withPoints(p -> p.withBlockSize(blockSize));
    }

    /** Carries each feature's input value into the assignments, as {@code prefix + feature}. */
    public Fit withFeaturesInAssignments(String prefix) {
      return withPoints(p -> p.withAssignedFeaturePrefix(prefix));
    }

    @Override
    public DbscanResult expand(PCollection<Row> input) {
      check(!s.points().features().isEmpty(), "features are required: call withFeatures");
      check(s.epsOrNull() == null || !s.epsOrNull().isNaN(), "eps is required: call withEps or withAutoEps");
      check(s.minPoints() >= 1, "min points are required: call withMinPoints");
      GlobalWindowOnly.require(input, "Dbscan.Fit", "it clusters a bounded input in the global window");
      Schema assignmentSchema = s.points().assignmentSchema("Dbscan.Fit", input.getSchema(), false);
      Coder<DensityModel> modelCoder = UserTypeSerializableCoder.of(DensityModel.class);

      // 1. Rows become blocks of prepared points (or rejects), with the seeded sample.
      PreparedPoints points = input.apply("Points", PreparePoints.of("Dbscan.Fit", s.points()));
      // 2. In memory: DBSCAN on the sample; its core points are what assigns.
      PCollectionView<DensityModel> clustered = points.sample()
          .apply("ClusterSample", ParDo.of(new ClusterSampleFn(s))).setCoder(modelCoder)
          .apply("ClusteredView", View.asSingleton());
      // 3. Two passes over the same blocks: totals per cluster (the model's sizes and centres), assignments.
      Coder<ClusterTotals> totalsCoder = UserTypeSerializableCoder.of(ClusterTotals.class);
      PCollection<DensityModel> model = points.blocks()
          .apply("Totals", ParDo.of(new TotalsFn(clustered)).withSideInputs(clustered)).setCoder(totalsCoder)
          .apply("MergeTotals", GloballyOrDefault.of(new ClusterTotals.MergeFn())).setCoder(totalsCoder)
          .apply("CompleteModel", ParDo.of(new CompleteModelFn(clustered)).withSideInputs(clustered))
          .setCoder(modelCoder);
      PCollection<Row> assignments = points.blocks()
          .apply("Assign", ParDo.of(new AssignDensityFn(clustered, assignmentSchema)).withSideInputs(clustered))
          .setRowSchema(assignmentSchema);
      return new DbscanResult(input.getPipeline(), model, assignments, points.rejects());
    }
  }
}
