package io.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import io.segflow.pipeline.SampleFiles;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segflow stream} as a user runs it: the rules example over a file of purchases replayed as events,
 * its changes and where customers end; and an environment whose event_time does not fit the definition.
 */
class StreamCommandTest {
  private static final String RULES = Path.of("segment-definitions/online_retail_rfm_rules.yaml").toAbsolutePath()
      .toString();

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run segflow(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = SegflowCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  private Path environment(String eventTime) throws IOException {
    Files.writeString(dir.resolve("purchases.csv"), """
        InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID
        A0,X,2,2011-11-01 10:00:00,10.0,1
        A1,X,2,2011-11-05 10:00:00,10.0,1
        A2,X,2,2011-11-09 10:00:00,10.0,1
        A2,Y,1,2011-11-09 10:00:00,4.0,1
        A3,X,2,2011-11-12 10:00:00,10.0,1
        A4,X,2,2011-11-20 10:00:00,10.0,1
        B0,X,1000,2011-01-03 10:00:00,9.0,2
        D0,X,1,2011-03-01 10:00:00,15.0,3
        E0,X,1,2011-03-02 10:00:00,15.0,
        F0,X,1,,15.0,4
        """);
    Path env = dir.resolve("replay.yaml");
    Files.writeString(env, """
        apiVersion: segflow/v1
        name: replay
        runner: direct
        sources:
          retail_transactions:
            kind: file
            format: csv
            path: purchases.csv
            timestamp_format: yyyy-MM-dd HH:mm:ss
            event_time: %s
        output: {kind: files, path: out, warehouse: out/warehouse.duckdb}
        """.formatted(eventTime));
    return env;
  }

  @Test
  void aReplayPrintsItsChangesAndWhereEachCustomerEnds() throws IOException {
    Run run = segflow("stream", RULES, "--env", environment("InvoiceDate").toString());
    assertEquals(0, run.exit(), run.err() + run.out());
    // F0 has no time: it cannot be placed in the stream, and is a reject rather than lost.
    assertTrue(run.out().contains("changes: 6, of 3 customers; rejects: 1"), run.out());
    assertEquals(List.of("  big_spenders                 1", "  lapsed                       1",
        "  loyal                        1"), run.out().lines().filter(l -> l.startsWith("  ")).toList());
    Path folder = Path.of(run.out().lines().filter(l -> l.startsWith("outputs: ")).findFirst().orElseThrow()
        .substring("outputs: ".length()).replace(" (changes.csv, rejects.csv)", ""));
    List<String> changes = Files.readAllLines(folder.resolve("changes.csv"));
    assertEquals("customer_id,from_segment,to_segment,event_time,sequence,model_run_id", changes.get(0));
    assertEquals(List.of(
        "1,,new_customers,2011-11-01T10:00:00.000Z,1,",
        "1,new_customers,others,2011-11-05T10:00:00.000Z,2,",
        "1,others,loyal,2011-11-20T10:00:00.000Z,3,",
        "2,,big_spenders,2011-01-03T10:00:00.000Z,1,",
        "3,,new_customers,2011-03-01T10:00:00.000Z,1,",
        "3,new_customers,lapsed,2011-12-10T00:00:00.000Z,2,"), changes.subList(1, changes.size()).stream().sorted().toList());
    List<String> rejects = Files.readAllLines(folder.resolve("rejects.csv"));
    assertEquals(2, rejects.size(), String.join("\n", rejects));
    assertTrue(rejects.get(1).startsWith("events,retail_transactions,,,,") && rejects.get(1).endsWith(
        ",the event time InvoiceDate is NULL: the event cannot be placed in the stream"), rejects.get(1));
  }

  @Test
  void planShowsWhatTheStreamComputes() {
    Run plan = segflow("plan", RULES);
    assertEquals(0, plan.exit(), plan.err());
    List<String> lines = plan.out().lines().toList();
    int cut = lines.indexOf("    per event:");
    assertTrue(cut > 0, plan.out());
    assertEquals(List.of(
        "      SELECT CAST(`CustomerID` AS BIGINT) AS `__entity`, `retail_transactions`.`__event_time` AS `__event_time`, "
            + "`InvoiceDate` AS `a0`, `InvoiceNo` AS `a1`, `Quantity` * `UnitPrice` AS `a2`",
        "      FROM `retail_transactions`",
        "      WHERE `CustomerID` IS NOT NULL AND `Quantity` > 0 AND `UnitPrice` > 0 AND `InvoiceDate` < DATE '2011-12-10'",
        "    kept: g0 = MAX(a0), g1 = COUNT_DISTINCT(a1), g2 = SUM(a2)",
        "    per update (@as_of read as the update's time, __now):",
        "      SELECT `__entity` AS `customer_id`, TIMESTAMPDIFF(DAY, CAST(`g0` AS DATE), CAST(`__now` AS DATE)) AS "
            + "`recency_days`, `g1` AS `frequency`, `g2` AS `monetary`",
        "      FROM PCOLLECTION"), lines.subList(cut + 1, cut + 8));
  }

  @Test
  void anEventTimeTheDefinitionDoesNotDeclareAsATimeIsRefusedAtItsLine() throws IOException {
    Run undeclared = segflow("stream", RULES, "--env", environment("InvoiceDat").toString());
    assertEquals(1, undeclared.exit());
    assertTrue(undeclared.out().contains("replay.yaml:10:17: error[SF408] sources.retail_transactions.event_time: "
        + "'InvoiceDat' is not a column of source retail_transactions; its columns that can be event times: Quantity, InvoiceDate"),
        undeclared.out());
    Run notATime = segflow("stream", RULES, "--env", environment("UnitPrice").toString());
    assertEquals(1, notATime.exit());
    assertTrue(notATime.out().contains("'UnitPrice' is declared FLOAT64; an event time is a TIMESTAMP, a DATE or an "
        + "INT64 of Unix seconds (the source's: Quantity, InvoiceDate)"), notATime.out());
    // validate finds it too, with the definition's other mistakes, before anyone streams.
    Run validated = segflow("validate", RULES, "--env", environment("InvoiceDat").toString());
    assertEquals(1, validated.exit());
    assertTrue(validated.out().contains("replay.yaml:10:17: error[SF408] sources.retail_transactions.event_time: "
        + "'InvoiceDat' is not a column of source retail_transactions"), validated.out());
  }

  @Test
  void anEnvironmentWithoutEventsOrAMethodThatFitsAModelSaysWhatToDo() {
    Run noEvents = segflow("stream", RULES, "--env", "prod", "--runner", "direct");
    assertEquals(1, noEvents.exit());
    assertTrue(noEvents.err().contains("binds no source of online_retail_rfm_rules with an event_time or to "
        + "Pub/Sub: add event_time: COLUMN"), noEvents.err());
    Run kmeans = segflow("stream", "segment-definitions/online_retail_rfm_kmeans.yaml");
    assertEquals(1, kmeans.exit());
    assertTrue(kmeans.err().contains("a subquery in FROM"), kmeans.err());
  }

  /**
   * A k-means stream assigns with the latest published run's model: refused before any run is published,
   * then a replay of a tenth of the sample's customers ends with each in the segment the batch run gave them,
   * every change naming that run.
   */
  @Test
  void aKMeansReplayAssignsEachUpdateWithTheLatestPublishedModel() throws Exception {
    Path definition = SampleFiles.STREAMED_KMEANS.toAbsolutePath();
    Path env = environment("InvoiceDate");
    SampleFiles.writeTenthOfTheRetailSample(dir.resolve("purchases.csv")); // in place of the handful of purchases

    Run unpublished = segflow("stream", definition.toString(), "--env", env.toString());
    assertEquals(1, unpublished.exit(), unpublished.err());
    assertTrue(unpublished.err().contains("a k-means stream assigns each update with the model of the latest published "
        + "run, and " + dir.resolve("out/warehouse.duckdb") + " has no published run of online_retail_rfm_kmeans_streaming: publish one "
        + "first (segflow run online_retail_rfm_kmeans_streaming --env replay)"), unpublished.err());

    Run batch = segflow("run", definition.toString(), "--env", env.toString());
    assertEquals(0, batch.exit(), batch.err() + batch.out());
    Path runFolder = Path.of(batch.out().lines().filter(l -> l.startsWith("outputs: ")).findFirst().orElseThrow()
        .substring("outputs: ".length()).replaceAll(" \\(.*$", ""));
    java.util.Map<String, String> batchSegments = SampleFiles.column(runFolder.resolve("members.csv"), "customer_id", "segment_label");
    assertTrue(batchSegments.size() > 400, "customers in the tenth: " + batchSegments.size());
    assertEquals(4, new java.util.HashSet<>(batchSegments.values()).size(), batchSegments.values().toString());

    Run stream = segflow("stream", definition.toString(), "--env", env.toString());
    assertEquals(0, stream.exit(), stream.err() + stream.out());
    Path folder = Path.of(stream.out().lines().filter(l -> l.startsWith("outputs: ")).findFirst().orElseThrow()
        .substring("outputs: ".length()).replace(" (changes.csv, rejects.csv)", ""));
    List<List<String>> changes = SampleFiles.records(folder.resolve("changes.csv"));
    List<String> header = changes.get(0);
    java.util.Map<String, List<String>> last = new java.util.HashMap<>();
    for (List<String> change : changes.subList(1, changes.size())) {
      assertEquals(runFolder.getFileName().toString(), change.get(header.indexOf("model_run_id")), change.toString());
      last.merge(change.get(0), change, (a, b) -> Long.parseLong(a.get(header.indexOf("sequence")))
          > Long.parseLong(b.get(header.indexOf("sequence"))) ? a : b);
    }
    java.util.Map<String, String> streamed = new java.util.HashMap<>();
    last.forEach((customer, change) -> streamed.put(customer, change.get(header.indexOf("to_segment"))));
    assertEquals(batchSegments, streamed);

    // The changes are in the warehouse too, and its view says where each customer is now.
    Path warehouse = dir.resolve("out/warehouse.duckdb");
    assertTrue(stream.out().contains("warehouse: " + warehouse + " (online_retail_rfm_kmeans_streaming_stream_changes, "
        + "online_retail_rfm_kmeans_streaming_stream_segments)"), stream.out());
    java.util.Map<String, String> inWarehouse = new java.util.HashMap<>();
    try (var db = java.sql.DriverManager.getConnection("jdbc:duckdb:" + warehouse);
        var sql = db.createStatement();
        var rows = sql.executeQuery("SELECT customer_id, segment_label, run_id, model_run_id, "
            + "(SELECT count(*) FROM online_retail_rfm_kmeans_streaming_stream_changes) AS changes "
            + "FROM online_retail_rfm_kmeans_streaming_stream_segments")) {
      while (rows.next()) {
        inWarehouse.put(String.valueOf(rows.getLong(1)), rows.getString(2));
        assertEquals(folder.getFileName().toString(), rows.getString(3));
        assertEquals(runFolder.getFileName().toString(), rows.getString(4));
        assertEquals(changes.size() - 1, rows.getLong(5));
      }
    }
    assertEquals(batchSegments, inWarehouse);
  }

  @Test
  void aBatchRunRefusesASourceBoundToPubSub() throws IOException {
    Path env = dir.resolve("live.yaml");
    Files.writeString(env, """
        apiVersion: segflow/v1
        name: live
        runner: direct
        sources:
          retail_transactions:
            kind: pubsub
            subscription: projects/segflow-local/subscriptions/retail-events
            format: json
            event_time: InvoiceDate
        output: {kind: files, path: out, warehouse: out/warehouse.duckdb}
        """);
    Run run = segflow("run", RULES, "--env", env.toString());
    assertEquals(1, run.exit(), run.err());
    assertTrue(run.err().contains("source retail_transactions is bound to a Pub/Sub subscription in environment live ("),
        run.err());
    assertTrue(run.err().contains("Stream it with segflow stream, or bind it to files or BigQuery in the environment "
        + "of batch runs; nothing was run"), run.err());

    // Its plan is the stream's: the binding in words, no batch stages (building them crashed before).
    Files.writeString(env, Files.readString(env).replace("event_time: InvoiceDate\n",
        "event_time: InvoiceDate\n    id_attribute: event_id\n    reevaluate: {every: 1d, for: 400d}\n"));
    Run plan = segflow("plan", RULES, "--env", env.toString());
    assertEquals(0, plan.exit(), plan.err());
    assertTrue(plan.out().contains("  retail_transactions (5 columns) <- pubsub projects/segflow-local/subscriptions/"
        + "retail-events; event time InvoiceDate; ids in attribute event_id; re-evaluated every 1d for 400d\n"), plan.out());
    assertTrue(plan.out().contains("stages: none for segflow run, which refuses the definition here: environment live "
        + "binds retail_transactions to Pub/Sub, so segflow stream runs it as below"), plan.out());
    assertTrue(plan.out().contains("  from retail_transactions: yes; per customer_id: "), plan.out());
  }

  @Test
  void aStreamIntoBigQueryWithoutCredentialsSaysSoAndAReplayIntoItIsRefused() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.segflow.pipeline.BigQueryRun.missingCredentials().isPresent(),
        "this machine has Google credentials; the stream would call BigQuery");
    Path env = liveIntoBigQuery();
    Run live = segflow("stream", RULES, "--env", env.toString());
    assertEquals(1, live.exit(), live.err());
    assertTrue(live.err().contains("segflow stream: environment live uses Google Cloud, but there are no Google credentials"),
        live.err());
    assertTrue(live.err().contains("nothing was run"), live.err());

    // A replay writes files to read its outcome back: into BigQuery it is refused, saying what to do.
    Files.writeString(dir.resolve("purchases.csv"), "InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID\n");
    Files.writeString(env, Files.readString(env).replace("""
            kind: pubsub
            subscription: projects/acme-analytics/subscriptions/retail-events
            format: json
        """, """
            kind: file
            format: csv
            path: purchases.csv
        """));
    Run replay = segflow("stream", RULES, "--env", env.toString());
    assertEquals(1, replay.exit(), replay.err());
    assertTrue(replay.err().contains("a replay writes its changes as files; live publishes into BigQuery"), replay.err());
  }

  @Test
  void aStreamOnDataflowNeedsTheEnvironmentsCloudSettingsAndCredentials() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.segflow.pipeline.BigQueryRun.missingCredentials().isPresent(),
        "this machine has Google credentials; the stream would be submitted");
    Path env = liveIntoBigQuery();
    Run noRegion = segflow("stream", RULES, "--env", env.toString(), "--runner", "dataflow");
    assertEquals(1, noRegion.exit(), noRegion.err());
    assertTrue(noRegion.err().contains("--runner dataflow needs gcp: and dataflow: settings in environment live"),
        noRegion.err());
    Files.writeString(env, Files.readString(env).replace("sources:", "dataflow: {region: europe-west1}\nsources:"));
    Run noCredentials = segflow("stream", RULES, "--env", env.toString(), "--runner", "dataflow", "--update");
    assertEquals(1, noCredentials.exit(), noCredentials.err());
    assertTrue(noCredentials.err().contains("environment live uses Google Cloud, but there are no Google credentials"),
        noCredentials.err());
  }

  /** Purchases from a subscription, changes into BigQuery, on the DirectRunner by default. */
  private Path liveIntoBigQuery() throws IOException {
    return Files.writeString(dir.resolve("live.yaml"), """
        apiVersion: segflow/v1
        name: live
        runner: direct
        gcp: {project: acme-analytics, temp_location: gs://acme-analytics-segflow/tmp}
        sources:
          retail_transactions:
            kind: pubsub
            subscription: projects/acme-analytics/subscriptions/retail-events
            format: json
            event_time: InvoiceDate
        output: {kind: bigquery, dataset: acme-analytics.marts}
        """);
  }
}
