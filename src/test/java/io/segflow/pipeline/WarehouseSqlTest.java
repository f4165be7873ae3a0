package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One generator of the publishing SQL: run for real on DuckDB, and asserted as text for BigQuery. */
class WarehouseSqlTest {
  private static final WarehouseSql.Dialect DUCKDB = WarehouseSql.Dialect.DUCKDB;
  private static final WarehouseSql.Dialect BIGQUERY = WarehouseSql.Dialect.BIGQUERY;
  private static final Instant R1 = Instant.parse("2026-12-01T06:00:00Z");
  private static final Instant R2 = Instant.parse("2026-12-02T06:00:00Z");

  @Test
  void theCurrentViewShowsTheLatestPublishedRunAndARerunReplacesOnlyItsRows() throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement()) {
      twoPublishedRuns(sql);
      sql.execute("INSERT INTO x_members VALUES ('b', 1, 'r1', '2026-12-01 06:00:00+00')");
      sql.execute(WarehouseSql.currentView(DUCKDB, "", "x", "members", R2));
      assertEquals(List.of("a 1 r2"), rows(sql, "SELECT * FROM x_current_members ORDER BY 1"));

      // A rerun of r1 replaces r1's rows and nothing else.
      sql.execute("CREATE TABLE staged AS SELECT 'c' AS customer_id, 2 AS segment_id, 'r1' AS run_id, "
          + "TIMESTAMPTZ '2026-12-01 06:00:00+00' AS run_time");
      sql.execute(WarehouseSql.deleteRun(DUCKDB, "", "x_members", "r1"));
      sql.execute(WarehouseSql.deleteRun(DUCKDB, "", "x_members", "it's"));
      sql.execute(WarehouseSql.insertRun(DUCKDB, "", "x_members", "SELECT * FROM staged", List.of()));
      assertEquals(List.of("a 1 r2", "c 2 r1"), rows(sql, "SELECT * FROM x_members ORDER BY 1"));
      // A run not yet in x_runs (still publishing) is not what the view shows.
      sql.execute("INSERT INTO x_members VALUES ('d', 0, 'r3', '2026-12-03 06:00:00+00')");
      assertEquals(List.of("a 1 r2"), rows(sql, "SELECT * FROM x_current_members ORDER BY 1"));
    }
  }

  @Test
  void theViewsPartitionBoundNeverHidesTheLatestRun() throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement()) {
      twoPublishedRuns(sql);
      // r1's publishing finished after r2's (a longer job): its view bound is older, the view still shows r2.
      sql.execute(WarehouseSql.currentView(DUCKDB, "", "x", "members", R1));
      assertEquals(List.of("a 1 r2"), rows(sql, "SELECT * FROM x_current_members ORDER BY 1"));
      // The bound is the run's UTC day: a run just after midnight keeps the rows of its own day.
      sql.execute(WarehouseSql.currentView(DUCKDB, "", "x", "members", Instant.parse("2026-12-02T06:00:00.000001Z")));
      assertEquals(List.of("a 1 r2"), rows(sql, "SELECT * FROM x_current_members ORDER BY 1"));
      // The bound is a filter, not decoration: a day past the latest run's shows nothing.
      sql.execute(WarehouseSql.currentView(DUCKDB, "", "x", "members", Instant.parse("2026-12-03T00:00:00Z")));
      assertEquals(List.of(), rows(sql, "SELECT * FROM x_current_members ORDER BY 1"));
    }
  }

  @Test
  void bigQuerysTextQuotesWholeTableNames() {
    assertEquals("CREATE OR REPLACE VIEW `p-1.seg.x_current_segments` AS\nSELECT * FROM `p-1.seg.x_segments`\n"
        + "WHERE run_id = (SELECT run_id FROM `p-1.seg.x_runs` ORDER BY run_time DESC, run_id DESC LIMIT 1)",
        WarehouseSql.currentView(BIGQUERY, "p-1.seg", "x", "segments", null));
    // Members are partitioned by run_time: a constant bound lets BigQuery read only the latest days.
    assertEquals("CREATE OR REPLACE VIEW `p-1.seg.x_current_members` AS\nSELECT * FROM `p-1.seg.x_members`\n"
        + "WHERE run_id = (SELECT run_id FROM `p-1.seg.x_runs` ORDER BY run_time DESC, run_id DESC LIMIT 1)\n"
        + "  AND run_time >= TIMESTAMP '2026-12-02 00:00:00.000000+00:00'",
        WarehouseSql.currentView(BIGQUERY, "p-1.seg", "x", "members", R2));
    assertEquals("TIMESTAMP '2026-12-02 06:00:00.123456+00:00'",
        WarehouseSql.timestamp(BIGQUERY, Instant.parse("2026-12-02T06:00:00.123456789Z")));
    // GoogleSQL has no doubled quote and no raw line break in '...': a run's JSON report has both.
    assertEquals("DELETE FROM `p-1.seg.x_members` WHERE run_id = 'it\\'s'",
        WarehouseSql.deleteRun(BIGQUERY, "p-1.seg", "x_members", "it's"));
    assertEquals("'{\\n  \"reason\" : \"amount \\'…\\' is not a FLOAT64 (C:\\\\x)\"\\n}'",
        WarehouseSql.literal(BIGQUERY, "{\n  \"reason\" : \"amount '…' is not a FLOAT64 (C:\\x)\"\n}"));
    assertEquals("INSERT INTO `p-1.seg.x_members` (`customer_id`, `segment_id`)\n"
        + "SELECT `customer_id`, `segment_id` FROM `p-1.seg.x_members__staging_r1`",
        WarehouseSql.insertRun(BIGQUERY, "p-1.seg", "x_members", "`p-1.seg.x_members__staging_r1`",
            List.of("customer_id", "segment_id")));
    // The activation view: since when each current member is in its segment, and where it was before.
    assertEquals("CREATE OR REPLACE VIEW `p-1.seg.x_activation` AS\n"
        + "SELECT m.* EXCEPT (holdout), stay.since, stay.previous_segment_id\n"
        + "FROM `p-1.seg.x_current_members` AS m\n"
        + "LEFT JOIN (\n"
        + "  SELECT `customer_id`, run_time AS since, from_segment_id AS previous_segment_id,\n"
        + "    ROW_NUMBER() OVER (PARTITION BY `customer_id` ORDER BY run_time DESC, run_id DESC) AS latest\n"
        + "  FROM `p-1.seg.x_transitions`\n"
        + "  WHERE to_segment_id IS NOT NULL AND from_segment_id IS DISTINCT FROM to_segment_id\n"
        + ") AS stay ON stay.`customer_id` = m.`customer_id` AND stay.latest = 1\n"
        + "WHERE m.holdout IS NOT TRUE",
        WarehouseSql.activationView(BIGQUERY, "p-1.seg", "x", "customer_id"));
    // Transitions: both runs' members, full outer joined; a first run's members all enter from NULL.
    assertEquals("INSERT INTO `p-1.seg.x_transitions` (`customer_id`, run_id, run_time, previous_run_id, from_segment_id, to_segment_id)\n"
        + "SELECT COALESCE(cur.`customer_id`, prev.`customer_id`), 'r2', TIMESTAMP '2026-12-02 06:00:00.000000+00:00', 'r1', prev.segment_id, cur.segment_id\n"
        + "FROM (SELECT `customer_id`, segment_id FROM `p-1.seg.x_members` WHERE run_id = 'r2') AS cur\n"
        + "FULL OUTER JOIN (SELECT `customer_id`, segment_id FROM `p-1.seg.x_members` WHERE run_id = 'r1') AS prev\n"
        + "  ON cur.`customer_id` = prev.`customer_id`",
        WarehouseSql.insertTransitions(BIGQUERY, "p-1.seg", "x", "customer_id", "r2",
            Instant.parse("2026-12-02T06:00:00Z"), java.util.Optional.of("r1")));
    assertEquals("INSERT INTO `p-1.seg.x_transitions` (`customer_id`, run_id, run_time, previous_run_id, from_segment_id, to_segment_id)\n"
        + "SELECT COALESCE(cur.`customer_id`, prev.`customer_id`), 'r1', TIMESTAMP '2026-12-02 06:00:00.000000+00:00', CAST(NULL AS STRING), prev.segment_id, cur.segment_id\n"
        + "FROM (SELECT `customer_id`, segment_id FROM `p-1.seg.x_members` WHERE run_id = 'r1') AS cur\n"
        + "FULL OUTER JOIN (SELECT `customer_id`, segment_id FROM `p-1.seg.x_members` WHERE FALSE) AS prev\n"
        + "  ON cur.`customer_id` = prev.`customer_id`",
        WarehouseSql.insertTransitions(BIGQUERY, "p-1.seg", "x", "customer_id", "r1",
            Instant.parse("2026-12-02T06:00:00Z"), java.util.Optional.empty()));
    assertEquals("CREATE OR REPLACE VIEW `p-1.seg.x_movements` AS\n"
        + "SELECT t.previous_run_id, t.run_id, t.from_segment_id, prev.segment_label AS from_segment_label,\n"
        + "  t.to_segment_id, cur.segment_label AS to_segment_label, t.customers,\n"
        + "  t.customers / SUM(t.customers) OVER (PARTITION BY t.from_segment_id) AS share_of_from\n"
        + "FROM (SELECT previous_run_id, run_id, from_segment_id, to_segment_id, COUNT(*) AS customers FROM `p-1.seg.x_transitions`\n"
        + "  WHERE run_id = (SELECT run_id FROM `p-1.seg.x_runs` ORDER BY run_time DESC, run_id DESC LIMIT 1)\n"
        + "  GROUP BY previous_run_id, run_id, from_segment_id, to_segment_id) AS t\n"
        + "LEFT JOIN `p-1.seg.x_segments` AS prev ON prev.run_id = t.previous_run_id AND prev.segment_id = t.from_segment_id\n"
        + "LEFT JOIN `p-1.seg.x_segments` AS cur ON cur.run_id = t.run_id AND cur.segment_id = t.to_segment_id",
        WarehouseSql.movementsView(BIGQUERY, "p-1.seg", "x"));
    assertEquals("CREATE OR REPLACE VIEW `p-1.seg.x_changes` AS\n"
        + "SELECT `customer_id`, run_id, run_time, previous_run_id, from_segment_id, to_segment_id,\n"
        + "  CASE WHEN from_segment_id IS NULL THEN 'entered' WHEN to_segment_id IS NULL THEN 'left' ELSE 'moved' END AS change\n"
        + "FROM `p-1.seg.x_transitions`\n"
        + "WHERE run_id = (SELECT run_id FROM `p-1.seg.x_runs` ORDER BY run_time DESC, run_id DESC LIMIT 1)\n"
        + "  AND from_segment_id IS DISTINCT FROM to_segment_id",
        WarehouseSql.changesView(BIGQUERY, "p-1.seg", "x", "customer_id"));
    // The read-back of the run a new run follows: never the new run itself.
    assertEquals("SELECT run_id, report FROM `p-1.seg.x_runs` WHERE run_id <> 'r3' ORDER BY run_time DESC, run_id DESC"
        + " LIMIT 1", WarehouseSql.publishedRun(BIGQUERY, "p-1.seg", "x", PublishedRun.Wanted.latestBefore("r3")));
    assertEquals("SELECT segment_id, segment_label, size FROM `p-1.seg.x_segments` WHERE run_id = 'r2' ORDER BY "
        + "segment_id", WarehouseSql.publishedSegments(BIGQUERY, "p-1.seg", "x", "r2"));
    assertEquals("SELECT s.segment_id, s.segment_label, MAX(r.run_time) AS last_seen FROM `p-1.seg.x_segments` AS s "
        + "JOIN `p-1.seg.x_runs` AS r USING (run_id) WHERE s.run_id <> 'r3' GROUP BY s.segment_id, s.segment_label",
        WarehouseSql.segmentHistory(BIGQUERY, "p-1.seg", "x", "r3"));
    // Who stayed, from the new run's staging table, before anything is published.
    assertEquals("SELECT p.segment_id, COUNT(*) AS stayed FROM `p-1.seg.x_members` AS p\n"
        + "JOIN `p-1.seg.x_members__staging_r3` AS n ON CAST(n.`customer_id` AS STRING) = CAST(p.`customer_id` AS STRING)"
        + " AND n.segment_id = p.segment_id\nWHERE p.run_id = 'r2'\nGROUP BY p.segment_id",
        WarehouseSql.stayed(BIGQUERY, "p-1.seg", "x", "customer_id", "r2", "`p-1.seg.x_members__staging_r3`", false));
    // A tree's members stay in every segment both their paths pass through.
    assertEquals("SELECT s.segment_id, COUNT(*) AS stayed FROM `p-1.seg.x_members` AS p\n"
        + "JOIN `p-1.seg.x_members__staging_r3` AS n ON CAST(n.`customer_id` AS STRING) = CAST(p.`customer_id` AS STRING)\n"
        + "JOIN `p-1.seg.x_segments` AS s ON s.run_id = p.run_id"
        + " AND STRPOS(CONCAT('/', p.segment_path, '/'), CONCAT('/', CAST(s.segment_id AS STRING), '/')) > 0"
        + " AND STRPOS(CONCAT('/', n.segment_path, '/'), CONCAT('/', CAST(s.segment_id AS STRING), '/')) > 0\n"
        + "WHERE p.run_id = 'r2'\nGROUP BY s.segment_id",
        WarehouseSql.stayed(BIGQUERY, "p-1.seg", "x", "customer_id", "r2", "`p-1.seg.x_members__staging_r3`", true));
    assertEquals("ALTER TABLE `p-1.seg.x_segments`\n  ADD COLUMN IF NOT EXISTS `spend_median` FLOAT64,\n"
        + "  ADD COLUMN IF NOT EXISTS `run_id` STRING",
        WarehouseSql.addMissingColumns("p-1.seg", "x_segments", linked("spend_median", "FLOAT64", "run_id", "STRING")));
  }

  private static java.util.Map<String, String> linked(String... pairs) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  /** Runs r1 (2026-12-01) and r2 (2026-12-02) in x_runs, customer a in each. */
  private static void twoPublishedRuns(Statement sql) throws Exception {
    sql.execute("CREATE TABLE x_runs (run_id VARCHAR, run_time TIMESTAMPTZ)");
    sql.execute("CREATE TABLE x_members (customer_id VARCHAR, segment_id INTEGER, run_id VARCHAR, run_time TIMESTAMPTZ)");
    sql.execute("INSERT INTO x_members VALUES ('a', 0, 'r1', '2026-12-01 06:00:00+00'), "
        + "('a', 1, 'r2', '2026-12-02 06:00:00+00')");
    sql.execute("INSERT INTO x_runs VALUES ('r1', '2026-12-01 06:00:00+00'), ('r2', '2026-12-02 06:00:00+00')");
  }

  private static List<String> rows(Statement sql, String query) throws Exception {
    List<String> out = new ArrayList<>();
    try (ResultSet r = sql.executeQuery(query)) {
      while (r.next()) {
        out.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3));
      }
    }
    return out;
  }
}
