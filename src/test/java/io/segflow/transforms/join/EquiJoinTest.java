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
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** EquiJoin on its own; every join type against Beam SQL's is in ShardedJoinRelTest. */
@ExtendWith(TestPipelineExtension.class)
class EquiJoinTest {
  private static final Schema MEMBERS = Schema.builder().addInt64Field("customer_id").addInt32Field("segment_id").build();
  private static final Schema FEATURES = Schema.builder().addNullableField("customer_id", Schema.FieldType.INT64)
      .addNullableField("spend", Schema.FieldType.DOUBLE).build();
  private static final Schema JOINED = Schema.builder().addInt64Field("customer_id").addInt32Field("segment_id")
      .addNullableField("features_customer_id", Schema.FieldType.INT64)
      .addNullableField("spend", Schema.FieldType.DOUBLE).build();

  @Test
  void eachLeftRowWithEveryRightRowOfItsKeyWhateverTheShards(TestPipeline p) {
    PCollection<Row> members = p.apply("Members", Create.of(
        Row.withSchema(MEMBERS).addValues(1L, 0).build(),
        Row.withSchema(MEMBERS).addValues(2L, 1).build(),
        Row.withSchema(MEMBERS).addValues(3L, 1).build()).withRowSchema(MEMBERS));
    PCollection<Row> features = p.apply("Features", Create.of(
        Row.withSchema(FEATURES).addValues(1L, 10.0).build(),
        Row.withSchema(FEATURES).addValues(1L, 11.0).build(),
        Row.withSchema(FEATURES).addValues(2L, null).build(),
        Row.withSchema(FEATURES).addValues(4L, 40.0).build(),
        Row.withSchema(FEATURES).addValues(null, 99.0).build()).withRowSchema(FEATURES));
    for (int shards : new int[] {0, 1, 3}) {
      PCollection<Row> joined = PCollectionList.of(members).and(features).apply("Join" + shards,
          EquiJoin.of(EquiJoin.Type.INNER, List.of(0), List.of(0), JOINED).withShards(shards));
      assertEquals(JOINED, joined.getSchema());
      PAssert.that("shards " + shards, joined).containsInAnyOrder(
          Row.withSchema(JOINED).addValues(1L, 0, 1L, 10.0).build(),
          Row.withSchema(JOINED).addValues(1L, 0, 1L, 11.0).build(),
          Row.withSchema(JOINED).addValues(2L, 1, 2L, null).build());
    }
    p.run().waitUntilFinish();
  }

  @Test
  void misuseIsNamed(TestPipeline p) {
    PCollection<Row> members = p.apply("Members", Create.empty(MEMBERS).withRowSchema(MEMBERS));
    PCollection<Row> features = p.apply("Features", Create.empty(FEATURES).withRowSchema(FEATURES));
    assertEquals("Invalid EquiJoin: the sides need as many key fields, at least one; got [0] and [0, 1]",
        assertThrows(IllegalArgumentException.class,
            () -> EquiJoin.of(EquiJoin.Type.INNER, List.of(0), List.of(0, 1), JOINED)).getMessage());
    assertEquals("Invalid EquiJoin: the key fields [customer_id, segment_id] [1] and [customer_id, spend] [1] are "
        + "not of the same types", assertThrows(IllegalArgumentException.class,
            () -> PCollectionList.of(members).and(features)
                .apply("Types", EquiJoin.of(EquiJoin.Type.INNER, List.of(1), List.of(1), JOINED))).getMessage());
    assertEquals("Invalid EquiJoin: the output needs the fields of both sides, 2 + 2, got 2",
        assertThrows(IllegalArgumentException.class, () -> PCollectionList.of(members).and(features)
            .apply("Output", EquiJoin.of(EquiJoin.Type.INNER, List.of(0), List.of(0), MEMBERS))).getMessage());
    assertEquals("Invalid GroupKey: shards must be 0 (per key) or between 1 and 65536, got -1",
        assertThrows(IllegalArgumentException.class,
            () -> EquiJoin.of(EquiJoin.Type.INNER, List.of(0), List.of(0), JOINED).withShards(-1)).getMessage());
    p.enableAbandonedNodeEnforcement(false);
  }
}
