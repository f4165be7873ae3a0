package io.segflow.transforms.points;

import io.segflow.transforms.aggregate.GloballyOrDefault;
import io.segflow.transforms.coders.UserTypeSerializableCoder;
import io.segflow.transforms.quality.EntityRejects;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Rows to prepared points, the part every distance-based method shares: rows become blocks of transformed
 * points (rows that cannot be points become rejects), one pass takes the exact moments of every feature and
 * the seeded sample, a second pass measures clipped features when any is clipped, and the preparation
 * (imputation, clipping, scaler) is fitted and the sample prepared with it.
 *
 * <pre>{@code
 * PreparedPoints points = rows.apply(PreparePoints.of("MyMethod", spec));
 * points.blocks();   // every point, transformed, in blocks: what a method's passes read
 * points.sample();   // one PreparedSample: the preparation and the prepared seeded sample
 * points.rejects();  // EntityRejects.SCHEMA
 * }</pre>
 */
public final class PreparePoints extends PTransform<PCollection<Row>, PreparedPoints> {
  private final String owner;
  private final PointsSpec spec;

  private PreparePoints(String owner, PointsSpec spec) {
    this.owner = owner;
    this.spec = spec;
  }

  /** @param owner the transform that prepares points, as its errors name it */
  public static PreparePoints of(String owner, PointsSpec spec) {
    return new PreparePoints(owner, spec);
  }

  private void check(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException("Invalid " + owner + ": " + String.format(format, args));
    }
  }

  /** The input's schema has the entity and numeric features (and weight); named errors otherwise. */
  public void checkSchema(Schema schema) {
    check(schema.hasField(spec.entityField()), "entity field '%s' is not in the input schema %s", spec.entityField(),
        schema.getFieldNames());
    Schema.TypeName keyType = schema.getField(spec.entityField()).getType().getTypeName();
    check(keyType == Schema.TypeName.STRING || keyType == Schema.TypeName.INT64 || keyType == Schema.TypeName.INT32,
        "entity field '%s' must be STRING, INT64 or INT32, got %s", spec.entityField(), keyType);
    List<String> numeric = new ArrayList<>(spec.fields());
    if (spec.weightFieldOrNull() != null) {
      numeric.add(spec.weightFieldOrNull());
    }
    for (String field : numeric) {
      check(schema.hasField(field), "field '%s' is not in the input schema %s", field, schema.getFieldNames());
      check(schema.getField(field).getType().getTypeName().isNumericType(), "field '%s' must be numeric, got %s",
          field, schema.getField(field).getType().getTypeName());
    }
  }

  @Override
  public PreparedPoints expand(PCollection<Row> input) {
    checkSchema(input.getSchema());
    int d = spec.dimensions();
    Coder<FeatureStats> statsCoder = UserTypeSerializableCoder.of(FeatureStats.class);

    PCollectionTuple prepared = input.apply("Read", ParDo.of(new PreparePointsFn(spec))
        .withOutputTags(PreparePointsFn.BLOCKS, TupleTagList.of(PreparePointsFn.REJECTS)));
    PCollection<PointBlock> blocks = prepared.get(PreparePointsFn.BLOCKS).setCoder(PointBlock.Coder.of());
    PCollection<Row> rejects = prepared.get(PreparePointsFn.REJECTS).setRowSchema(EntityRejects.SCHEMA);

    // The combine keeps its default (empty) value, so an input with no usable point fails with a clear
    // error rather than giving no result.
    PCollection<FeatureStats> summary = blocks
        .apply("Summarise", ParDo.of(new StatsFn(spec, null))).setCoder(statsCoder)
        .apply("MergeSummary", GloballyOrDefault.of(new MergeStatsFn(d, spec.sampleSize()))).setCoder(statsCoder);
    PCollectionView<FeatureStats> summaryView = summary.apply("SummaryView", View.asSingleton());

    PCollection<FeatureStats> scalerStats = summary;
    if (spec.clips()) {
      PCollectionView<Preparation> bounds = summary.apply("ClipBounds", ParDo.of(new ClipBoundsFn(spec)))
          .setCoder(UserTypeSerializableCoder.of(Preparation.class)).apply("ClipBoundsView", View.asSingleton());
      scalerStats = blocks
          .apply("SummariseClipped", ParDo.of(new StatsFn(spec, bounds)).withSideInputs(bounds)).setCoder(statsCoder)
          .apply("MergeClipped", Combine.globally(new MergeStatsFn(d, spec.sampleSize())).withoutDefaults())
          .setCoder(statsCoder);
    }
    PCollection<PreparedSample> sample = scalerStats
        .apply("FitPreparation", ParDo.of(new FitPreparationFn(spec, owner, summaryView)).withSideInputs(summaryView))
        .setCoder(UserTypeSerializableCoder.of(PreparedSample.class));
    return new PreparedPoints(input.getPipeline(), blocks, sample, rejects);
  }
}
