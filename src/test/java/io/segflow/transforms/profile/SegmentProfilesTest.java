package io.segflow.transforms.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class SegmentProfilesTest {
  private static final Schema MEMBERS = Schema.builder().addStringField("customer_id").addInt32Field("segment_id")
      .addNullableField("orders", Schema.FieldType.INT64)
      .addNullableField("spend", Schema.FieldType.DOUBLE).build();

  private static Row member(String id, int segment, Long orders, Double spend) {
    return Row.withSchema(MEMBERS).attachValues(id, segment, orders, spend);
  }

  @Test
  void sizeAndEachFeaturesMeanMedianMinMaxOfItsNonNullValues(TestPipeline p) {
    List<Row> rows = new ArrayList<>(List.of(
        member("a", 0, 1L, 10.0), member("b", 0, 2L, null), member("c", 0, 4L, 30.0), member("d", 0, null, 20.0),
        member("e", 1, 9L, null)));
    PCollection<Row> profiles = p.apply(Create.of(rows).withRowSchema(MEMBERS))
        .apply(SegmentProfiles.of(List.of("orders", "spend")));
    Schema schema = SegmentProfiles.schema(List.of("orders", "spend"));
    assertEquals(schema, profiles.getSchema());
    PAssert.that(profiles).containsInAnyOrder(
        // orders 1, 2, 4: mean 7/3, median 2; spend 10, 30, 20: median 20.
        Row.withSchema(schema).attachValues(0, 4L, 7.0 / 3, 2.0, 1.0, 4.0, 20.0, 20.0, 10.0, 30.0),
        // no spend at all: NULL, not 0 or infinity.
        Row.withSchema(schema).attachValues(1, 1L, 9.0, 9.0, 9.0, 9.0, null, null, null, null));
    p.run().waitUntilFinish();
  }

  @Test
  void segmentsBelowTheSizeKeepSizeAndMeanButNotTheirExtremes(TestPipeline p) {
    List<Row> rows = List.of(member("a", 0, 1L, 10.0), member("b", 0, 3L, 30.0), member("c", 0, 5L, 20.0),
        member("d", 1, 7L, 70.0), member("e", 1, 9L, 90.0));
    PCollection<Row> profiles = p.apply(Create.of(rows).withRowSchema(MEMBERS))
        .apply(SegmentProfiles.of(List.of("orders", "spend")).withExtremesSuppressedBelow(3));
    Schema schema = SegmentProfiles.schema(List.of("orders", "spend"));
    PAssert.that(profiles).containsInAnyOrder(
        Row.withSchema(schema).attachValues(0, 3L, 3.0, 3.0, 1.0, 5.0, 20.0, 20.0, 10.0, 30.0),
        // two members: the minimum and maximum would be theirs, the median their midpoint.
        Row.withSchema(schema).attachValues(1, 2L, 8.0, null, null, null, 80.0, null, null, null));
    p.run().waitUntilFinish();
  }

  @Test
  void anEvenCountInterpolatesTheMedianAndTheAccumulatorRoundTrips() throws Exception {
    ProfileFn fn = new ProfileFn(1, 0, new int[] {2, 3}, SegmentProfiles.DEFAULT_SAMPLE_CAPACITY);
    ProfileFn.Profile left = fn.createAccumulator();
    fn.addInput(left, member("a", 0, 1L, 4.0));
    fn.addInput(left, member("b", 0, 3L, null));
    ProfileFn.Profile right = fn.createAccumulator();
    for (int i = 0; i < 40; i++) { // more than the initial capacity, across a merge
      fn.addInput(right, member("c" + i, 0, 10L + i, 1.0));
    }
    ProfileFn.Profile merged = fn.mergeAccumulators(List.of(left, right));
    assertEquals(42, merged.size);
    assertEquals(42, merged.count[0]);
    assertEquals(41, merged.count[1]);
    // orders: 1, 3, 10..49 -> 42 values; the middle two are the 21st and 22nd: 28 and 29.
    assertEquals(28.5, merged.median(0));
    ProfileFn.Profile copy = org.apache.beam.sdk.util.CoderUtils.clone(new ProfileFn.ProfileCoder(), merged);
    assertEquals(merged.size, copy.size);
    assertEquals(merged.sum[0].value(), copy.sum[0].value());
    assertEquals(merged.median(1), copy.median(1));
    assertEquals(0, copy.segment);
  }

  @Test
  void theMedianIsTheSortedValuesMiddleInAnyOrderOfTheRows() {
    ProfileFn fn = new ProfileFn(1, 0, new int[] {2, 3}, SegmentProfiles.DEFAULT_SAMPLE_CAPACITY);
    java.util.Random random = new java.util.Random(7);
    for (int n : new int[] {1, 2, 3, 10, 1001, 5000}) {
      List<Double> spends = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        spends.add((double) random.nextInt(n / 3 + 1)); // many ties
      }
      double[] sorted = spends.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double expected = n % 2 == 1 ? sorted[n / 2] : sorted[n / 2 - 1] + 0.5 * (sorted[n / 2] - sorted[n / 2 - 1]);
      for (int order = 0; order < 3; order++) {
        java.util.Collections.shuffle(spends, random);
        assertEquals(expected, row(profileOf(fn, spends)).getDouble("spend_median"), "n = " + n);
      }
    }
    // -0.0 and 0.0 are one value to the selection: the median is 0.0 whichever comes first.
    assertEquals(0.0, row(profileOf(fn, List.of(-0.0, 0.0, -0.0, 0.0, 5.0))).getDouble("spend_median"));
    assertEquals(0.0, row(profileOf(fn, List.of(0.0, -0.0, -1.0))).getDouble("spend_median"));
  }

  @Test
  void theMeanIsOfTheExactSumSoNoOrderChangesItAndNaNIsNoValue() {
    ProfileFn fn = new ProfileFn(1, 0, new int[] {2, 3}, SegmentProfiles.DEFAULT_SAMPLE_CAPACITY);
    // Added up in doubles these give 0 (1 is below the spacing of doubles near 1e16); exactly, 1: the mean is 1/3.
    List<Double> spends = List.of(1e16, 1.0, -1e16);
    Row forward = row(profileOf(fn, spends));
    Row backward = row(profileOf(fn, List.of(spends.get(1), spends.get(2), spends.get(0))));
    assertEquals(1.0 / 3, forward.getDouble("spend_mean"));
    assertEquals(forward, backward);
    ProfileFn.Profile withNaN = profileOf(fn, List.of(2.0, Double.NaN, 4.0));
    assertEquals(2, withNaN.count[1]);
    assertEquals(3.0, row(withNaN).getDouble("spend_mean"));
    Row infinite = row(profileOf(fn, List.of(1.0, Double.POSITIVE_INFINITY)));
    assertEquals(Double.POSITIVE_INFINITY, infinite.getDouble("spend_mean"));
    assertEquals(Double.POSITIVE_INFINITY, infinite.getDouble("spend_max"));
  }

  private static Row row(ProfileFn.Profile p) {
    return ProfileFn.rowOf(p, SegmentProfiles.schema(List.of("orders", "spend")), 0);
  }

  private static ProfileFn.Profile profileOf(ProfileFn fn, List<Double> spends) {
    ProfileFn.Profile p = fn.createAccumulator();
    for (Double spend : spends) {
      fn.addInput(p, member("x", 0, 1L, spend));
    }
    return p;
  }

  @Test
  void misuseIsNamed(TestPipeline p) {
    PCollection<Row> rows = p.apply(Create.empty(MEMBERS).withRowSchema(MEMBERS));
    assertEquals("Invalid SegmentProfiles: the input needs segment_id and numeric fields "
        + "[customer_id]; it has [customer_id, segment_id, orders, spend]",
        assertThrows(IllegalArgumentException.class, () -> rows.apply(SegmentProfiles.of(List.of("customer_id"))))
            .getMessage());
    PCollection<Row> windowed = rows.apply(Window.into(FixedWindows.of(Duration.standardDays(1))));
    assertEquals("Invalid SegmentProfiles: it profiles rows of the global window, got windowing "
        + "FixedWindows",
        assertThrows(IllegalArgumentException.class, () -> windowed.apply(SegmentProfiles.of(List.of("orders"))))
            .getMessage());
    p.enableAbandonedNodeEnforcement(false);
  }
}
