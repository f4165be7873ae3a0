package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.cli.SegflowCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs published into DuckDB: tables keyed by run_id, idempotent reruns, views over the latest run. */
class DuckDbWarehouseTest {
  private static final Path FIXTURES = Path.of("src/test/resources/pipeline").toAbsolutePath();

  @Test
  void rerunsReplaceTheirRunAndTheViewsFollowTheLatest(@TempDir Path dir) throws Exception {
    Path env = environment(dir);
    for (String runId : new String[] {"first", "first", "second"}) {
      run(env, runId);
    }
    Path run = dir.resolve("out/pipeline_kmeans/second");
    for (String parquet : new String[] {"members.parquet", "segments.parquet", "rejects.parquet"}) {
      assertTrue(Files.size(run.resolve(parquet)) > 0, parquet);
    }
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("out/warehouse.duckdb"));
        Statement sql = db.createStatement()) {
      assertEquals(40, count(sql, "SELECT COUNT(*) FROM pipeline_kmeans_members"), "two runs of 20, the rerun replaced");
      assertEquals(20, count(sql, "SELECT COUNT(*) FROM pipeline_kmeans_members WHERE run_id = 'first'"));
      assertEquals(20, count(sql, "SELECT COUNT(*) FROM pipeline_kmeans_current_members WHERE run_id = 'second'"));
      assertEquals(20, count(sql, "SELECT COUNT(*) FROM pipeline_kmeans_current_members"));
      assertEquals(2, count(sql, "SELECT COUNT(*) FROM pipeline_kmeans_current_segments"));
      assertEquals(20, count(sql, "SELECT SUM(size) FROM pipeline_kmeans_current_segments"));
      assertEquals(2, count(sql, "SELECT COUNT(*) FROM pipeline_kmeans_runs"));
      assertEquals(2, count(sql, "SELECT COUNT(*) FROM pipeline_kmeans_model WHERE k = 2"));
      assertEquals(6, count(sql, "SELECT COUNT(*) FROM pipeline_kmeans_rejects"), "3 rejects per run");
      assertEquals(3, count(sql, "SELECT COUNT(*) FROM pipeline_kmeans_rejects WHERE run_id = 'second' AND line >= 75"));
      assertEquals(2, count(sql, "SELECT COUNT(*) FROM pipeline_kmeans_runs WHERE balanced"));
      // The first run has no centroid shift: its empty column must not make the table's column text.
      try (ResultSet column = sql.executeQuery("SELECT column_type FROM (DESCRIBE pipeline_kmeans_segments) "
          + "WHERE column_name = 'centroid_shift'")) {
        assertTrue(column.next());
        assertEquals("DOUBLE", column.getString(1));
      }
      assertEquals(2, count(sql, "SELECT COUNT(centroid_shift) FROM pipeline_kmeans_segments WHERE run_id = 'second'"
          + " AND centroid_shift >= 0"));
      assertEquals(0, count(sql, "SELECT COUNT(centroid_shift) FROM pipeline_kmeans_segments WHERE run_id = 'first'"));
    }
  }

  @Test
  void theRunsAndModelTablesAreTheCataloguesAndAnOlderWarehouseGainsTheColumnsItLacks(@TempDir Path dir)
      throws Exception {
    Path env = environment(dir);
    Path database = dir.resolve("out/warehouse.duckdb");
    Files.createDirectories(database.getParent());
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + database);
        Statement sql = db.createStatement()) {
      // The model table as segflow created it before the catalogue: no run_time.
      sql.execute("CREATE TABLE pipeline_kmeans_model (run_id VARCHAR, k INTEGER, inertia DOUBLE, silhouette DOUBLE, "
          + "davies_bouldin DOUBLE, calinski_harabasz DOUBLE, points BIGINT, passes INTEGER, iterations INTEGER, "
          + "converged BOOLEAN, seed BIGINT, model JSON)");
      sql.execute("INSERT INTO pipeline_kmeans_model (run_id, k, model) VALUES ('old', 3, '{}')");
    }
    run(env, "new");
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + database);
        Statement sql = db.createStatement()) {
      for (OutputTables.Table table : java.util.List.of(OutputTables.runs("pipeline_kmeans"),
          OutputTables.model("pipeline_kmeans"))) {
        java.util.Map<String, String> types = new java.util.HashMap<>();
        try (ResultSet columns = sql.executeQuery("DESCRIBE pipeline_kmeans_" + table.suffix())) {
          while (columns.next()) {
            types.put(columns.getString("column_name"), columns.getString("column_type"));
          }
        }
        for (OutputTables.Column c : table.columns()) {
          assertTrue(types.containsKey(c.name()), table.suffix() + " has " + c.name() + ": " + types);
          if (!(table.suffix().equals("model") && java.util.Set.of("k", "passes", "iterations").contains(c.name()))) {
            assertEquals(c.type().duckDb().replace("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"), types.get(c.name()),
                table.suffix() + "." + c.name());
          }
        }
      }
      assertEquals(2, count(sql, "SELECT COUNT(*) FROM pipeline_kmeans_model"), "the older row stays");
      assertEquals(1, count(sql, "SELECT COUNT(*) FROM pipeline_kmeans_model WHERE run_id = 'new' AND run_time IS NOT NULL"
          + " AND k = 2 AND json_extract(model, '$.k')::INTEGER = 2"));
    }
    // BigQuery's schema of the same table, from the same catalogue.
    com.google.api.services.bigquery.model.TableSchema runs =
        BigQueryTables.of(OutputTables.runs("pipeline_kmeans")).schema();
    assertEquals(OutputTables.runs("pipeline_kmeans").columns().stream().map(c -> c.name() + " " + c.type().bigQuery()
        + " " + (c.required() ? "REQUIRED" : "NULLABLE")).toList(),
        runs.getFields().stream().map(f -> f.getName() + " " + f.getType() + " " + f.getMode()).toList());
  }

  @Test
  void theRunANewRunFollowsIsReadBackWithItsSegmentsAndModel(@TempDir Path dir) throws Exception {
    Path env = environment(dir);
    Path database = dir.resolve("out/warehouse.duckdb");
    assertTrue(DuckDbWarehouse.published(database, "pipeline_kmeans", PublishedRun.Wanted.latestBefore("a")).isEmpty());
    assertTrue(Files.notExists(database), "reading creates no database");
    for (String runId : new String[] {"a", "b", "b"}) {
      run(env, runId);
    }
    com.fasterxml.jackson.databind.JsonNode second = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(dir.resolve("out/pipeline_kmeans/b/run.json").toFile());
    assertEquals("a", second.get("previous_run_id").asText(), "a rerun of b still follows a, not itself");

    PublishedRun latest = DuckDbWarehouse.published(database, "pipeline_kmeans", PublishedRun.Wanted.latestBefore("c"))
        .orElseThrow();
    assertEquals("b", latest.runId());
    assertEquals(second.get("run_time").asText(), latest.runTime().toString());
    assertEquals(java.util.List.of(0L, 1L), latest.segments().stream().map(PublishedRun.Segment::id).toList());
    assertEquals(20, latest.segments().stream().mapToLong(PublishedRun.Segment::size).sum());
    assertEquals(2, io.segflow.transforms.kmeans.KMeansModel.fromJson(latest.model().orElseThrow()).k());
    assertEquals(20, latest.report().get("members").asLong());

    PublishedRun named = DuckDbWarehouse.published(database, "pipeline_kmeans",
        new PublishedRun.Wanted(java.util.Optional.of("a"), "c")).orElseThrow();
    assertEquals("a", named.runId());
    assertTrue(DuckDbWarehouse.published(database, "pipeline_kmeans",
        new PublishedRun.Wanted(java.util.Optional.of("zz"), "c")).isEmpty(), "no such run");
    assertTrue(DuckDbWarehouse.published(database, "other_definition", PublishedRun.Wanted.latestBefore("c")).isEmpty());
  }

  /**
   * More members than one DuckDB row group (122,880): with DuckDB 2.0.0.1 a table made by {@code CREATE TABLE
   * AS SELECT ... LIMIT 0} inside the publishing transaction lost such a load (a 1M-member run was refused,
   * its files loading 0 rows), so a first run of this size is the case to keep.
   */
  @Test
  void aFirstRunLargerThanARowGroupIsPublishedWhole(@TempDir Path dir) throws Exception {
    int members = 150_000;
    Path run = dir.resolve("run");
    Files.createDirectories(run);
    StringBuilder csv = new StringBuilder("customer_id,segment_id,segment_label,distance,margin,holdout,run_id,run_time\n");
    for (int i = 0; i < members; i++) {
      csv.append(i).append(',').append(i % 2).append(i % 2 == 0 ? ",even" : ",odd")
          .append(",1.5,0.5,false,big,2026-12-04T00:00:00Z\n");
    }
    Files.writeString(run.resolve("members.csv"), csv);
    Files.writeString(run.resolve("segments.csv"), "segment_id,segment_label,size,share,centroid_shift\n"
        + "0,even,75000,0.5,\n1,odd,75000,0.5,\n");
    Files.writeString(run.resolve("rejects.csv"), "stage,source,file,line,entity,record,reason\n");
    Files.writeString(run.resolve("run.json"), "{\"definition\": \"big\", \"run_id\": \"big\", \"run_time\": "
        + "\"2026-12-04T00:00:00Z\", \"previous_run_id\": null, \"environment\": \"test\", \"runner\": \"direct\","
        + " \"seconds\": 1.0, \"entities_featured\": 150000, \"members\": 150000, \"entities_rejected\": 0,"
        + " \"balanced\": true}");
    RunReport counts = new RunReport(java.util.Map.of(), members, members, 0, 0, 0, java.util.Map.of(),
        java.util.Map.of(new SegmentKey(0, "even"), 75_000L, new SegmentKey(1, "odd"), 75_000L), java.util.Map.of(), java.util.Map.of());
    Path database = dir.resolve("warehouse.duckdb");
    DuckDbWarehouse.publish(database, "big", "customer_id", run, counts, catalogue(dir));
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + database); Statement sql = db.createStatement()) {
      assertEquals(members, count(sql, "SELECT COUNT(*) FROM big_members"));
      assertEquals(members, count(sql, "SELECT COUNT(to_segment_id) FROM big_transitions WHERE from_segment_id IS NULL"));
      assertEquals(members, count(sql, "SELECT COUNT(*) FROM big_current_members"));
    }
  }

  /**
   * The files are typed by the catalogue, not sniffed: a STRING entity whose first run holds only digits
   * made a BIGINT column, and the next run, with ids "007" and "a7", then lost the zeros or failed to load.
   */
  @Test
  void aStringEntityOfDigitsStaysAString(@TempDir Path dir) throws Exception {
    Path database = dir.resolve("warehouse.duckdb");
    publishTwoMembers(dir, database, "z1", "7", "12");
    publishTwoMembers(dir, database, "z2", "007", "a7");
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + database); Statement sql = db.createStatement()) {
      // The second run's members, and the transitions into its segments (7 and 12 left, with no to_segment_id).
      for (String where : new String[] {"zeros_members WHERE run_id = 'z2'",
          "zeros_transitions WHERE run_id = 'z2' AND to_segment_id IS NOT NULL"}) {
        try (ResultSet ids = sql.executeQuery("SELECT customer_id FROM " + where + " ORDER BY customer_id")) {
          java.util.List<String> read = new java.util.ArrayList<>();
          while (ids.next()) {
            read.add(ids.getString(1));
          }
          assertEquals(java.util.List.of("007", "a7"), read, where);
        }
      }
      try (ResultSet type = sql.executeQuery("SELECT column_type FROM (DESCRIBE zeros_members) "
          + "WHERE column_name = 'customer_id'")) {
        assertTrue(type.next());
        assertEquals("VARCHAR", type.getString(1));
      }
    }
    // What a live stream's first changes start from: the latest run's segments, by the entity as text.
    assertEquals(java.util.Map.of("007", "a", "a7", "b"), DuckDbWarehouse.currentSegments(database, "zeros", "customer_id"));
    assertEquals(java.util.Map.of(), DuckDbWarehouse.currentSegments(database, "unpublished", "customer_id"));
    assertEquals(java.util.Map.of(), DuckDbWarehouse.currentSegments(dir.resolve("none.duckdb"), "zeros", "customer_id"));
    // A file column the catalogue does not know is a bug, refused before anything is published.
    Path run = dir.resolve("z2");
    Files.writeString(run.resolve("segments.csv"), "segment_id,segment_label,size,share,surprise\n0,a,1,0.5,1\n1,b,1,0.5,1\n");
    IllegalStateException unknown = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> DuckDbWarehouse.publish(database, "zeros", "customer_id", run, twoMembers(), catalogue(dir)));
    assertTrue(unknown.getMessage().contains("segments.csv: column surprise is not in the segments table's catalogue "
        + "[segment_id, segment_label, size, share, "), unknown.getMessage());
  }

  /** Publishes a run of two members, one in each of two segments. */
  private static void publishTwoMembers(Path dir, Path database, String runId, String first, String second)
      throws Exception {
    Path run = dir.resolve(runId);
    Files.createDirectories(run);
    String time = runId.equals("z1") ? "2026-12-04T00:00:00Z" : "2026-12-05T00:00:00Z";
    Files.writeString(run.resolve("members.csv"), "customer_id,segment_id,segment_label,distance,margin,holdout,"
        + "run_id,run_time\n" + first + ",0,a,1.5,0.5,false," + runId + "," + time + "\n"
        + second + ",1,b,1.5,0.5,false," + runId + "," + time + "\n");
    Files.writeString(run.resolve("segments.csv"), "segment_id,segment_label,size,share,centroid_shift\n"
        + "0,a,1,0.5,\n1,b,1,0.5,\n");
    Files.writeString(run.resolve("rejects.csv"), "stage,source,file,line,entity,record,reason\n");
    Files.writeString(run.resolve("run.json"), "{\"definition\": \"zeros\", \"run_id\": \"" + runId + "\", "
        + "\"run_time\": \"" + time + "\", \"previous_run_id\": " + (runId.equals("z1") ? "null" : "\"z1\"")
        + ", \"environment\": \"test\", \"runner\": \"direct\", \"seconds\": 1.0, \"entities_featured\": 2, "
        + "\"members\": 2, \"entities_rejected\": 0, \"balanced\": true}");
    DuckDbWarehouse.publish(database, "zeros", "customer_id", run, twoMembers(), catalogue(dir));
  }

  private static RunReport twoMembers() {
    return new RunReport(java.util.Map.of(), 2, 2, 0, 0, 0, java.util.Map.of(),
        java.util.Map.of(new SegmentKey(0, "a"), 1L, new SegmentKey(1, "b"), 1L), java.util.Map.of(), java.util.Map.of());
  }

  /** The catalogue of the k-means fixture's runs (entity customer_id, a STRING), as a run's graph has it. */
  private static java.util.List<OutputTables.Table> catalogue(Path dir) throws Exception {
    io.segflow.dsl.env.Environment env = Fixtures.environment(environment(dir));
    io.segflow.dsl.model.SegmentDefinition def = Fixtures.definition(FIXTURES.resolve("kmeans.yaml"), env);
    return SegflowPipeline.build(org.apache.beam.sdk.Pipeline.create(RunOptions.direct()),
        io.segflow.compile.CompiledDefinition.of(def), env,
        new RunContext("catalogue", java.time.Instant.EPOCH, dir), java.util.Optional.empty()).catalogue();
  }

  @Test
  void filesThatDoNotHoldTheRunsCountedRowsAreNotPublished(@TempDir Path dir) throws Exception {
    run(environment(dir), "a");
    Path published = dir.resolve("out/pipeline_kmeans/a");
    Path tampered = dir.resolve("tampered");
    Files.createDirectories(tampered);
    for (String file : new String[] {"members.csv", "segments.csv", "rejects.csv", "model.json", "run.json"}) {
      Files.copy(published.resolve(file), tampered.resolve(file));
    }
    java.util.List<String> members = Files.readAllLines(tampered.resolve("members.csv"));
    Files.write(tampered.resolve("members.csv"), members.subList(0, members.size() - 1)); // a row lost
    RunReport counts = new RunReport(java.util.Map.of("orders", java.util.Map.of("rejected", 3L)), 20, 20, 0, 0, 0,
        java.util.Map.of(), java.util.Map.of(), java.util.Map.of(), java.util.Map.of());
    Path database = dir.resolve("another.duckdb");
    IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> DuckDbWarehouse.publish(database, "pipeline_kmeans", "customer_id", tampered, counts, catalogue(dir)));
    assertEquals("pipeline_kmeans_members: the run counted 20 but its files load 19 (COUNT(*)); nothing was published",
        refused.getMessage());
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + database); Statement sql = db.createStatement()) {
      assertEquals(0, count(sql, "SELECT COUNT(*) FROM information_schema.tables"), "rolled back: no table at all");
    }
  }

  @Test
  void theControlGroupIsPublishedFlaggedAndLeftOutOfTheActivationView(@TempDir Path dir) throws Exception {
    Path env = environment(dir);
    Path definition = dir.resolve("holdout.yaml");
    Files.writeString(definition, Files.readString(FIXTURES.resolve("kmeans.yaml"))
        + "holdout: {share: 0.3, salt: test-2026}\n");
    StringWriter out = new StringWriter();
    assertEquals(0, SegflowCli.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "run",
        definition.toString(), "--env", env.toString(), "--run-id", "h1"));
    long held = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(dir.resolve("out/pipeline_kmeans/h1/run.json").toFile()).get("holdout_members").asLong();
    assertTrue(held > 0 && held < 20, "some of the 20 held out: " + held);
    assertTrue(out.toString().contains("= 20 members (" + held + " in the holdout)"), out.toString());
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("out/warehouse.duckdb"));
        Statement sql = db.createStatement()) {
      assertEquals(held, count(sql, "SELECT COUNT(*) FROM pipeline_kmeans_current_members WHERE holdout"));
      assertEquals(20 - held, count(sql, "SELECT COUNT(*) FROM pipeline_kmeans_activation"));
      assertEquals(held, count(sql, "SELECT holdout_members FROM pipeline_kmeans_runs WHERE run_id = 'h1'"));
      for (String id : new String[] {"s00", "s05", "b03"}) {
        boolean expected = new HoldoutGroup(0.3, "test-2026").holdsOut(id);
        assertEquals(expected ? 1 : 0, count(sql, "SELECT COUNT(*) FROM pipeline_kmeans_members WHERE holdout AND "
            + "customer_id = '" + id + "'"), id);
      }
    }
  }

  /** An environment reading the orders fixture, writing files and a warehouse under {@code dir/out}. */
  private static Path environment(Path dir) throws java.io.IOException {
    Path env = dir.resolve("env.yaml");
    Files.writeString(env, "apiVersion: segflow/v1\nname: warehouse-test\nrunner: direct\n"
        + "sources: {orders: {kind: file, format: csv, path: " + FIXTURES.resolve("orders.csv")
        + ", timestamp_format: 'yyyy-MM-dd HH:mm:ss'}}\noutput: {kind: files, path: out}\n");
    return env;
  }

  private static void run(Path env, String runId) {
    StringWriter err = new StringWriter();
    int exit = SegflowCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "run", FIXTURES.resolve("kmeans.yaml").toString(), "--env", env.toString(), "--run-id", runId);
    assertEquals(0, exit, err.toString());
  }

  private static long count(Statement sql, String query) throws SQLException {
    try (ResultSet r = sql.executeQuery(query)) {
      r.next();
      return r.getLong(1);
    }
  }
}
