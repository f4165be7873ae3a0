package io.segflow.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads through Beam's BigQuery test doubles: a table exported by FakeJobService, typed by the schema. */
class BigQuerySourceIOTest {
  private static final Schema DECLARED = Schema.builder()
      .addNullableField("InvoiceNo", Schema.FieldType.STRING)
      .addNullableField("Quantity", Schema.FieldType.INT64)
      .addNullableField("InvoiceDate", Schema.FieldType.DATETIME)
      .addNullableField("UnitPrice", Schema.FieldType.DOUBLE)
      .build();

  /** The fakes keep values as the BigQuery API's Avro export holds them: TIMESTAMP in microseconds. */
  private static long micros(String instant) {
    return java.time.Instant.parse(instant).toEpochMilli() * 1000;
  }

  @Test
  void aTableIsReadTypedAndWhatDoesNotFitIsRejected(@TempDir Path temp) throws Exception {
    FakeDatasetService.setUp();
    FakeJobService.setUp();
    FakeDatasetService datasets = new FakeDatasetService();
    FakeBigQueryServices services = new FakeBigQueryServices().withDatasetService(datasets)
        .withJobService(new FakeJobService());
    datasets.createDataset("segflow-test", "sales", "EU", "", null);
    TableReference ref = new TableReference().setProjectId("segflow-test").setDatasetId("sales").setTableId("retail");
    datasets.createTable(new Table().setTableReference(ref).setSchema(new TableSchema().setFields(List.of(
        new TableFieldSchema().setName("InvoiceNo").setType("STRING").setMode("NULLABLE"),
        new TableFieldSchema().setName("Quantity").setType("FLOAT").setMode("NULLABLE"),
        new TableFieldSchema().setName("InvoiceDate").setType("TIMESTAMP").setMode("NULLABLE"),
        new TableFieldSchema().setName("UnitPrice").setType("FLOAT").setMode("NULLABLE"),
        new TableFieldSchema().setName("Country").setType("STRING").setMode("NULLABLE")))));
    datasets.insertAll(ref, List.of(
        new TableRow().set("InvoiceNo", "536365").set("Quantity", 6.0).set("InvoiceDate", micros("2010-12-01T08:26:00Z"))
            .set("UnitPrice", 2.55).set("Country", "United Kingdom"),
        new TableRow().set("InvoiceNo", "536366").set("Quantity", 1.5).set("InvoiceDate", micros("2010-12-01T08:28:00Z"))
            .set("UnitPrice", 1.85).set("Country", "France"),
        new TableRow().set("InvoiceNo", "536367").set("Quantity", null).set("InvoiceDate", micros("2010-12-01T08:34:00Z"))
            .set("UnitPrice", 1.69).set("Country", "United Kingdom")), null);

    BigQueryOptions options = PipelineOptionsFactory.create().as(BigQueryOptions.class);
    options.setProject("segflow-test");
    options.setTempLocation(temp.toString());
    // A plain pipeline: a failed PAssert fails the DirectRunner's run, which the test then sees.
    Pipeline p = Pipeline.create(options);
    SourceIO.Result result = p.apply(BigQuerySourceIO.read("retail_transactions", DECLARED)
        .fromTable("segflow-test.sales.retail").withMethod(BigQuerySourceIO.Method.EXPORT).withTestServices(services));

    PAssert.that(result.rows()).satisfies(rows -> {
      Map<String, Row> byInvoice = new HashMap<>();
      rows.forEach(r -> byInvoice.put(r.getString("InvoiceNo"), r));
      assertEquals(List.of("536365", "536367"), byInvoice.keySet().stream().sorted().toList());
      Row first = byInvoice.get("536365");
      assertEquals(6L, first.getInt64("Quantity"));
      assertEquals(Instant.parse("2010-12-01T08:26:00Z"), first.getDateTime("InvoiceDate").toInstant());
      assertEquals(2.55, first.getDouble("UnitPrice"), 0.0);
      assertEquals(null, (Object) byInvoice.get("536367").getValue("Quantity"), "NULL stays NULL");
      return null;
    });
    PAssert.that(result.rejects()).satisfies(rejects -> {
      Row r = rejects.iterator().next();
      assertEquals("retail_transactions", r.getString("source"));
      assertEquals("segflow-test.sales.retail", r.getString("file"));
      assertEquals("Quantity '1.5' is not an INT64", r.getString("reason"));
      assertEquals(true, r.getString("record").startsWith("InvoiceNo=536366, "), r.getString("record"));
      return null;
    });
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  /**
   * The Storage Read API path as configured on Beam's read, from its display data (Beam has no double of
   * the Storage Read service to run it against; DataflowJobTest checks the row filter reaches the source).
   */
  @Test
  void aTableIsReadWithTheStorageReadApiAskingForTheDeclaredColumns() {
    BigQuerySourceIO.Read read = BigQuerySourceIO.read("retail_transactions", DECLARED)
        .fromTable("segflow-test.sales.retail").withRowFilter("Country = 'France'");

    Map<String, Object> shown = displayed(beamRead(read));
    assertEquals("segflow-test:sales.retail", shown.get("table"));
    assertEquals("InvoiceNo, Quantity, InvoiceDate, UnitPrice", shown.get("selectedFields"));
    assertEquals(null, shown.get("validation"), "Beam shows validation only when it is off");
    assertEquals(false, displayed(beamRead(read.withoutValidation())).get("validation"));
  }

  @Test
  void aRowFilterNeedsTheStorageReadApi() {
    BigQuerySourceIO.Read exported = BigQuerySourceIO.read("retail_transactions", DECLARED)
        .fromTable("segflow-test.sales.retail").withRowFilter("Country = 'France'")
        .withMethod(BigQuerySourceIO.Method.EXPORT);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> beamRead(exported));
    assertEquals("Invalid BigQuerySourceIO.Read: a row filter needs fromTable and Method.DIRECT_READ", e.getMessage());
  }

  private static Map<String, Object> displayed(BigQueryIO.TypedRead<?> read) {
    Map<String, Object> out = new HashMap<>();
    DisplayData.from(read).items().forEach(item -> out.put(item.getKey(), item.getValue()));
    return out;
  }

  /** The BigQueryIO read inside a pipeline built (not run) with the transform. */
  private static BigQueryIO.TypedRead<?> beamRead(BigQuerySourceIO.Read read) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(read);
    List<BigQueryIO.TypedRead<?>> found = new ArrayList<>();
    p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        if (node.getTransform() instanceof BigQueryIO.TypedRead<?> typed) {
          found.add(typed);
        }
        return CompositeBehavior.ENTER_TRANSFORM;
      }
    });
    assertEquals(1, found.size());
    return found.get(0);
  }
}
