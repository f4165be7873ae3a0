package io.segflow.pipeline;

import io.segflow.pipeline.methods.Segmented;
import io.segflow.pipeline.refresh.SegmentIds;
import io.segflow.transforms.sample.SeededSample;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;

/**
 * A bounded, seeded sample of the members with their published segment and profiled features, which the
 * run's report draws its projection, distributions and explanations from (never one point per member, so
 * the report of ten million customers is as small as that of ten thousand). The entity is left out: the
 * report has no use for who a point is.
 */
final class ReportSample extends PTransform<PCollection<Row>, PCollection<Row>> {
  /** Enough points for a readable projection and a surrogate tree; few enough for a page to open at once. */
  static final int CAPACITY = 5_000;
  /** Before each feature's name in the sample, so a feature may be called segment_id too. */
  static final String FEATURE_PREFIX = "feature_";
  /** Fixed, so that a refresh samples the same customers and their points can be compared. */
  static final long SEED = 0x5e9f_10_77L;

  private final PCollectionView<SegmentIds> ids;
  private final List<String> profiled;

  private ReportSample(PCollectionView<SegmentIds> ids, List<String> profiled) {
    this.ids = ids;
    this.profiled = List.copyOf(profiled);
  }

  /** @param profiled the profiled features, whose {@link Segmented#PROFILED_PREFIX} fields the assignments hold */
  static ReportSample of(PCollectionView<SegmentIds> ids, List<String> profiled) {
    return new ReportSample(ids, profiled);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> assignments) {
    Schema.Builder fields = Schema.builder().addInt32Field("segment_id");
    for (String feature : profiled) {
      fields.addField(FEATURE_PREFIX + feature, assignments.getSchema().getField(Segmented.PROFILED_PREFIX + feature).getType()
          .withNullable(true));
    }
    Schema schema = fields.build();
    return assignments
        .apply("Seeded", SeededSample.of(CAPACITY).withSeed(SEED))
        .apply("Published", ParDo.of(new PublishedFn(ids, profiled, schema)).withSideInputs(ids))
        .setRowSchema(schema);
  }

  /** A sampled member as its published segment id and its profiled features. */
  private static final class PublishedFn extends DoFn<Row, Row> {
    private final PCollectionView<SegmentIds> ids;
    private final List<String> fields;
    private final Schema schema;

    PublishedFn(PCollectionView<SegmentIds> ids, List<String> profiled, Schema schema) {
      this.ids = ids;
      this.fields = profiled.stream().map(f -> Segmented.PROFILED_PREFIX + f).toList();
      this.schema = schema;
    }

    @ProcessElement
    public void process(@Element Row member, ProcessContext c) {
      List<Object> values = new ArrayList<>(fields.size() + 1);
      values.add(c.sideInput(ids).id(member.getInt32("segment_id")));
      fields.forEach(f -> values.add(member.getValue(f)));
      c.output(Row.withSchema(schema).attachValues(values));
    }
  }
}
