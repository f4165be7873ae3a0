package io.segflow.pipeline;

import io.segflow.transforms.io.RowText;
import io.segflow.transforms.metrics.DeferredCounter;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The features query's rows as the methods may use them: counted ({@code entities_featured}), and an
 * entity that is NULL, or a FLOAT64 feature that is NaN or infinite (a division by zero in the SQL), made a
 * reject of the features stage instead of a member with an empty id or a failed run. Counted as rejected
 * entities, so the entity accounting still balances.
 */
final class FeatureRowsFn extends DoFn<Row, Row> {
  static final TupleTag<Row> ROWS = new TupleTag<>("segflow.features.rows") {};
  static final TupleTag<Row> REJECTS = new TupleTag<>("segflow.features.rejects") {};
  /**
   * Each bundle's rows, whose sum is the features' size: counted here rather than by another pass. Only
   * from {@link #countingBundles} (a batch run's global window), where it must be among the output tags.
   */
  static final TupleTag<Long> COUNTS = new TupleTag<>("segflow.features.counts") {};

  private final String entity;
  private final List<String> doubles;
  private final DeferredCounter featured = DeferredCounter.of(SegflowPipeline.METRICS, "entities_featured");
  private final Counter rejected = Metrics.counter(SegflowPipeline.METRICS, "entities_rejected");
  private final boolean countsBundles;
  private transient long passed;

  FeatureRowsFn(Schema features, String entity) {
    this(features, entity, false);
  }

  /** As the constructor, and each bundle's rows to {@link #COUNTS}. */
  static FeatureRowsFn countingBundles(Schema features, String entity) {
    return new FeatureRowsFn(features, entity, true);
  }

  private FeatureRowsFn(Schema features, String entity, boolean countsBundles) {
    this.countsBundles = countsBundles;
    this.entity = entity;
    List<String> names = new ArrayList<>();
    for (Schema.Field f : features.getFields()) {
      Schema.TypeName type = f.getType().getTypeName();
      if (type == Schema.TypeName.DOUBLE || type == Schema.TypeName.FLOAT) {
        names.add(f.getName());
      }
    }
    this.doubles = List.copyOf(names);
  }

  @ProcessElement
  public void process(@Element Row row, MultiOutputReceiver out) {
    featured.inc();
    Object key = row.getValue(entity);
    String problem = key == null ? "the entity " + entity + " is NULL" : null;
    for (int i = 0; i < doubles.size() && problem == null; i++) {
      Number value = row.getValue(doubles.get(i));
      if (value != null && !Double.isFinite(value.doubleValue())) {
        problem = "feature " + doubles.get(i) + " is " + value + " (the features query made it, e.g. a division by "
            + "zero); NaN and infinities are not values";
      }
    }
    if (problem == null) {
      passed++;
      out.get(ROWS).output(row);
      return;
    }
    rejected.inc();
    SegflowPipeline.countReason("features", problem);
    out.get(REJECTS).output(Row.withSchema(SegflowPipeline.REJECTS).attachValues("features", null, null, null,
        key == null ? null : key.toString(), RowText.of(row), problem));
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    featured.flush();
    if (countsBundles && passed > 0) {
      c.output(COUNTS, passed, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    }
    passed = 0;
  }
}
