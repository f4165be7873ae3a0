package io.segflow.transforms.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Mean;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class ShardedGroupByTest {
  private static final Schema ORDERS = Schema.builder().addNullableField("customer", Schema.FieldType.STRING)
      .addInt64Field("day").addDoubleField("amount").build();
  private static final Schema GROUPED = Schema.builder().addNullableField("customer", Schema.FieldType.STRING)
      .addInt64Field("day").addInt64Field("orders").addDoubleField("mean_amount").addInt64Field("pairs").build();

  private static Row order(String customer, long day, double amount) {
    return Row.withSchema(ORDERS).addValues(customer, day, amount).build();
  }

  private static Row grouped(String customer, long day, long orders, double mean) {
    return Row.withSchema(GROUPED).addValues(customer, day, orders, mean, orders).build();
  }

  private static RowAggregates aggregates() {
    return RowAggregates.of(ORDERS, List.of(
        new RowAggregates.Aggregation(List.of(), Count.combineFn(), Schema.Field.of("orders", Schema.FieldType.INT64)),
        new RowAggregates.Aggregation(List.of(2), Mean.of(), Schema.Field.of("mean_amount", Schema.FieldType.DOUBLE)),
        // Two fields: the function gets a row of both.
        new RowAggregates.Aggregation(List.of(1, 2), Count.combineFn(), Schema.Field.of("pairs", Schema.FieldType.INT64))));
  }

  @Test
  void oneRowPerGroupWhateverTheNumberOfShards(TestPipeline p) {
    PCollection<Row> orders = p.apply(Create.of(
        order("a", 1, 10.0), order("a", 1, 20.0), order("a", 2, 5.0),
        order("b", 1, 7.0), order(null, 1, 1.0), order(null, 1, 3.0)).withRowSchema(ORDERS));
    List<Row> expected = List.of(grouped("a", 1, 2, 15.0), grouped("a", 2, 1, 5.0), grouped("b", 1, 1, 7.0),
        grouped(null, 1, 2, 2.0));
    for (int shards : new int[] {0, 1, 3, 64}) {
      PCollection<Row> out = orders.apply("Shards" + shards,
          ShardedGroupBy.of(ORDERS, List.of(0, 1), aggregates()).withShards(shards));
      assertEquals(GROUPED, out.getSchema());
      PAssert.that("shards " + shards, out).containsInAnyOrder(expected);
    }
    p.run().waitUntilFinish();
  }

  @Test
  void theOutputCanBeRenamedButNotRetyped(TestPipeline p) {
    Schema renamed = Schema.builder().addNullableField("c", Schema.FieldType.STRING).addInt64Field("d")
        .addInt64Field("n").addDoubleField("m").addInt64Field("q").build();
    PCollection<Row> out = p.apply(Create.of(order("a", 1, 10.0)).withRowSchema(ORDERS))
        .apply(ShardedGroupBy.of(ORDERS, List.of(0, 1), aggregates()).withOutputSchema(renamed));
    PAssert.that(out).containsInAnyOrder(Row.withSchema(renamed).addValues("a", 1L, 1L, 10.0, 1L).build());
    p.run().waitUntilFinish();
    Schema retyped = Schema.builder().addStringField("c").addInt64Field("d").addInt64Field("n").addInt64Field("m")
        .addInt64Field("q").build();
    assertThrows(IllegalArgumentException.class,
        () -> ShardedGroupBy.of(ORDERS, List.of(0, 1), aggregates()).withOutputSchema(retyped));
  }

  @Test
  void misuseIsNamed() {
    assertEquals("Invalid ShardedGroupBy: key field 3 is not a field of the input, which has fields 0..2",
        assertThrows(IllegalArgumentException.class,
            () -> ShardedGroupBy.of(ORDERS, List.of(3), aggregates())).getMessage());
    assertEquals("Invalid ShardedGroupBy: shards must be 0 (per key) or between 1 and 65536, got -1",
        assertThrows(IllegalArgumentException.class,
            () -> ShardedGroupBy.of(ORDERS, List.of(0), aggregates()).withShards(-1)).getMessage());
    assertEquals("Invalid RowAggregates: aggregation x reads field 5, but the input has fields 0..2",
        assertThrows(IllegalArgumentException.class, () -> RowAggregates.of(ORDERS, List.of(
            new RowAggregates.Aggregation(List.of(5), Count.combineFn(), Schema.Field.of("x", Schema.FieldType.INT64)))))
            .getMessage());
  }
}
