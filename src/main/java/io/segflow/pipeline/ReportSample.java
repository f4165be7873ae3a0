package io.segflow.pipeline;

import io.segflow.pipeline.refresh.SegmentIds;
import io.segflow.transforms.profile.SampledMembers;
import io.segflow.transforms.profile.SegmentSummary;
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
 * the report of ten million customers is as small as that of ten thousand). Read from the segments'
 * summaries ({@link SampledMembers}), not from the members again. The entity is left out: the report has
 * no use for who a point is.
 */
final class ReportSample extends PTransform<PCollection<SegmentSummary>, PCollection<Row>> {
  /** Enough points for a readable projection and a surrogate tree; few enough for a page to open at once. */
  static final int CAPACITY = 5_000;
  /** Before each feature's name in the sample, so a feature may be called segment_id too. */
  static final String FEATURE_PREFIX = "feature_";

  private final PCollectionView<SegmentIds> ids;
  private final List<String> profiled;

  private ReportSample(PCollectionView<SegmentIds> ids, List<String> profiled) {
    this.ids = ids;
    this.profiled = List.copyOf(profiled);
  }

  /** @param profiled the profiled features, in the summaries' order */
  static ReportSample of(PCollectionView<SegmentIds> ids, List<String> profiled) {
    return new ReportSample(ids, profiled);
  }

  @Override
  public PCollection<Row> expand(PCollection<SegmentSummary> summaries) {
    SampledMembers sample = SampledMembers.of(CAPACITY, profiled.stream().map(f -> FEATURE_PREFIX + f).toList());
    Schema schema = sample.schema();
    return summaries
        .apply("Members", sample)
        .apply("Published", ParDo.of(new PublishedFn(ids, schema)).withSideInputs(ids))
        .setRowSchema(schema);
  }

  /** A sampled member with its published segment id. */
  private static final class PublishedFn extends DoFn<Row, Row> {
    private final PCollectionView<SegmentIds> ids;
    private final Schema schema;

    PublishedFn(PCollectionView<SegmentIds> ids, Schema schema) {
      this.ids = ids;
      this.schema = schema;
    }

    @ProcessElement
    public void process(@Element Row member, ProcessContext c) {
      List<Object> values = new ArrayList<>(member.getValues());
      values.set(0, c.sideInput(ids).id(member.getInt32(0)));
      c.output(Row.withSchema(schema).attachValues(values));
    }
  }
}
