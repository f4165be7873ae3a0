package io.segflow.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
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
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A projection that only picks and renames columns runs as SelectFields and gives exactly the rows and the
 * schema Beam SQL's own Calc gives (NULLs, strings, timestamps, reordered and repeated columns); one that
 * computes or filters anything stays Beam SQL's.
 */
class ProjectionRelTest {
  private static final Schema CUSTOMERS = Schema.builder().addInt64Field("id")
      .addNullableField("region", Schema.FieldType.STRING).addNullableField("spend", Schema.FieldType.DOUBLE)
      .addNullableField("orders", Schema.FieldType.INT32)
      .addNullableField("seen", Schema.FieldType.logicalType(SqlTypes.DATETIME)).build();
  private static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "SELECT id, spend AS monetary, orders AS frequency FROM customers | true",
      "SELECT orders, id, region AS area, seen, orders AS again FROM customers | true",
      "SELECT id AS customer_id, seen AS last_seen FROM customers c | true",
      "SELECT id, spend * 2 AS doubled FROM customers | false",
      "SELECT id, spend FROM customers WHERE orders >= 1 | false",
      "SELECT id, COALESCE(region, 'none') AS region FROM customers | false"})
  void picksAndRenamesAsBeamSqlDoes(String sql, boolean selects) {
    Run beams = run(SqlTransform.query(sql));
    Run segflows = run(SegflowSql.transform(sql));
    assertTrue(beams.rows().size() >= 2, "the query should return rows: " + beams.rows());
    assertEquals(beams.rows(), segflows.rows(), sql);
    assertEquals(beams.schema(), segflows.schema(), sql);
    assertEquals(selects, segflows.steps().stream().anyMatch(s -> s.endsWith("/SelectFields")), segflows.steps().toString());
  }

  private record Run(List<String> rows, Schema schema, List<String> steps) {}

  private static Run run(PTransform<? super PCollectionTuple, PCollection<Row>> query) {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    Pipeline p = Pipeline.create(options);
    LocalDateTime noon = LocalDateTime.of(2026, 12, 1, 12, 0);
    PCollection<Row> customers = p.apply("Customers", Create.of(
        Row.withSchema(CUSTOMERS).attachValues(1L, "north", 10.5, 3, noon),
        Row.withSchema(CUSTOMERS).attachValues(2L, null, null, null, null),
        Row.withSchema(CUSTOMERS).attachValues(3L, "south", 0.25, 1, noon.plusDays(2))).withRowSchema(CUSTOMERS));
    SEEN.clear();
    PCollection<Row> out = PCollectionTuple.of(new TupleTag<>("customers"), customers).apply(query);
    out.apply(ParDo.of(new DoFn<Row, Void>() {
      @ProcessElement
      public void process(@Element Row row) {
        SEEN.add(row.getValues().toString());
      }
    }));
    List<String> steps = new ArrayList<>();
    p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        steps.add(node.getFullName());
        return CompositeBehavior.ENTER_TRANSFORM;
      }
    });
    p.run().waitUntilFinish();
    List<String> rows = new ArrayList<>(SEEN);
    Collections.sort(rows);
    return new Run(rows, out.getSchema(), steps);
  }
}
