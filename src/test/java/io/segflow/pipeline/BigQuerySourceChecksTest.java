package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.api.services.bigquery.model.JobStatistics;
import com.google.api.services.bigquery.model.JobStatistics2;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableSchema;
import io.segflow.compile.DefinitionValidator;
import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.Diagnostics;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.EnvironmentResolver;
import io.segflow.dsl.load.DefinitionLoader;
import io.segflow.dsl.model.SegmentDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Source tables checked against the declared columns, through Beam's BigQuery test doubles. */
class BigQuerySourceChecksTest {
  private static final String PROJECT = "segflow-test";
  private FakeDatasetService datasets;
  private FakeJobService jobs;

  @BeforeEach
  void setUp() throws Exception {
    FakeDatasetService.setUp();
    FakeJobService.setUp();
    datasets = new FakeDatasetService();
    jobs = new FakeJobService();
    datasets.createDataset(PROJECT, "sales", "EU", "", null);
  }

  private void table(String name, TableFieldSchema... columns) throws Exception {
    datasets.createTable(new Table().setTableReference(new TableReference().setProjectId(PROJECT).setDatasetId("sales")
        .setTableId(name)).setSchema(new TableSchema().setFields(List.of(columns))));
  }

  private static TableFieldSchema column(String name, String type) {
    return new TableFieldSchema().setName(name).setType(type).setMode("NULLABLE");
  }

  private List<String> check(Path dir, String binding) throws Exception {
    Path env = dir.resolve("env.yaml");
    Files.writeString(env, "apiVersion: segflow/v1\nname: checks\nrunner: direct\n"
        + "gcp: {project: segflow-test, temp_location: gs://segflow-test-bucket/tmp}\n"
        + "sources:\n  retail_transactions:\n    kind: bigquery\n" + binding
        + "output: {kind: bigquery, dataset: segflow-test.segments}\n");
    Diagnostics d = new Diagnostics();
    Environment environment = DefinitionValidator.loadEnvironment(env.toString(),
        new EnvironmentResolver(dir, Optional.empty()), d).orElseThrow(() -> new AssertionError(d.sorted()));
    Path file = Path.of("segment-definitions/online_retail_rfm_kmeans.yaml").toAbsolutePath();
    SegmentDefinition def = DefinitionLoader.load(file, file.toString()).definition().orElseThrow();
    return BigQuerySourceChecks.check(def, environment, datasets, jobs, PROJECT).stream()
        .map(Diagnostic::render).map(r -> r.replace(env.toString(), "env.yaml")).toList();
  }

  @Test
  void aTableWithTheDeclaredColumnsPasses(@TempDir Path dir) throws Exception {
    table("retail", column("InvoiceNo", "STRING"), column("Quantity", "INTEGER"), column("InvoiceDate", "TIMESTAMP"),
        column("UnitPrice", "FLOAT"), column("CustomerID", "INTEGER"), column("Country", "STRING"));
    assertEquals(List.of(), check(dir, "    table: segflow-test.sales.retail\n"), "an INTEGER reads into a FLOAT64");
  }

  @Test
  void aColumnSpeltInAnotherCaseIsNamedNotReadAsNull(@TempDir Path dir) throws Exception {
    table("retail", column("InvoiceNo", "STRING"), column("quantity", "INTEGER"), column("InvoiceDate", "TIMESTAMP"),
        column("UnitPrice", "FLOAT"), column("CustomerID", "INTEGER"), column("Country", "STRING"));
    assertEquals(List.of("env.yaml:8:12: error[SF406] sources.retail_transactions.table: source retail_transactions: "
        + "table segflow-test.sales.retail spells column 'Quantity' as 'quantity'; declare it as 'quantity' in "
        + "online_retail_rfm_kmeans.yaml (segflow reads columns by their exact name)"),
        check(dir, "    table: segflow-test.sales.retail\n"));
  }

  @Test
  void aMissingTableColumnOrTypeIsLocatedAtTheBinding(@TempDir Path dir) throws Exception {
    assertEquals(List.of("env.yaml:8:12: error[SF407] sources.retail_transactions.table: source retail_transactions: "
        + "table segflow-test.sales.nowhere does not exist"), check(dir, "    table: segflow-test.sales.nowhere\n"));

    table("retail", column("InvoiceNo", "STRING"), column("Quantity", "FLOAT"), column("InvoiceDate", "DATETIME"),
        column("UnitPrice", "FLOAT"));
    assertEquals(List.of(
        "env.yaml:8:12: error[SF406] sources.retail_transactions.table: source retail_transactions: column 'Quantity' "
            + "of table segflow-test.sales.retail is FLOAT, but online_retail_rfm_kmeans.yaml declares it INT64; "
            + "declare it as FLOAT64, or cast it in a query binding",
        "env.yaml:8:12: error[SF406] sources.retail_transactions.table: source retail_transactions: column "
            + "'InvoiceDate' of table segflow-test.sales.retail is DATETIME, but online_retail_rfm_kmeans.yaml "
            + "declares it TIMESTAMP; declare it as a type segflow reads (DATETIME is not one: STRING, INT64, "
            + "FLOAT64, NUMERIC, BOOL, DATE, TIMESTAMP), or cast it in a query binding",
        "env.yaml:8:12: error[SF406] sources.retail_transactions.table: source retail_transactions: table "
            + "segflow-test.sales.retail has no column 'CustomerID', which online_retail_rfm_kmeans.yaml declares "
            + "(table columns: InvoiceNo, Quantity, InvoiceDate, UnitPrice)"),
        check(dir, "    table: segflow-test.sales.retail\n"));
  }

  @Test
  void aDatasetThatCannotBeReadSaysSo(@TempDir Path dir) throws Exception {
    List<String> found = check(dir, "    table: segflow-test.secret.retail\n");
    assertEquals(1, found.size(), found.toString());
    assertEquals(true, found.get(0).startsWith("env.yaml:8:12: error[SF407] sources.retail_transactions.table: "
        + "source retail_transactions: table segflow-test.secret.retail "), found.get(0));
  }

  @Test
  void aQueryIsCheckedByADryRun(@TempDir Path dir) throws Exception {
    String query = "SELECT InvoiceNo, Quantity, InvoiceDate, UnitPrice FROM sales.retail";
    jobs.expectDryRunQuery(PROJECT, query, new JobStatistics().setQuery(new JobStatistics2().setSchema(
        new TableSchema().setFields(List.of(column("InvoiceNo", "STRING"), column("Quantity", "INTEGER"),
            column("InvoiceDate", "TIMESTAMP"), column("UnitPrice", "FLOAT"))))));
    assertEquals(List.of("env.yaml:8:12: error[SF406] sources.retail_transactions.query: source retail_transactions: "
        + "the query has no column 'CustomerID', which online_retail_rfm_kmeans.yaml declares (the columns: "
        + "InvoiceNo, Quantity, InvoiceDate, UnitPrice)"), check(dir, "    query: " + query + "\n"));
  }
}
