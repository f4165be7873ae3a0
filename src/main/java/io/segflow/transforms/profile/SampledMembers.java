package io.segflow.transforms.profile;

import io.segflow.transforms.sampling.ValueSample;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * The members with the {@code capacity} smallest seeded key hashes over all segments, read from the
 * segments' summaries ({@link SegmentProfiles#summaries}) rather than from the members: one row each, its
 * {@code segment_id} and its features' values (DOUBLE, NULL where it has none). Each summary holds at least
 * its segment's that many smallest, so the rows are the same as a sample of the members themselves, on
 * every runner and every refresh (the seed is fixed). The summaries must not overlap, as {@link
 * FeatureDrift}'s must not.
 *
 * <pre>{@code
 * PCollection<Row> points = summaries.apply(SampledMembers.of(5_000, List.of("recency_days", "monetary")));
 * }</pre>
 */
public final class SampledMembers extends PTransform<PCollection<SegmentSummary>, PCollection<Row>> {
  private final int capacity;
  private final List<String> fieldNames;

  private SampledMembers(int capacity, List<String> fieldNames) {
    this.capacity = capacity;
    this.fieldNames = fieldNames;
  }

  /** @param fieldNames the output's names of the summaries' features, in their order */
  public static SampledMembers of(int capacity, List<String> fieldNames) {
    if (capacity < 1 || fieldNames.isEmpty()) {
      throw new IllegalArgumentException("Invalid SampledMembers: a capacity of at least one member and at least "
          + "one field, got " + capacity + " and " + fieldNames);
    }
    return new SampledMembers(capacity, List.copyOf(fieldNames));
  }

  /** {@code segment_id} (INT32), then the fields (nullable DOUBLE). */
  public Schema schema() {
    Schema.Builder schema = Schema.builder().addInt32Field(SegmentProfiles.SEGMENT);
    fieldNames.forEach(f -> schema.addNullableField(f, Schema.FieldType.DOUBLE));
    return schema.build();
  }

  @Override
  public PCollection<Row> expand(PCollection<SegmentSummary> summaries) {
    Schema schema = schema();
    return summaries
        .apply("Smallest", Combine.globally(new SmallestFn(capacity, fieldNames.size())).withoutDefaults())
        .setCoder(ValueSample.SampleCoder.of())
        .apply("Members", ParDo.of(new MembersFn(schema)))
        .setRowSchema(schema);
  }

  /** The smallest-hash members of all summaries, each with its segment id as its first value. */
  private static final class SmallestFn extends CombineFn<SegmentSummary, ValueSample, ValueSample> {
    private final int capacity;
    private final int features;

    SmallestFn(int capacity, int features) {
      this.capacity = capacity;
      this.features = features;
    }

    @Override
    public ValueSample createAccumulator() {
      return new ValueSample(1 + features, capacity);
    }

    @Override
    public ValueSample addInput(ValueSample smallest, SegmentSummary summary) {
      ValueSample members = summary.sampleFor(features, capacity, "SampledMembers");
      double[] member = new double[1 + features];
      member[0] = summary.segmentId();
      members.forEachMember((hash, values, from) -> {
        System.arraycopy(values, from, member, 1, features);
        smallest.add(hash, member, 0);
      });
      return smallest;
    }

    @Override
    public ValueSample mergeAccumulators(Iterable<ValueSample> all) {
      ValueSample merged = createAccumulator();
      all.forEach(merged::merge);
      return merged;
    }

    @Override
    public ValueSample extractOutput(ValueSample smallest) {
      smallest.compact();
      return smallest;
    }

    @Override
    public Coder<ValueSample> getAccumulatorCoder(CoderRegistry registry, Coder<SegmentSummary> inputCoder) {
      return ValueSample.SampleCoder.of();
    }
  }

  /** A row per kept member: the segment id, then its values, NaN as NULL. */
  private static final class MembersFn extends DoFn<ValueSample, Row> {
    private final Schema schema;

    MembersFn(Schema schema) {
      this.schema = schema;
    }

    @ProcessElement
    public void process(@Element ValueSample smallest, OutputReceiver<Row> out) {
      int features = schema.getFieldCount() - 1;
      smallest.forEachMember((hash, values, from) -> {
        List<Object> row = new ArrayList<>(1 + features);
        row.add((int) values[from]);
        for (int f = 1; f <= features; f++) {
          double x = values[from + f];
          row.add(Double.isNaN(x) ? null : x);
        }
        out.output(Row.withSchema(schema).attachValues(row));
      });
    }
  }
}
