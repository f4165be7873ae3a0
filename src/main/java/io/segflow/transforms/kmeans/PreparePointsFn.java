package io.segflow.transforms.kmeans;

import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Reads the entity, features and weight of each row, applies the per-feature transforms, and packs the
 * points into blocks. A row that cannot be a point (a null entity, a value a transform does not accept,
 * a missing value under the reject policy, a bad weight) goes to the rejects output with the reason.
 */
final class PreparePointsFn extends DoFn<Row, PointBlock> {
  // Explicit ids: a generated one counts the classes loaded before, and a session cluster loads a job's
  // classes anew for every job, so the second job's tags would not match its graph's.
  static final TupleTag<PointBlock> BLOCKS = new TupleTag<>("segflow.kmeans.blocks") {};
  static final TupleTag<Row> REJECTS = new TupleTag<>("segflow.kmeans.rejects") {};

  private final Settings settings;
  private transient PointBlock.Builder builder;
  private transient double[] point;
  private transient double[] input;

  PreparePointsFn(Settings settings) {
    this.settings = settings;
  }

  @StartBundle
  public void startBundle() {
    builder = new PointBlock.Builder(settings.dimensions(), settings.blockSize(), settings.keepsInputs());
    point = new double[settings.dimensions()];
    input = new double[settings.dimensions()];
  }

  @ProcessElement
  public void process(@Element Row row, MultiOutputReceiver out) {
    Object entity = row.getValue(settings.entityField());
    if (entity == null) {
      out.get(REJECTS).output(Rejects.of(null, "entity " + settings.entityField() + " is null", row));
      return;
    }
    String key = entity.toString();
    List<FeatureSpec> features = settings.features();
    for (int j = 0; j < features.size(); j++) {
      FeatureSpec f = features.get(j);
      Object raw = row.getValue(f.field());
      double x = raw == null ? Double.NaN : ((Number) raw).doubleValue();
      input[j] = x;
      if (Double.isNaN(x) || Double.isInfinite(x)) {
        if (settings.nulls() == NullPolicy.REJECT) {
          String what = raw == null ? "null" : Double.isNaN(x) ? "NaN" : "infinite";
          out.get(REJECTS).output(Rejects.of(entity, "feature " + f.field() + " is " + what, row));
          return;
        }
        point[j] = Double.NaN; // imputed once the fit knows the feature's mean or median
        input[j] = Double.NaN;
        continue;
      }
      double y = f.transform().apply(x);
      if (Double.isNaN(y)) {
        out.get(REJECTS).output(Rejects.of(entity, "feature " + f.field() + " is " + x + ", but "
            + f.transform().name().toLowerCase(java.util.Locale.ROOT) + " takes " + f.transform().domain(), row));
        return;
      }
      point[j] = y;
    }
    double weight = 1.0;
    if (settings.weightFieldOrNull() != null) {
      Object w = row.getValue(settings.weightFieldOrNull());
      weight = w == null ? Double.NaN : ((Number) w).doubleValue();
      if (!(weight > 0) || Double.isInfinite(weight)) {
        out.get(REJECTS).output(Rejects.of(entity, "weight " + settings.weightFieldOrNull() + " is " + w
            + "; weights must be positive and finite", row));
        return;
      }
    }
    if (builder.add(key, point, input, weight, Hashing.hash(settings.seed(), key))) {
      out.get(BLOCKS).output(builder.build());
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (!builder.isEmpty()) {
      context.output(BLOCKS, builder.build(), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    }
  }
}
