package io.segflow.transforms.rfm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.testing.TestRunners;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The score bounds from a sample far smaller than the entities are those of sorting every value, on the
 * DirectRunner and embedded Flink, with long runs of ties across bounds; the sample's brackets hold the
 * bounds and little else; and a bound outside its bracket is an error, never a wrong score.
 */
@Tag("flink")
class ExactThresholdsTest {
  private static final Schema SCHEMA = Schema.builder().addInt64Field("id").addInt64Field("recency")
      .addInt32Field("orders").addDoubleField("spend").build();
  private static final List<String> MEASURES = List.of("recency", "orders", "spend");

  /** Recency in whole days (ties), orders mostly 1 (a run of ties over several bounds), spend continuous. */
  private static List<Row> entities(int n, long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (long id = 0; id < n; id++) {
      int orders = 1 + (random.nextDouble() < 0.6 ? 0 : (int) (-Math.log(random.nextDouble()) * 4));
      rows.add(Row.withSchema(SCHEMA).attachValues(id, (long) random.nextInt(400), orders,
          Math.round(random.nextGaussian() * 5_000 + 20_000) / 100.0));
    }
    return rows;
  }

  /** Every value sorted (recency negated), the bound at rank floor(s * n / bins): computed independently. */
  private static RfmThresholds sortedBounds(List<Row> rows, int bins) {
    int n = rows.size();
    double[][] bounds = new double[MEASURES.size()][bins - 1];
    for (int m = 0; m < MEASURES.size(); m++) {
      String measure = MEASURES.get(m);
      double sign = m == RfmThresholds.RECENCY ? -1 : 1;
      double[] sorted = rows.stream().mapToDouble(r -> sign * ((Number) r.getValue(measure)).doubleValue())
          .sorted().toArray();
      for (int s = 1; s < bins; s++) {
        int rank = s * n / bins;
        bounds[m][s - 1] = rank == 0 ? Double.NEGATIVE_INFINITY : sorted[rank - 1];
      }
    }
    return new RfmThresholds(bins, n, bounds);
  }

  @ParameterizedTest(name = "{0} runner, {1} scores, a sample of {2}")
  @CsvSource({"direct, 5, 64", "flink, 10, 500"})
  void boundsFromASmallSampleAreThoseOfSortingEveryValue(String runner, int bins, int capacity) {
    List<Row> rows = entities(20_000, 3);
    Pipeline p = Pipeline.create(TestRunners.named(runner));
    RfmScores.Result rfm = p.apply(Create.of(rows).withRowSchema(SCHEMA))
        .apply(RfmScores.of("id", "recency", "orders", "spend").withBins(bins).withSampleCapacity(capacity));
    PAssert.thatSingleton(rfm.thresholds()).isEqualTo(sortedBounds(rows, bins));
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  @Test
  void theSamplesBracketsHoldEachBoundAndAFewPercentOfTheValues() {
    List<Row> rows = entities(200_000, 8);
    int bins = 5;
    SampleFn fn = new SampleFn(0, new int[] {1, 2, 3}, bins, 40_000); // brackets of at most 4% of the ranks
    SampleFn.Counted counted = fn.createAccumulator();
    rows.forEach(r -> fn.addInput(counted, r));
    Brackets brackets = fn.extractOutput(counted);
    RfmThresholds exact = sortedBounds(rows, bins);
    assertEquals(200_000, brackets.entities());
    for (int m = 0; m < MEASURES.size(); m++) {
      double sign = m == RfmThresholds.RECENCY ? -1 : 1;
      String measure = MEASURES.get(m);
      double[] ranked = rows.stream().mapToDouble(r -> sign * ((Number) r.getValue(measure)).doubleValue()).toArray();
      for (int s = 0; s < bins - 1; s++) {
        double low = brackets.low()[m][s];
        double high = brackets.high()[m][s];
        double bound = exact.bounds()[m][s];
        assertTrue(low <= bound && bound <= high, measure + " bound " + s + ": " + bound + " not in [" + low + ", " + high + "]");
        long inside = Arrays.stream(ranked).filter(v -> v > low && v < high).count();
        assertTrue(inside < 0.06 * rows.size(), measure + " bound " + s + ": " + inside + " values inside its bracket");
      }
    }
  }

  @Test
  void aBoundIsItsBracketsLowEndAValueInsideOrItsHighEnd() {
    double[] inside = {3.0, 4.0, 5.0};
    // 10 below, 2 at 2.0, then 3.0 4.0 5.0, then 4 at 6.0: ranks 11-12, 13-15, 16-19.
    assertEquals(2.0, CutCounts.boundAtRank(11, 10, 2, 2.0, inside, 4, 6.0, "spend"));
    assertEquals(2.0, CutCounts.boundAtRank(12, 10, 2, 2.0, inside, 4, 6.0, "spend"));
    assertEquals(3.0, CutCounts.boundAtRank(13, 10, 2, 2.0, inside, 4, 6.0, "spend"));
    assertEquals(5.0, CutCounts.boundAtRank(15, 10, 2, 2.0, inside, 4, 6.0, "spend"));
    assertEquals(6.0, CutCounts.boundAtRank(19, 10, 2, 2.0, inside, 4, 6.0, "spend"));
    assertEquals(Double.NEGATIVE_INFINITY, CutCounts.boundAtRank(0, 0, 0, 2.0, new double[0], 0, 6.0, "spend"));
  }

  @Test
  void aBoundOutsideItsBracketIsAnErrorNamingTheMeasure() {
    double[] inside = {3.0};
    IllegalStateException below = assertThrows(IllegalStateException.class,
        () -> CutCounts.boundAtRank(10, 10, 2, 2.0, inside, 4, 6.0, "orders"));
    assertTrue(below.getMessage().startsWith("RFM thresholds of orders: the value at rank 10 is not between 2.0 and 6.0"),
        below.getMessage());
    assertThrows(IllegalStateException.class, () -> CutCounts.boundAtRank(18, 10, 2, 2.0, inside, 4, 6.0, "orders"));
  }
}
