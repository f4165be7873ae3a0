package io.segflow.transforms.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segflow.transforms.aggregate.RowAggregates;
import io.segflow.transforms.aggregate.ShardedGroupBy;
import io.segflow.transforms.join.EquiJoin;
import io.segflow.testing.TestRunners;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The grouped steps with groups far larger than any cache: one shard for 30,000 keys (Beam's CoGbkResult
 * keeps 10,000 values in memory and re-reads the rest, which Flink's batch groupings refuse) on the
 * DirectRunner and the embedded FlinkRunner, and per key on Flink, the way it runs there (per key on the
 * DirectRunner is the slow path shards exist to avoid: 340 s here; the small tests of each transform cover
 * it). Every key must come out exactly once, joined and aggregated right.
 */
@Tag("flink")
class LargeGroupsTest {
  private static final int KEYS = 30_000;
  private static final Schema LEFT = Schema.builder().addInt64Field("customer_id").addInt32Field("segment_id").build();
  private static final Schema RIGHT = Schema.builder().addInt64Field("customer_id").addDoubleField("spend").build();

  @ParameterizedTest(name = "{0} runner, {1} shards")
  @CsvSource({"direct, 1", "flink, 1", "flink, 0"})
  void everyKeyJoinedAndGroupedOnce(String runner, int shards) {
    Pipeline p = Pipeline.create(TestRunners.named(runner));
    List<Row> lefts = LongStream.range(0, KEYS).mapToObj(i -> Row.withSchema(LEFT).attachValues(i, (int) (i % 7))).toList();
    // Every right row twice, in reverse order, so rights often come before their left row.
    List<Row> rights = LongStream.range(0, 2L * KEYS).map(i -> 2L * KEYS - 1 - i)
        .mapToObj(i -> Row.withSchema(RIGHT).attachValues(i % KEYS, (double) (i % KEYS))).toList();
    PCollection<Row> left = p.apply("Left", Create.of(lefts).withRowSchema(LEFT));
    PCollection<Row> right = p.apply("Right", Create.of(rights).withRowSchema(RIGHT));

    Schema both = Schema.builder().addFields(LEFT.getFields()).addInt64Field("right_customer_id")
        .addDoubleField("spend").build();
    PCollection<Row> joined = PCollectionList.of(left).and(right)
        .apply("Join", EquiJoin.of(EquiJoin.Type.INNER, List.of(0), List.of(0), both).withShards(shards));
    PAssert.that(joined.apply("CountJoined", Count.globally())).containsInAnyOrder(2L * KEYS);
    PAssert.that(joined.apply("SumJoined", MapElements.into(TypeDescriptors.doubles()).via(r -> r.getDouble("spend")))
        .apply(Sum.doublesGlobally())).containsInAnyOrder(2.0 * KEYS * (KEYS - 1) / 2.0);

    RowAggregates perCustomer = RowAggregates.of(RIGHT, List.of(new RowAggregates.Aggregation(List.of(1),
        Sum.ofDoubles(), Schema.Field.of("total", Schema.FieldType.DOUBLE))));
    PCollection<Row> grouped = right.apply("GroupBy", ShardedGroupBy.of(RIGHT, List.of(0), perCustomer).withShards(shards));
    PAssert.that(grouped.apply("CountGroups", Count.globally())).containsInAnyOrder((long) KEYS);
    PAssert.that(grouped.apply("WrongTotals", MapElements.into(TypeDescriptors.longs())
        .via(r -> r.getDouble("total") == 2.0 * r.getInt64("customer_id") ? 0L : 1L))
        .apply("CountWrong", Sum.longsGlobally())).containsInAnyOrder(0L);
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

}
