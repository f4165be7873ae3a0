package io.segflow.transforms.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segflow.testing.TestRunners;
import io.segflow.transforms.points.Hashing;
import io.segflow.transforms.sampling.ValueSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Segments and a population larger than the sample, on the DirectRunner and embedded Flink: the median and
 * the deciles are those of the members with the smallest seeded hashes of their key; size, mean, minimum
 * and maximum stay exact over every member. The drift and the sampled members, read from the segments'
 * summaries, are the population's smallest-hash members.
 */
@Tag("flink")
class SampledProfilesTest {
  private static final Schema MEMBERS = Schema.builder().addInt32Field("segment_id").addInt64Field("customer_id")
      .addNullableField("orders", Schema.FieldType.INT64).addNullableField("spend", Schema.FieldType.DOUBLE).build();
  private static final int CAPACITY = 150;

  @ParameterizedTest(name = "{0} runner")
  @ValueSource(strings = {"direct", "flink"})
  void aLargeSegmentsMedianIsItsSampledMembersAndTheRestStaysExact(String runner) {
    Random random = new Random(5);
    List<Row> rows = new ArrayList<>();
    for (long id = 0; id < 6_000; id++) {
      int segment = id < 5_000 ? 0 : id < 5_900 ? 1 : 2; // 5,000 and 900 sampled; 100 all kept
      Long orders = id % 11 == 0 ? null : (long) random.nextInt(30);
      rows.add(Row.withSchema(MEMBERS).attachValues(segment, id, orders, random.nextDouble() * 1000 * (segment + 1)));
    }
    Collections.shuffle(rows, random);
    Pipeline p = Pipeline.create(TestRunners.named(runner));
    PCollection<Row> members = p.apply(Create.of(rows).withRowSchema(MEMBERS));
    SegmentProfiles spec = SegmentProfiles.of(List.of("orders", "spend")).keyedBy("customer_id")
        .withSampleCapacity(CAPACITY);
    PCollection<SegmentSummary> summaries = members.apply("Summaries", spec.summaries());
    PCollection<Row> profiles = summaries.apply("Profiles", spec.fromSummaries());
    PAssert.that(profiles).containsInAnyOrder(List.of(expectedProfile(rows, 0), expectedProfile(rows, 1),
        expectedProfile(rows, 2)));
    // The population's smallest-hash members, though each segment's summary sampled its own.
    SampledMembers sampledMembers = SampledMembers.of(CAPACITY, List.of("o", "s"));
    PAssert.that(summaries.apply("Sample", sampledMembers)).containsInAnyOrder(sampled(rows).stream()
        .map(r -> Row.withSchema(sampledMembers.schema()).attachValues(r.getInt32("segment_id"),
            r.getInt64("orders") == null ? null : r.getInt64("orders").doubleValue(), r.getDouble("spend")))
        .collect(Collectors.toList()));
    PAssert.thatSingleton(summaries.apply("Drift", FeatureDrift.of(List.of("orders", "spend"))
            .withSampleCapacity(CAPACITY)))
        .satisfies(drift -> {
          for (String feature : List.of("orders", "spend")) {
            double[] sample = present(sampled(rows), feature);
            double[] bounds = FeatureDrift.decileBounds(sample.clone());
            assertArrayEquals(bounds, drift.bins().get(feature).upperBounds(), feature);
            assertArrayEquals(FeatureDrift.sharesIn(sample, bounds), drift.bins().get(feature).shares(), feature);
          }
          return null;
        });
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  /** Computed here from sorted values: exact statistics over all, the median over the sampled members. */
  private static Row expectedProfile(List<Row> rows, int segment) {
    List<Row> all = rows.stream().filter(r -> r.getInt32("segment_id") == segment).collect(Collectors.toList());
    List<Object> values = new ArrayList<>(List.of(segment, (long) all.size()));
    for (String feature : List.of("orders", "spend")) {
      double[] every = present(all, feature);
      java.math.BigDecimal sum = Arrays.stream(every).mapToObj(java.math.BigDecimal::new)
          .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
      values.add(sum.doubleValue() / every.length); // the exact sum, rounded once
      values.add(median(present(sampled(all), feature)));
      values.add(Arrays.stream(every).min().getAsDouble());
      values.add(Arrays.stream(every).max().getAsDouble());
    }
    return Row.withSchema(SegmentProfiles.schema(List.of("orders", "spend"))).attachValues(values);
  }

  private static List<Row> sampled(List<Row> rows) {
    return rows.stream()
        .sorted(Comparator.comparingLong(r -> Hashing.hash(ValueSample.SEED, String.valueOf(r.getInt64("customer_id")))))
        .limit(CAPACITY).collect(Collectors.toList());
  }

  private static double[] present(List<Row> rows, String feature) {
    return rows.stream().map(r -> r.getValue(feature)).filter(v -> v != null)
        .mapToDouble(v -> ((Number) v).doubleValue()).toArray();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : sorted[n / 2 - 1] + 0.5 * (sorted[n / 2] - sorted[n / 2 - 1]);
  }
}
