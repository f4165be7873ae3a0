package io.segflow.transforms.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class FeatureDriftTest {
  private static final Schema SCHEMA = Schema.builder().addStringField("id").addInt32Field("segment_id")
      .addNullableField("spend", Schema.FieldType.DOUBLE).build();

  @Test
  void theIndexIsTheSumOfShareDifferencesTimesTheirLogRatio() {
    FeatureDrift.Bins half = new FeatureDrift.Bins(new double[] {5}, new double[] {0.5, 0.5});
    double expected = (0.25 - 0.5) * Math.log(0.25 / 0.5) + (0.75 - 0.5) * Math.log(0.75 / 0.5);
    assertEquals(expected, half.stabilityIndexOf(new double[] {0.25, 0.75}), 1e-12);
    assertEquals(0.0, half.stabilityIndexOf(new double[] {0.5, 0.5}));
    // An empty bin counts as 0.0001, not 0: the index stays finite.
    assertEquals((1e-4 - 0.5) * Math.log(1e-4 / 0.5) + 0.5 * Math.log(2), half.stabilityIndexOf(new double[] {0, 1}),
        1e-12);
  }

  @Test
  void tiedValuesShareABinSoNoBinIsEmptyByConstruction() {
    // 60 customers with one order, then 2..41 orders: the deciles 1 repeat and are kept once.
    double[] orders = new double[100];
    for (int i = 0; i < 100; i++) {
      orders[i] = i < 60 ? 1 : i - 58;
    }
    double[] bounds = FeatureDrift.decileBounds(orders);
    assertArrayEquals(new double[] {1, 2, 12, 22, 32}, bounds);
    double[] shares = FeatureDrift.sharesIn(orders, bounds);
    assertArrayEquals(new double[] {0.6, 0.01, 0.1, 0.1, 0.1, 0.09}, shares, 1e-12);
  }

  @Test
  void selectedDecilesAndCountedSharesAreThoseOfTheSortedValues() {
    java.util.Random random = new java.util.Random(13);
    for (int n : new int[] {1, 2, 9, 10, 11, 99, 1000, 20_011}) {
      for (int distinct : new int[] {1, 3, 50, Integer.MAX_VALUE}) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
          values[i] = distinct == Integer.MAX_VALUE ? random.nextGaussian() : random.nextInt(distinct) - 1;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] expectedBounds = sortedDecileBounds(sorted);
        double[] reference = {-0.5, 0, 0.5};
        double[] expectedShares = sortedShares(sorted, expectedBounds);
        double[] expectedReferenceShares = sortedShares(sorted, reference);
        String what = n + " values, " + distinct + " distinct";
        double[] bounds = FeatureDrift.decileBounds(values);
        assertArrayEquals(expectedBounds, bounds, what);
        assertArrayEquals(expectedShares, FeatureDrift.sharesIn(values, bounds), what);
        assertArrayEquals(expectedReferenceShares, FeatureDrift.sharesIn(values, reference), what);
      }
    }
  }

  @Test
  void negativeZeroIsABoundOfZero() {
    double[] values = {-0.0, 0.0, -0.0, 0.0, 0.0, -0.0, 1, 2, 3, 4};
    double[] bounds = FeatureDrift.decileBounds(values.clone());
    assertEquals("[0.0, 1.0, 2.0, 3.0]", Arrays.toString(bounds));
  }

  /** The deciles as read off the sorted values: positions floor(q * n / 10), distinct, below the largest. */
  private static double[] sortedDecileBounds(double[] sorted) {
    int n = sorted.length;
    List<Double> bounds = new ArrayList<>();
    for (int q = 1; q < 10; q++) {
      double bound = sorted[(int) Math.min(n - 1, Math.floor(q * n / 10.0))];
      if (bound < sorted[n - 1] && (bounds.isEmpty() || bound > bounds.get(bounds.size() - 1))) {
        bounds.add(bound);
      }
    }
    return bounds.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double[] sortedShares(double[] sorted, double[] bounds) {
    double[] shares = new double[bounds.length + 1];
    int below = 0;
    for (int b = 0; b <= bounds.length; b++) {
      int upTo = below;
      while (upTo < sorted.length && (b == bounds.length || sorted[upTo] <= bounds[b])) {
        upTo++;
      }
      shares[b] = (double) (upTo - below) / sorted.length;
      below = upTo;
    }
    return shares;
  }

  @Test
  void theSamePopulationHasIndexZeroAndAShiftedOneAHighIndex(TestPipeline p) {
    List<Row> before = new ArrayList<>();
    List<Row> after = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      // Three segments: the drift is of the population, read from every segment's summary.
      before.add(Row.withSchema(SCHEMA).addValues("c" + i, i % 3, (double) i).build());
      after.add(Row.withSchema(SCHEMA).addValues("c" + i, i % 3, i < 500 ? (double) i : i + 300.0).build());
    }
    before.add(Row.withSchema(SCHEMA).addValues("no value", 0, null).build());
    double[] deciles = {100, 200, 300, 400, 500, 600, 700, 800, 900};
    double[] tenths = {0.101, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.099};
    Map<String, FeatureDrift.Bins> reference = Map.of("spend", new FeatureDrift.Bins(deciles, tenths));
    PAssert.thatSingleton(p.apply("Before", Create.of(before).withRowSchema(SCHEMA))
            .apply("SummariesBefore", SegmentProfiles.of(List.of("spend")).keyedBy("id").summaries())
            .apply("DriftBefore", FeatureDrift.of(List.of("spend")).comparedTo(reference)))
        .satisfies(result -> {
          assertArrayEquals(deciles, result.bins().get("spend").upperBounds(), "the deciles of 0..999, NULL left out");
          assertArrayEquals(tenths, result.bins().get("spend").shares(), 1e-12);
          assertEquals(0.0, result.stabilityIndex().get("spend"), 1e-12);
          return null;
        });
    PAssert.thatSingleton(p.apply("After", Create.of(after).withRowSchema(SCHEMA))
            .apply("SummariesAfter", SegmentProfiles.of(List.of("spend")).keyedBy("id").summaries())
            .apply("DriftAfter", FeatureDrift.of(List.of("spend")).comparedTo(reference)))
        .satisfies(result -> {
          // Half the customers moved up by 300: three bins' worth of the top half now sit above 900.
          assertTrue(result.stabilityIndex().get("spend") > 0.25, result.stabilityIndex().toString());
          return null;
        });
    p.run().waitUntilFinish();
  }

  @Test
  void summariesSamplingFewerMembersThanTheDriftReadsAreRefused(TestPipeline p) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(Row.withSchema(SCHEMA).addValues("c" + i, i % 2, (double) i).build());
    }
    p.apply(Create.of(rows).withRowSchema(SCHEMA))
        .apply(SegmentProfiles.of(List.of("spend")).keyedBy("id").withSampleCapacity(10).summaries())
        .apply(FeatureDrift.of(List.of("spend")).withSampleCapacity(20));
    RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> p.run().waitUntilFinish());
    String message = String.valueOf(e.getMessage()) + " " + (e.getCause() == null ? "" : e.getCause().getMessage());
    assertTrue(message.contains("Invalid FeatureDrift: it reads 1 features of 20 members, and needs summaries of as "
        + "many features sampling as many members each; a summary has 1 features and samples 10"), message);
  }
}
