package io.segflow.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.transforms.batching.ShardingOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of equi-join, planned by segflow (EquiJoin, per key and in shards), gives exactly the rows
 * Beam SQL's own join gives (duplicate keys on both sides, keys on one side only, two key columns, joins
 * of aggregates), except for NULL keys: Beam SQL's join matches a NULL key with a NULL key; SQL, and
 * BigQuery, which analysts write for, match it with nothing.
 */
class ShardedJoinRelTest {
  private static final Schema CUSTOMERS = Schema.builder().addNullableField("id", Schema.FieldType.INT64)
      .addStringField("region").addNullableField("size", Schema.FieldType.INT32).build();
  private static final Schema ORDERS = Schema.builder().addNullableField("customer", Schema.FieldType.INT64)
      .addStringField("region").addDoubleField("amount").build();
  private static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT c.id, c.size, o.amount FROM customers c JOIN orders o ON c.id = o.customer",
      "SELECT c.id, c.size, o.amount FROM customers c LEFT JOIN orders o ON c.id = o.customer",
      "SELECT c.id, o.customer, o.amount FROM customers c RIGHT JOIN orders o ON c.id = o.customer",
      "SELECT c.id, c.region, o.customer, o.amount FROM customers c FULL JOIN orders o ON c.id = o.customer",
      "SELECT c.id, o.amount FROM customers c JOIN orders o ON c.id = o.customer AND c.region = o.region",
      "SELECT c.id, t.total FROM customers c LEFT JOIN (SELECT customer, SUM(amount) AS total FROM orders "
          + "GROUP BY customer) t ON t.customer = c.id"})
  void theRowsOfBeamSqlsOwnJoin(String sql) {
    List<String> beams = run(SqlTransform.query(sql), 4, false);
    assertTrue(beams.size() >= 3, "the data should make the join return rows: " + beams);
    for (int shards : new int[] {0, 1, 3}) {
      assertEquals(beams, run(SegflowSql.transform(sql), shards, false), "shards " + shards + ": " + sql);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3})
  void aNullKeyMatchesNothingAndAnOuterJoinKeepsItsRow(int shards) {
    assertEquals(List.of("[1, 10.0]", "[1, 20.0]", "[2, 1.25]", "[2, 1.25]", "[2, 5.5]", "[2, 5.5]"),
        run(SegflowSql.transform("SELECT c.id, o.amount FROM customers c JOIN orders o ON c.id = o.customer"),
            shards, true));
    assertEquals(List.of("[1, north, 1, 10.0]", "[1, north, 1, 20.0]", "[2, north, 2, 1.25]", "[2, north, 2, 5.5]",
            "[2, south, 2, 1.25]", "[2, south, 2, 5.5]", "[3, east, null, null]", "[null, null, 4, 7.0]",
            "[null, null, null, 3.0]", "[null, west, null, null]"),
        run(SegflowSql.transform("SELECT c.id, c.region, o.customer, o.amount FROM customers c "
            + "FULL JOIN orders o ON c.id = o.customer"), shards, true));
  }

  private static List<String> run(PTransform<? super PCollectionTuple, PCollection<Row>> query, int shards,
      boolean nullKeys) {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    options.as(ShardingOptions.class).setShards(shards);
    Pipeline p = Pipeline.create(options);
    PCollection<Row> customers = p.apply("Customers", Create.of(
        customer(1L, "north", 2), customer(2L, "south", null), customer(2L, "north", 5),
        customer(3L, "east", 1), customer(nullKeys ? null : 9L, "west", 4)).withRowSchema(CUSTOMERS));
    PCollection<Row> orders = p.apply("Orders", Create.of(
        order(1L, "north", 10.0), order(1L, "north", 20.0), order(2L, "north", 5.5), order(2L, "south", 1.25),
        order(4L, "east", 7.0), order(nullKeys ? null : 9L, "west", 3.0)).withRowSchema(ORDERS));
    SEEN.clear();
    PCollectionTuple.of(new TupleTag<>("customers"), customers).and(new TupleTag<>("orders"), orders)
        .apply(query)
        .apply(ParDo.of(new DoFn<Row, Void>() {
          @ProcessElement
          public void process(@Element Row row) {
            SEEN.add(row.getValues().toString());
          }
        }));
    p.run().waitUntilFinish();
    List<String> rows = new ArrayList<>(SEEN);
    Collections.sort(rows);
    return rows;
  }

  private static Row customer(Long id, String region, Integer size) {
    return Row.withSchema(CUSTOMERS).attachValues(id, region, size);
  }

  private static Row order(Long customer, String region, double amount) {
    return Row.withSchema(ORDERS).attachValues(customer, region, amount);
  }
}
