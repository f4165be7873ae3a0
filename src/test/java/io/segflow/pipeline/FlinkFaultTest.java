package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.cli.SegflowCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fault on a real session cluster: the TaskManager is killed while the README's job runs on it. The run
 * fails cleanly (exit 1, the reason said, nothing published); once a TaskManager is back, a rerun with the
 * same run id publishes the run exactly once, and a third run with that id replaces it, still once.
 */
@Tag("flink")
class FlinkFaultTest {
  @RegisterExtension
  static final SessionCluster CLUSTER = new SessionCluster("18082", "16124", "target/flink-fault");
  private static final String DEFINITION = "online_retail_rfm_kmeans";
  private static final long CUSTOMERS = 4338;

  record Said(int exit, String out, String err) {}

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aTaskManagerKilledMidRunFailsTheRunCleanlyAndARerunPublishesOnce(@TempDir Path dir) throws Exception {
    Path env = dir.resolve("cluster.yaml");
    Files.writeString(env, "apiVersion: segflow/v1\nname: cluster\nrunner: flink\nsources:\n"
        + "  retail_transactions: {kind: file, format: csv, path: "
        + Path.of("segment-definitions/data/online_retail.csv.gz").toAbsolutePath()
        + ", timestamp_format: 'yyyy-MM-dd HH:mm:ss', time_zone: Europe/London}\n"
        + "output: {kind: files, path: out, warehouse: out/warehouse.duckdb}\n");
    Path warehouse = dir.resolve("out/warehouse.duckdb");
    List<String> run = List.of("run", "segment-definitions/" + DEFINITION + ".yaml", "--env", env.toString(),
        "--flink-master", CLUSTER.master(), "--run-id", "fault-1");

    CompletableFuture<Said> first = CompletableFuture.supplyAsync(() -> segflow(run));
    long waited = System.nanoTime();
    while (!CLUSTER.runsAJob()) {
      assertFalse(first.isDone(), () -> "the run ended before its job ran: " + first.join());
      assertTrue(System.nanoTime() - waited < TimeUnit.MINUTES.toNanos(2), "the job did not start in 2 minutes");
      Thread.sleep(200);
    }
    Thread.sleep(2000); // into the read
    assertFalse(first.isDone(), "the TaskManager is killed while the job runs");
    CLUSTER.killTaskManager();
    Said failed = first.get(5, TimeUnit.MINUTES);
    assertEquals(1, failed.exit(), failed.toString());
    assertTrue(failed.err().contains("segflow run: the pipeline failed: "), failed.err());
    assertFalse(failed.err().contains("internal error") || failed.err().contains("\tat "), failed.err());
    assertFalse(DuckDbWarehouse.published(warehouse, DEFINITION, PublishedRun.Wanted.latestBefore("~")).isPresent(),
        "nothing was published");

    CLUSTER.stop(); // the JobManager; the TaskManager is gone already
    CLUSTER.start();
    Said rerun = segflow(run);
    assertEquals(0, rerun.exit(), rerun.toString());
    assertEquals(List.of(1L, CUSTOMERS), published(warehouse, "fault-1"));
    Said again = segflow(run);
    assertEquals(0, again.exit(), again.toString());
    assertEquals(List.of(1L, CUSTOMERS), published(warehouse, "fault-1"), "a rerun replaces the run, once");
  }

  private static Said segflow(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = SegflowCli.execute(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    return new Said(exit, out.toString(), err.toString());
  }

  /** The rows of the run in the runs table, and its members. */
  private static List<Long> published(Path warehouse, String runId) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + warehouse);
        Statement sql = db.createStatement()) {
      return List.of(count(sql, DEFINITION + "_runs", runId), count(sql, DEFINITION + "_members", runId));
    }
  }

  private static long count(Statement sql, String table, String runId) throws Exception {
    try (ResultSet rows = sql.executeQuery("SELECT count(*) FROM " + table + " WHERE run_id = '" + runId + "'")) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
