package io.segflow.transforms.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class ShardedJoinTest {
  private static final Schema MEMBERS = Schema.builder().addInt64Field("customer_id").addInt32Field("segment_id").build();
  private static final Schema FEATURES = Schema.builder().addNullableField("customer_id", Schema.FieldType.INT64)
      .addNullableField("spend", Schema.FieldType.DOUBLE).build();
  private static final Schema JOINED = Schema.builder().addInt64Field("customer_id").addInt32Field("segment_id")
      .addNullableField("spend", Schema.FieldType.DOUBLE).build();

  @Test
  void joinsEachLeftRowWithItsRightRowsOnly(TestPipeline p) {
    PCollection<Row> members = p.apply("Members", Create.of(
        Row.withSchema(MEMBERS).addValues(1L, 0).build(),
        Row.withSchema(MEMBERS).addValues(2L, 1).build(),
        Row.withSchema(MEMBERS).addValues(3L, 1).build()).withRowSchema(MEMBERS));
    PCollection<Row> features = p.apply("Features", Create.of(
        Row.withSchema(FEATURES).addValues(1L, 10.0).build(),
        Row.withSchema(FEATURES).addValues(2L, null).build(),
        Row.withSchema(FEATURES).addValues(4L, 40.0).build(),
        Row.withSchema(FEATURES).addValues(null, 99.0).build()).withRowSchema(FEATURES));
    for (int shards : new int[] {0, 1, 3}) {
      PCollection<Row> joined = members.apply("Join" + shards,
          ShardedJoin.with(features).on("customer_id").intoShards(shards));
      assertEquals(JOINED, joined.getSchema());
      PAssert.that("shards " + shards, joined).containsInAnyOrder(
          Row.withSchema(JOINED).addValues(1L, 0, 10.0).build(),
          Row.withSchema(JOINED).addValues(2L, 1, null).build());
    }
    p.run().waitUntilFinish();
  }

  @Test
  void misuseIsNamed(TestPipeline p) {
    PCollection<Row> members = p.apply("Members", Create.empty(MEMBERS).withRowSchema(MEMBERS));
    PCollection<Row> twice = p.apply("Twice", Create.empty(MEMBERS).withRowSchema(MEMBERS));
    assertEquals("Invalid ShardedJoin: field 'segment_id' is on both sides; rename it on one of them",
        assertThrows(IllegalArgumentException.class,
            () -> members.apply(ShardedJoin.with(twice).on("customer_id"))).getMessage());
    assertEquals("Invalid ShardedJoin: the key field must be on both sides, got 'id' (left: [customer_id, segment_id], "
        + "right: [customer_id, segment_id])", assertThrows(IllegalArgumentException.class,
            () -> members.apply("Id", ShardedJoin.with(twice).on("id"))).getMessage());
    assertEquals("Invalid ShardedJoin: shards must be 0 (per key) or between 1 and 65536, got -1",
        assertThrows(IllegalArgumentException.class, () -> ShardedJoin.with(twice).intoShards(-1)).getMessage());
    p.enableAbandonedNodeEnforcement(false);
  }
}
