package io.segflow.pipeline;

import io.segflow.compile.CompiledDefinition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.transforms.io.CsvRecords;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped Online Retail k-means definition, run against Beam's BigQuery test doubles: the source
 * table seeded with the real 5,000-row slice, every output table checked, and a rerun of the same run id.
 */
class BigQueryRunTest {
  private static final Path HERE = Path.of("src/test/resources/bigquery").toAbsolutePath();
  private static final String PROJECT = "segflow-test";
  private static final String OUT = PROJECT + ".segments";

  private FakeDatasetService datasets;
  private FakeBigQueryServices services;

  @BeforeEach
  void seed() throws Exception {
    FakeDatasetService.setUp();
    FakeJobService.setUp();
    datasets = new FakeDatasetService();
    services = new FakeBigQueryServices().withDatasetService(datasets).withJobService(new FakeJobService());
    datasets.createDataset(PROJECT, "sales", "EU", "", null);
    datasets.createDataset(PROJECT, "segments", "EU", "", null);
    TableReference ref = new TableReference().setProjectId(PROJECT).setDatasetId("sales").setTableId("online_retail");
    datasets.createTable(new Table().setTableReference(ref).setSchema(new TableSchema().setFields(List.of(
        column("InvoiceNo", "STRING"), column("StockCode", "STRING"), column("Quantity", "INTEGER"),
        column("InvoiceDate", "TIMESTAMP"), column("UnitPrice", "FLOAT"), column("CustomerID", "FLOAT"),
        column("Country", "STRING")))));
    datasets.insertAll(ref, sliceRows(), null);
  }

  /** The slice as BigQuery holds it: INT64 as Long, TIMESTAMP in microseconds (UK local time in the file). */
  private static List<TableRow> sliceRows() throws Exception {
    DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    List<TableRow> rows = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(
        Path.of("src/test/resources/data/online_retail_slice.csv.gz"))), StandardCharsets.UTF_8))) {
      CsvRecords csv = new CsvRecords(in, ',');
      csv.next();
      for (CsvRecords.Record r = csv.next(); r != null; r = csv.next()) {
        List<String> f = r.fields();
        TableRow row = new TableRow().set("InvoiceNo", f.get(0)).set("StockCode", f.get(1))
            .set("Quantity", Long.parseLong(f.get(3)))
            .set("InvoiceDate", LocalDateTime.parse(f.get(4), time).atZone(ZoneId.of("Europe/London")).toInstant()
                .toEpochMilli() * 1000)
            .set("UnitPrice", Double.parseDouble(f.get(5)))
            .set("CustomerID", f.get(6).isEmpty() ? null : Double.parseDouble(f.get(6)))
            .set("Country", f.get(7));
        rows.add(row);
      }
    }
    return rows;
  }

  @Test
  void theExampleRunsFromBigQueryIntoStagedTablesAndARerunLeavesOneCopy(@TempDir Path temp) throws Exception {
    SegmentDefinition def = definition();
    Environment env = environment();
    for (int attempt = 1; attempt <= 2; attempt++) {
      Pipeline p = Pipeline.create(options(temp));
      RunContext run = new RunContext("r1", Instant.parse("2026-12-02T10:00:00Z"), temp);
      SegflowPipeline.Graph g = SegflowPipeline.build(p, CompiledDefinition.of(def, Map.of("as_of", "2010-12-03")),
          env, run, Optional.of(services));
      BigQueryWarehouse.prepare(datasets, OUT, def.name(), g.bigQueryTables(), run.runId());
      PipelineResult result = p.run();
      assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
      RunReport report = RunReport.of(result);
      assertEquals(Map.of("read", 5000L, "rows", 5000L), report.sources().get("retail_transactions"));
      assertEquals(179, report.members());
      assertTrue(report.balanced());
      assertEquals(179L, report.segmentSizes().values().stream().mapToLong(Long::longValue).sum());
      // The definition's output.min_segment_size is 10: on the slice two segments are smaller, and the
      // launcher would not publish the run (the same check as for files).
      assertEquals(2, report.segmentsSmallerThan(10).size(), report.segmentSizes().toString());

      assertEquals(179, rows("online_retail_rfm_kmeans_members__staging_r1").size(), "attempt " + attempt);
      assertEquals(5, rows("online_retail_rfm_kmeans_segments__staging_r1").size(), "attempt " + attempt);
      assertEquals(1, rows("online_retail_rfm_kmeans_model__staging_r1").size(), "attempt " + attempt);
      assertEquals(0, rows("online_retail_rfm_kmeans_rejects__staging_r1").size(), "attempt " + attempt);
      Long expires = datasets.getTable(new com.google.api.services.bigquery.model.TableReference()
          .setProjectId(PROJECT).setDatasetId("segments").setTableId("online_retail_rfm_kmeans_members__staging_r1"))
          .getExpirationTime();
      assertTrue(expires != null && Math.abs(expires - System.currentTimeMillis()
          - BigQueryWarehouse.STAGING_LIFETIME.toMillis()) < 600_000, "staging expires in 7 days: " + expires);
    }

    TableRow member = rows("online_retail_rfm_kmeans_members__staging_r1").get(0);
    assertEquals("r1", member.get("run_id"));
    assertEquals(List.of("customer_id", "segment_id", "segment_label", "distance", "margin", "holdout", "run_id",
        "run_time"),
        fieldNames("online_retail_rfm_kmeans_members__staging_r1"));
    TableRow model = rows("online_retail_rfm_kmeans_model__staging_r1").get(0);
    assertEquals("5", String.valueOf(model.get("k")));
    assertTrue(String.valueOf(model.get("model")).contains("\"centroids\""));

    // The output tables, created before the run: partitioning, clustering, labels, descriptions.
    Table members = datasets.getTable(ref("online_retail_rfm_kmeans_members"));
    assertEquals("DAY", members.getTimePartitioning().getType());
    assertEquals("run_time", members.getTimePartitioning().getField());
    assertEquals(List.of("segment_id"), members.getClustering().getFields());
    assertEquals(Map.of("segflow-definition", "online_retail_rfm_kmeans", "segflow-run", "r1"), members.getLabels());
    assertTrue(members.getDescription().startsWith("Each customer_id's segment in each run of online_retail_rfm_kmeans"));
    assertEquals("TIMESTAMP", field(members, "run_time").getType());
    assertEquals("REQUIRED", field(members, "segment_id").getMode());
    Table segments = datasets.getTable(ref("online_retail_rfm_kmeans_segments"));
    assertEquals("Median of monetary over the segment's members: Total spent, in pounds sterling.",
        field(segments, "monetary_median").getDescription());
    for (String table : List.of("model", "rejects", "transitions", "runs")) {
      assertTrue(datasets.getTable(ref("online_retail_rfm_kmeans_" + table)) != null, table);
    }

    RunReport counts = new RunReport(Map.of("retail_transactions", Map.of("read", 5000L, "rows", 4990L,
        "rejected", 10L)), 180, 179, 1, 0, 0, Map.of(), Map.of(new SegmentKey(0, "a"), 100L, new SegmentKey(1, "b"), 79L), Map.of(),
        Map.of());
    String script = BigQueryWarehouse.publishScript(OUT, def.name(), "customer_id", tablesOf(def, env, temp), "r1",
        Instant.parse("2026-12-02T06:00:00Z"), Optional.of("r0"), Map.of("run_id", "'r1'"), counts);
    assertTrue(script.startsWith("ALTER TABLE `segflow-test.segments.online_retail_rfm_kmeans_members`\n"
        + "  ADD COLUMN IF NOT EXISTS `customer_id` INT64,\n"), script);
    String transaction = script.substring(script.indexOf("BEGIN TRANSACTION;"));
    assertTrue(transaction.startsWith("BEGIN TRANSACTION;\nDELETE FROM `segflow-test.segments.online_retail_rfm_kmeans_members`"
        + " WHERE run_id = 'r1';\nINSERT INTO `segflow-test.segments.online_retail_rfm_kmeans_members` (`customer_id`, "
        + "`segment_id`, `segment_label`, `distance`, `margin`, `holdout`, `run_id`, `run_time`)\nSELECT `customer_id`, "
        + "`segment_id`, `segment_label`, `distance`, `margin`, `holdout`, `run_id`, `run_time` FROM "
        + "`segflow-test.segments.online_retail_rfm_kmeans_members__staging_r1`;\n"), transaction);
    // Before the run is recorded, the moved rows are asserted against the run's counts (11 rejects: 10
    // rows, 1 entity); a failed ASSERT ends the script, and so the transaction.
    assertTrue(script.contains("ASSERT (SELECT COUNT(*) FROM `segflow-test.segments.online_retail_rfm_kmeans_members` "
        + "WHERE run_id = 'r1') = 179 AS 'online_retail_rfm_kmeans_members: COUNT(*) of run r1 is not the run\\'s "
        + "count, 179; nothing was published';\n"), script);
    assertTrue(script.contains("ASSERT (SELECT COALESCE(SUM(size), 0) FROM `segflow-test.segments.online_retail_rfm_kmeans"
        + "_segments` WHERE run_id = 'r1') = 179"), script);
    assertTrue(script.contains("ASSERT (SELECT COUNT(*) FROM `segflow-test.segments.online_retail_rfm_kmeans_rejects` "
        + "WHERE run_id = 'r1') = 11"), script);
    assertTrue(script.indexOf("ASSERT") > script.lastIndexOf("INSERT INTO `segflow-test.segments.online_retail_rfm_"
        + "kmeans_rejects`"), "asserted after the rows are moved");
    // The transitions are written inside the transaction from the moved members, and counted too.
    assertTrue(script.contains("DELETE FROM `segflow-test.segments.online_retail_rfm_kmeans_transitions` WHERE run_id = "
        + "'r1';\nINSERT INTO `segflow-test.segments.online_retail_rfm_kmeans_transitions` (`customer_id`, run_id, "
        + "run_time, previous_run_id, from_segment_id, to_segment_id)\n"), script);
    assertTrue(script.indexOf("_transitions` (`customer_id`") > script.lastIndexOf("INSERT INTO `segflow-test.segments."
        + "online_retail_rfm_kmeans_members`"), "after the members are moved");
    assertTrue(script.contains("ASSERT (SELECT COUNT(to_segment_id) FROM `segflow-test.segments.online_retail_rfm_"
        + "kmeans_transitions` WHERE run_id = 'r1') = 179"), script);
    org.junit.jupiter.api.Assertions.assertFalse(script.contains("_transitions__staging"), "the transitions are not staged");
    assertTrue(script.endsWith("INSERT INTO `segflow-test.segments.online_retail_rfm_kmeans_runs` (run_id)\n"
        + "VALUES ('r1');\nCOMMIT TRANSACTION;"), script);
  }

  /**
   * Every other method's shipped definition, on the same slice: its own columns reach BigQuery's staged
   * tables (rfm's scores, the tree's parents, depths and paths, DBSCAN's noise), and the staged rows are the
   * run's counts, as the publish script will assert.
   */
  @ParameterizedTest
  @ValueSource(strings = {"online_retail_rfm_scores", "online_retail_rfm_tree", "online_retail_rfm_density"})
  void everyMethodStagesItsOwnColumnsInBigQuery(String name, @TempDir Path temp) throws Exception {
    SegmentDefinition def = Fixtures.definition(Path.of("segment-definitions/" + name + ".yaml"), environment());
    Pipeline p = Pipeline.create(options(temp));
    RunContext run = new RunContext("r1", Instant.parse("2026-12-02T10:00:00Z"), temp);
    SegflowPipeline.Graph g = SegflowPipeline.build(p, CompiledDefinition.of(def, Map.of("as_of", "2010-12-03")),
        environment(), run, Optional.of(services));
    BigQueryWarehouse.prepare(datasets, OUT, def.name(), g.bigQueryTables(), run.runId());
    PipelineResult result = p.run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
    RunReport report = RunReport.of(result);
    assertTrue(report.balanced());
    assertEquals(179, report.members());

    List<TableRow> members = rows(name + "_members__staging_r1");
    List<TableRow> segments = rows(name + "_segments__staging_r1");
    assertEquals(179, members.size());
    assertEquals(report.segmentSizes().size(), segments.size());
    Map<String, Long> sizes = new java.util.TreeMap<>();
    segments.forEach(s -> sizes.put(String.valueOf(s.get("segment_id")), Long.parseLong(String.valueOf(s.get("size")))));
    List<String> memberFields = fieldNames(name + "_members__staging_r1");
    List<String> segmentFields = fieldNames(name + "_segments__staging_r1");
    switch (name) {
      case "online_retail_rfm_scores" -> {
        assertTrue(memberFields.containsAll(List.of("r_score", "f_score", "m_score")), memberFields.toString());
        for (TableRow m : members) {
          for (String score : List.of("r_score", "f_score", "m_score")) {
            long value = Long.parseLong(String.valueOf(m.get(score)));
            assertTrue(value >= 1 && value <= 5, score + " " + value);
          }
        }
        assertTrue(segments.stream().allMatch(s -> s.get("segment_description") != null), segments.toString());
        TableRow model = rows(name + "_model__staging_r1").get(0);
        assertEquals("12", String.valueOf(model.get("k")), "the classic map's 11 segments and its default");
        com.fasterxml.jackson.databind.JsonNode scores = new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(String.valueOf(model.get("model"))).get("scores");
        assertEquals("r_score recency_days 5", scores.get(0).get("field").asText() + " "
            + scores.get(0).get("measure").asText() + " " + scores.get(0).get("ranges").size());
      }
      case "online_retail_rfm_tree" -> {
        assertTrue(memberFields.contains("segment_path"), memberFields.toString());
        assertTrue(segmentFields.containsAll(List.of("parent_segment_id", "depth")), segmentFields.toString());
        assertEquals(11, segments.size(), "6 leaves and the 5 nodes above them");
        TableRow root = segments.stream().filter(s -> s.get("parent_segment_id") == null).findFirst().orElseThrow();
        assertEquals("0", String.valueOf(root.get("depth")));
        assertEquals("179", String.valueOf(root.get("size")));
        String rootId = String.valueOf(root.get("segment_id"));
        for (TableRow m : members) {
          String path = String.valueOf(m.get("segment_path"));
          assertTrue(path.startsWith(rootId + "/") && path.endsWith("/" + m.get("segment_id")), path);
        }
        assertEquals(1, rows(name + "_model__staging_r1").size());
      }
      default -> {
        long noise = members.stream().filter(m -> "-1".equals(String.valueOf(m.get("segment_id")))).count();
        assertTrue(members.stream().filter(m -> "-1".equals(String.valueOf(m.get("segment_id"))))
            .allMatch(m -> "noise".equals(m.get("segment_label")) && m.get("margin") == null), "noise is labelled");
        assertEquals(noise, sizes.getOrDefault("-1", 0L), sizes.toString());
        TableRow model = rows(name + "_model__staging_r1").get(0);
        assertTrue(String.valueOf(model.get("model")).contains("\"corePoints\""), String.valueOf(model.get("model")));
        assertEquals(null, model.get("inertia"), "k-means' figures are NULL for DBSCAN");
      }
    }
    assertEquals(179L, sizes.entrySet().stream().filter(e -> isLeaf(segments, e.getKey()))
        .mapToLong(Map.Entry::getValue).sum(), "every member in one segment that is not split: " + sizes);
  }

  private static boolean isLeaf(List<TableRow> segments, String id) {
    return segments.stream().noneMatch(s -> id.equals(String.valueOf(s.get("parent_segment_id"))));
  }

  @Test
  void aMissingOutputDatasetStopsTheRunBeforeAnythingIsWritten(@TempDir Path temp) throws Exception {
    SegmentDefinition def = definition();
    List<BigQueryTables.OutputTable> tables = tablesOf(def, environment(), temp);
    IOException e = assertThrows(IOException.class,
        () -> BigQueryWarehouse.prepare(datasets, PROJECT + ".no_such", def.name(), tables, "r1"));
    assertTrue(e.getMessage().startsWith("the output dataset segflow-test.no_such cannot be read ("), e.getMessage());
    assertTrue(e.getMessage().endsWith("); create it in the environment's output.location "
        + "(bq mk --dataset --location=LOCATION segflow-test:no_such), or fix output.dataset"), e.getMessage());
  }

  private List<BigQueryTables.OutputTable> tablesOf(SegmentDefinition def, Environment env, Path temp) {
    return SegflowPipeline.build(Pipeline.create(options(temp)), CompiledDefinition.of(def), env,
        new RunContext("r1", Instant.EPOCH, temp), Optional.of(services)).bigQueryTables();
  }

  private List<TableRow> rows(String table) throws Exception {
    return datasets.getAllRows(PROJECT, "segments", table);
  }

  private List<String> fieldNames(String table) throws Exception {
    return datasets.getTable(ref(table)).getSchema().getFields().stream().map(TableFieldSchema::getName).toList();
  }

  private static TableFieldSchema field(Table table, String name) {
    return table.getSchema().getFields().stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow();
  }

  private static TableReference ref(String table) {
    return new TableReference().setProjectId(PROJECT).setDatasetId("segments").setTableId(table);
  }

  private static TableFieldSchema column(String name, String type) {
    return new TableFieldSchema().setName(name).setType(type).setMode("NULLABLE");
  }

  private static BigQueryOptions options(Path temp) {
    BigQueryOptions options = RunOptions.direct().as(BigQueryOptions.class);
    options.setProject(PROJECT);
    options.setTempLocation(temp.toString());
    return options;
  }

  private static SegmentDefinition definition() {
    return Fixtures.definition(Path.of("segment-definitions/online_retail_rfm_kmeans.yaml"), environment());
  }

  private static Environment environment() {
    return Fixtures.environment(HERE.resolve("env.yaml"));
  }

}
