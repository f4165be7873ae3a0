package io.segflow.transforms.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
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
  private static final Schema SCHEMA = Schema.builder().addStringField("id")
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
    double[] bounds = FeatureDrift.decileBounds(orders, 100);
    assertArrayEquals(new double[] {1, 2, 12, 22, 32}, bounds);
    double[] shares = FeatureDrift.sharesIn(orders, 100, bounds);
    assertArrayEquals(new double[] {0.6, 0.01, 0.1, 0.1, 0.1, 0.09}, shares, 1e-12);
  }

  @Test
  void theSamePopulationHasIndexZeroAndAShiftedOneAHighIndex(TestPipeline p) {
    List<Row> before = new ArrayList<>();
    List<Row> after = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      before.add(Row.withSchema(SCHEMA).addValues("c" + i, (double) i).build());
      after.add(Row.withSchema(SCHEMA).addValues("c" + i, i < 500 ? (double) i : i + 300.0).build());
    }
    before.add(Row.withSchema(SCHEMA).addValues("no value", null).build());
    double[] deciles = {100, 200, 300, 400, 500, 600, 700, 800, 900};
    double[] tenths = {0.101, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.099};
    Map<String, FeatureDrift.Bins> reference = Map.of("spend", new FeatureDrift.Bins(deciles, tenths));
    PAssert.thatSingleton(p.apply("Before", Create.of(before).withRowSchema(SCHEMA))
            .apply("DriftBefore", FeatureDrift.of(List.of("spend")).comparedTo(reference)))
        .satisfies(result -> {
          assertArrayEquals(deciles, result.bins().get("spend").upperBounds(), "the deciles of 0..999, NULL left out");
          assertArrayEquals(tenths, result.bins().get("spend").shares(), 1e-12);
          assertEquals(0.0, result.stabilityIndex().get("spend"), 1e-12);
          return null;
        });
    PAssert.thatSingleton(p.apply("After", Create.of(after).withRowSchema(SCHEMA))
            .apply("DriftAfter", FeatureDrift.of(List.of("spend")).comparedTo(reference)))
        .satisfies(result -> {
          // Half the customers moved up by 300: three bins' worth of the top half now sit above 900.
          assertTrue(result.stabilityIndex().get("spend") > 0.25, result.stabilityIndex().toString());
          return null;
        });
    p.run().waitUntilFinish();
  }
}
