package io.segflow.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.transforms.batching.ShardingOptions;
import java.util.Map;
import java.util.Set;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.util.construction.PipelineTranslation;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.junit.jupiter.api.Test;

/** A query planned once runs in any number of pipelines, each with its own inputs and options. */
class PlannedQueryTest {
  private static final Schema CUSTOMERS = Schema.builder().addInt64Field("id").addStringField("region").build();
  private static final Schema ORDERS = Schema.builder().addInt64Field("customer").addDoubleField("amount").build();
  private static final Map<String, Schema> TABLES = Map.of("customers", CUSTOMERS, "orders", ORDERS);
  private static final String SPEND = "SELECT c.id, c.region, SUM(o.amount) AS spend, COUNT(*) AS orders "
      + "FROM customers c JOIN orders o ON c.id = o.customer GROUP BY c.id, c.region";

  @Test
  void onePlanGivesBeamSqlsRowsInEveryPipelineItIsAppliedTo() {
    PlannedQuery planned = PlannedQuery.plan(SegflowSql.rewrite(SPEND, Map.of()), TABLES);
    assertEquals(Schema.builder().addInt64Field("id").addStringField("region").addDoubleField("spend")
        .addInt64Field("orders").build(), planned.schema());
    for (int shards : new int[] {0, 1, 3}) {
      for (boolean beamsOwn : new boolean[] {true, false}) {
        Pipeline p = pipeline(shards);
        PCollection<Row> out = inputs(p, 1000).apply(beamsOwn ? SqlTransform.query(SPEND) : planned.transform());
        PAssert.that(out).containsInAnyOrder(
            Row.withSchema(planned.schema()).attachValues(1L, "north", 30.0, 2L),
            Row.withSchema(planned.schema()).attachValues(2L, "south", 1000.5, 2L));
        p.run().waitUntilFinish();
      }
    }
  }

  @Test
  void theRowsAreThoseOfTheInputsOfEachApplication() {
    PlannedQuery planned = PlannedQuery.plan(SegflowSql.rewrite(SPEND, Map.of()), TABLES);
    Pipeline p = pipeline(0);
    PAssert.that(inputs(p, 1000).apply("First", planned.transform()).apply("Spend", SqlTransform.query(
        "SELECT SUM(spend) AS total FROM PCOLLECTION"))).containsInAnyOrder(row(1030.5));
    PAssert.that(inputs(p, 7).apply("Second", planned.transform()).apply("Spend2", SqlTransform.query(
        "SELECT SUM(spend) AS total FROM PCOLLECTION"))).containsInAnyOrder(row(37.5));
    p.run().waitUntilFinish();
  }

  @Test
  void aPipelineWithAPlannedQueryTranslatesForPortableRunners() {
    Pipeline p = pipeline(0);
    inputs(p, 1).apply(PlannedQuery.plan(SegflowSql.rewrite(SPEND, Map.of()), TABLES).transform());
    // Dataflow and the portable Flink runner translate the pipeline to Beam's model first: every transform
    // without parts needs a URN there, which a scan returning its input as is would lack.
    RunnerApi.Pipeline proto = PipelineTranslation.toProto(p);
    assertTrue(proto.getComponents().getTransformsMap().keySet().stream().anyMatch(id -> id.contains("BeamIOSourceRel")),
        proto.getComponents().getTransformsMap().keySet().toString());
  }

  @Test
  void theFactsOfThePlanSayWhichColumnsAreUnique() {
    PlannedQuery byCustomer = PlannedQuery.plan(SegflowSql.rewrite(
        "SELECT customer, SUM(amount) AS spend FROM orders GROUP BY customer", Map.of()), TABLES);
    assertTrue(byCustomer.provesUnique("customer"));
    assertFalse(byCustomer.provesUnique("spend"));
    PlannedQuery rows = PlannedQuery.plan(SegflowSql.rewrite("SELECT customer, amount FROM orders", Map.of()),
        TABLES);
    assertFalse(rows.provesUnique("customer"));
  }

  @Test
  void aQuerySelectingATablesColumnsAsTheyAreIsItsScanAndGivesItsRows() {
    PlannedQuery asTheyAre = PlannedQuery.plan(SegflowSql.rewrite("SELECT customer, amount FROM orders", Map.of()),
        TABLES);
    assertEquals(java.util.Optional.of("orders"), asTheyAre.scannedTable());
    assertEquals(Map.of("customer", java.util.Optional.of(Set.of(new ColumnLineage.SourceColumn("orders", "customer")))),
        Map.of("customer", asTheyAre.lineage().get("customer")));
    Pipeline p = pipeline(0);
    PAssert.that(inputs(p, 1000).apply(asTheyAre.transform())).containsInAnyOrder(
        Row.withSchema(ORDERS).attachValues(1L, 10.0), Row.withSchema(ORDERS).attachValues(1L, 20.0),
        Row.withSchema(ORDERS).attachValues(2L, 0.5), Row.withSchema(ORDERS).attachValues(2L, 1000.0),
        Row.withSchema(ORDERS).attachValues(4L, 7.0));
    p.run().waitUntilFinish();
    assertEquals(java.util.Optional.of("orders"), asTheyAre.tableGivenRowForRow());
    // A rename, a reorder or a subset picks columns: the projection stays, one row out for each row in.
    for (String picks : new String[] {"SELECT customer AS id, amount FROM orders",
        "SELECT amount, customer FROM orders", "SELECT customer FROM orders"}) {
      PlannedQuery planned = PlannedQuery.plan(SegflowSql.rewrite(picks, Map.of()), TABLES);
      assertEquals(java.util.Optional.empty(), planned.scannedTable(), picks);
      assertEquals(java.util.Optional.of("orders"), planned.tableGivenRowForRow(), picks);
    }
    // A filter or a cast computes something: its rows are not the table's, one for one.
    for (String computes : new String[] {"SELECT customer, amount FROM orders WHERE amount > 1",
        "SELECT customer, CAST(amount AS FLOAT) AS amount FROM orders"}) {
      PlannedQuery planned = PlannedQuery.plan(SegflowSql.rewrite(computes, Map.of()), TABLES);
      assertEquals(java.util.Optional.empty(), planned.scannedTable(), computes);
      assertEquals(java.util.Optional.empty(), planned.tableGivenRowForRow(), computes);
    }
  }

  @Test
  void inputsThatAreNotThePlannedTablesAreRefusedByName() {
    PlannedQuery planned = PlannedQuery.plan(SegflowSql.rewrite(SPEND, Map.of()), TABLES);
    Pipeline p = pipeline(0);
    PCollection<Row> customers = p.apply("Customers", Create.empty(CUSTOMERS));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () ->
        PCollectionTuple.of(new TupleTag<>("customers"), customers).apply(planned.transform()));
    assertTrue(missing.getMessage().startsWith("the query reads table orders, which is not among the inputs"),
        missing.getMessage());
    Schema otherOrders = Schema.builder().addStringField("customer").addDoubleField("amount").build();
    PCollection<Row> orders = p.apply("Orders", Create.empty(otherOrders));
    IllegalArgumentException changed = assertThrows(IllegalArgumentException.class, () ->
        PCollectionTuple.of(new TupleTag<>("customers"), customers).and(new TupleTag<>("orders"), orders)
            .apply(planned.transform()));
    assertTrue(changed.getMessage().startsWith("table orders was planned as "), changed.getMessage());
  }

  private static Row row(double total) {
    return Row.withSchema(Schema.builder().addNullableField("total", Schema.FieldType.DOUBLE).build())
        .attachValues(total);
  }

  private static Pipeline pipeline(int shards) {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    options.as(ShardingOptions.class).setShards(shards);
    return Pipeline.create(options);
  }

  /** Two customers; customer 2's second order is {@code big}. */
  private static PCollectionTuple inputs(Pipeline p, double big) {
    PCollection<Row> customers = p.apply("Customers" + big, Create.of(
        Row.withSchema(CUSTOMERS).attachValues(1L, "north"), Row.withSchema(CUSTOMERS).attachValues(2L, "south"),
        Row.withSchema(CUSTOMERS).attachValues(3L, "east"))).setRowSchema(CUSTOMERS);
    PCollection<Row> orders = p.apply("Orders" + big, Create.of(
        Row.withSchema(ORDERS).attachValues(1L, 10.0), Row.withSchema(ORDERS).attachValues(1L, 20.0),
        Row.withSchema(ORDERS).attachValues(2L, 0.5), Row.withSchema(ORDERS).attachValues(2L, big),
        Row.withSchema(ORDERS).attachValues(4L, 7.0))).setRowSchema(ORDERS);
    return PCollectionTuple.of(new TupleTag<>("customers"), customers).and(new TupleTag<>("orders"), orders);
  }
}
