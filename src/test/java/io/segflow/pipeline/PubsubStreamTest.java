package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segflow.bench.StreamBench;
import io.segflow.compile.CompiledDefinition;
import io.segflow.dsl.env.Environment;
import io.segflow.transforms.io.CsvRecords;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segflow stream} from Pub/Sub, on the Cloud CLI's emulator: real purchases published as JSON
 * messages (some twice, two malformed) become segment changes on the changes topic and in files; each
 * customer ends in the segment a replay of the same purchases gives at their last purchase, every
 * redelivery is dropped by its id attribute and every bad message is a reject with its message id.
 */
class PubsubStreamTest {
  @RegisterExtension static final PubsubEmulator PUBSUB = new PubsubEmulator(18586, "target/pubsub-test");
  /** A session cluster of its own (pipelines/flink/cluster.sh), on ports FlinkClusterTest's does not use. */
  @RegisterExtension static final SessionCluster CLUSTER = new SessionCluster("18082", "16124", "target/flink-stream-test");
  static final Path RULES = Path.of("segment-definitions/online_retail_rfm_rules.yaml");
  static final Set<String> CUSTOMERS = Set.of("17284.0", "12347.0", "13047.0");
  static final List<String> COLUMNS = List.of("InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID");
  static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "flink", "session cluster"})
  void purchasesPublishedToPubSubBecomeSegmentChangesOnATopicAndInFiles(String runner, @TempDir Path dir)
      throws Exception {
    // Topics of the runner's own: a subscription sees every message of its topic.
    String name = runner.replace(' ', '-');
    String events = "retail-events-" + name;
    String changesTopic = "segment-changes-" + name;
    String check = "changes-check-" + name;
    PUBSUB.topic(events, events);
    PUBSUB.topic(changesTopic, check);
    List<Map<String, String>> purchases = purchases();
    Environment live = environment(dir.resolve("live.yaml"), purchasesFrom(events) + """
            id_attribute: event_id
            # The sample's year of purchases is published in seconds, and Pub/Sub keeps no order.
            allowed_lateness: 400d
        """, "  changes_topic: projects/segflow-local/topics/" + changesTopic + "\n", dir);
    CompiledDefinition compiled = CompiledDefinition.of(Fixtures.definition(RULES, live));
    Path folder = dir.resolve("stream");
    // A Flink job started detached reports no counts while it runs; the DirectRunner's count the messages.
    boolean onDirect = runner.equals("direct");
    StreamRun run = StreamRun.of(compiled, live);
    PipelineResult stream = run.start(PubsubEndpoint.configure(
        switch (runner) {
          case "flink" -> RunOptions.flink("[local]");
          case "session cluster" -> RunOptions.flink(CLUSTER.master());
          default -> RunOptions.direct();
        }, Optional.of(PUBSUB.host())), folder);
    try {
      List<PubsubEmulator.Message> messages = new ArrayList<>();
      for (int i = 0; i < purchases.size(); i++) {
        messages.add(new PubsubEmulator.Message(JSON.writeValueAsString(purchases.get(i)), Map.of("event_id", "e" + i)));
      }
      // A publisher's retries: the same events again, with their ids.
      messages.addAll(messages.subList(0, 5));
      messages.add(new PubsubEmulator.Message("not json", Map.of("event_id", "bad1")));
      messages.add(new PubsubEmulator.Message("{\"InvoiceNo\": \"1\", \"Quantity\": \"many\", \"InvoiceDate\": "
          + "\"2011-01-01 10:00:00\", \"UnitPrice\": 1.5, \"CustomerID\": 17284.0}", Map.of("event_id", "bad2")));
      PUBSUB.publish(events, messages);

      Map<String, String> expected = segmentsAtLastPurchase(compiled, purchases, dir);
      List<JsonNode> changes = new ArrayList<>();
      long deadline = System.nanoTime() + 180_000_000_000L;
      while (System.nanoTime() < deadline && !(agrees(expected, changes)
          && (!onDirect || run.progress(stream).startsWith(counts(purchases.size(), 0))))) {
        Thread.sleep(1000);
        for (PubsubEmulator.Message m : PUBSUB.pull(check)) {
          JsonNode change = JSON.readTree(m.data());
          assertEquals(Map.of("definition", "online_retail_rfm_rules", "entity", change.get("customer_id").asText(),
              "segment", change.get("to_segment").asText()), m.attributes());
          changes.add(change);
        }
      }
      assertTrue(agrees(expected, changes), "each customer's segment after their last purchase: expected " + expected
          + ", streamed " + new TreeMap<>(StreamBench.finalSegments(changes)));
      // The five copies were dropped by their id; the two bad messages read and rejected.
      if (onDirect) {
        assertTrue(run.progress(stream).startsWith(counts(purchases.size(), 0)), run.progress(stream));
      }

      // The files get the same changes, and the rejects with their ids, a pane at a time. Checked on Direct:
      // on Flink a pane at times never came within the deadline (embedded, an earlier session; the session
      // cluster in CI on 2026-12-06), while the topic always had every change.
      if (onDirect) {
        // Then a purchase years older than its customer's latest: late, a reject, counted nowhere. Published
        // once the rest are in, since Pub/Sub keeps no order: sent first, it would be the customer's first.
        Map<String, String> late = new java.util.LinkedHashMap<>(purchases.get(purchases.size() - 1));
        late.put("InvoiceDate", "2009-01-05 08:00:00");
        PUBSUB.publish(events, List.of(new PubsubEmulator.Message(JSON.writeValueAsString(late),
            Map.of("event_id", "late1"))));
        List<String> rejects = List.of();
        Set<String> filed = Set.of();
        Set<String> published = new TreeSet<>(changes.stream().map(PubsubStreamTest::asCsv).toList());
        while (System.nanoTime() < deadline && (rejects.size() < 3 || !filed.equals(published))) {
          Thread.sleep(1000);
          rejects = records(folder.resolve("rejects"));
          filed = new TreeSet<>(records(folder.resolve("changes")));
        }
        assertEquals(published, filed);
        assertEquals(3, rejects.size(), rejects.toString());
        // What segflow stream does at each progress report: the panes so far appended to the warehouse while
        // the stream runs, its view giving each customer's latest streamed segment.
        assertEquals(Optional.of(((io.segflow.dsl.env.OutputBinding.Files) live.output()).warehouse()
            + " (online_retail_rfm_rules_stream_changes, online_retail_rfm_rules_stream_segments)"),
            run.keepChanges(folder, java.time.Instant.now()));
        assertEquals(expected, streamSegments(((io.segflow.dsl.env.OutputBinding.Files) live.output()).warehouse()));
        assertEquals(PipelineResult.State.RUNNING, stream.getState(), "appended while it runs");
        assertTrue(run.progress(stream).startsWith(counts(purchases.size(), 1)), run.progress(stream));
        assertTrue(rejects.stream().anyMatch(r -> r.startsWith("stream,retail_transactions,,,")
            && r.contains("event at 2009-01-05T08:00:00.000Z came after one at ")
            && r.endsWith(": more than the allowed lateness (400d) behind it")), rejects.toString());
        assertTrue(rejects.stream().anyMatch(r -> r.contains("message bad1: not JSON: ")), rejects.toString());
        // With an id attribute, the event's id is the message's in the reason.
        assertTrue(rejects.stream().anyMatch(r -> r.endsWith("message bad2: Quantity 'many' is not an INT64")),
            rejects.toString());
      }
    } finally {
      stream.cancel();
    }
    // Cancelling the embedded Flink job shuts its mini cluster down, which then answers no state.
    if (onDirect) {
      assertEquals(PipelineResult.State.CANCELLED, stream.getState());
    }
  }

  /**
   * A stream started from a history file: the customers' purchases before October 2011 are in the file,
   * the rest are published. Without the history, each customer's first streamed purchase would make them
   * a new customer; with it, no one is, and each ends where a replay of all their purchases puts them.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "flink"})
  void aStreamStartsFromEachCustomersHistory(String runner, @TempDir Path dir) throws Exception {
    String events = "history-events-" + runner;
    String check = "history-check-" + runner;
    PUBSUB.topic(events, events);
    PUBSUB.topic("history-changes-" + runner, check);
    List<Map<String, String>> purchases = purchases();
    List<Map<String, String>> past = purchases.stream().filter(p -> p.get("InvoiceDate").compareTo("2011-10-01") < 0)
        .toList();
    List<Map<String, String>> streamed = purchases.stream().filter(p -> !past.contains(p)).toList();
    assertEquals(CUSTOMERS, past.stream().map(p -> p.get("CustomerID")).collect(java.util.stream.Collectors.toSet()));
    assertEquals(CUSTOMERS, streamed.stream().map(p -> p.get("CustomerID")).collect(java.util.stream.Collectors.toSet()));
    writeCsv(dir.resolve("history.csv"), past);
    Environment live = environment(dir.resolve("live.yaml"), purchasesFrom(events) + """
            history:
              kind: file
              format: csv
              path: history.csv
              timestamp_format: yyyy-MM-dd HH:mm:ss
              time_zone: Europe/London
        """, "  changes_topic: projects/segflow-local/topics/history-changes-" + runner + "\n", dir);
    CompiledDefinition compiled = CompiledDefinition.of(Fixtures.definition(RULES, live));
    StreamRun run = StreamRun.of(compiled, live);
    PipelineResult stream = run
        .start(PubsubEndpoint.configure(runner.equals("flink") ? RunOptions.flink("[local]") : RunOptions.direct(),
            Optional.of(PUBSUB.host())), dir.resolve("stream"));
    try {
      List<PubsubEmulator.Message> messages = new ArrayList<>();
      for (Map<String, String> purchase : streamed) {
        messages.add(new PubsubEmulator.Message(JSON.writeValueAsString(purchase), Map.of()));
      }
      PUBSUB.publish(events, messages);
      Map<String, String> expected = segmentsAtLastPurchase(compiled, purchases, dir);
      // The DirectRunner's counts: the last purchases may be counted after the last change they make.
      String read = String.format("history and events read %,d, used %,d, rejected 0", purchases.size(), purchases.size());
      boolean onDirect = runner.equals("direct");
      List<JsonNode> changes = new ArrayList<>();
      long deadline = System.nanoTime() + 180_000_000_000L;
      while (System.nanoTime() < deadline && !(agrees(expected, changes)
          && (!onDirect || run.progress(stream).startsWith(read)))) {
        Thread.sleep(1000);
        for (PubsubEmulator.Message m : PUBSUB.pull(check)) {
          changes.add(JSON.readTree(m.data()));
        }
      }
      assertTrue(agrees(expected, changes), "each customer's segment after their last purchase: expected " + expected
          + ", streamed " + new TreeMap<>(StreamBench.finalSegments(changes)));
      assertTrue(changes.stream().noneMatch(c -> c.get("to_segment").asText().equals("new_customers")),
          "a customer with a history is not new: " + changes);
      if (onDirect) {
        assertTrue(run.progress(stream).startsWith(read), run.progress(stream));
      }
    } finally {
      stream.cancel();
    }
  }

  /**
   * A k-means stream assigns with the model of the latest run published into the environment's warehouse,
   * and follows a new one: after a second run is published, a new customer's first change names it.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "flink"})
  void aKMeansStreamAssignsWithTheLatestPublishedModelAndFollowsANewOne(String runner, @TempDir Path dir)
      throws Exception {
    String events = "kmeans-events-" + runner;
    String check = "kmeans-check-" + runner;
    PUBSUB.topic(events, events);
    PUBSUB.topic("kmeans-changes-" + runner, check);
    SampleFiles.writeTenthOfTheRetailSample(dir.resolve("purchases.csv"));
    Environment batch = environment(dir.resolve("batch.yaml"), """
        retail_transactions:
            kind: file
            format: csv
            path: purchases.csv
            timestamp_format: yyyy-MM-dd HH:mm:ss
            time_zone: Europe/London
        """, "", dir);
    Environment live = environment(dir.resolve("live.yaml"), purchasesFrom(events),
        "  changes_topic: projects/segflow-local/topics/kmeans-changes-" + runner + "\n", dir);
    publish(batch, "model-a");
    CompiledDefinition compiled = CompiledDefinition.of(Fixtures.definition(SampleFiles.STREAMED_KMEANS, live));
    StreamRun run = StreamRun.of(compiled, live).withModelPoll(java.time.Duration.ofSeconds(1));
    PipelineResult stream = run.start(PubsubEndpoint.configure(
        runner.equals("flink") ? RunOptions.flink("[local]") : RunOptions.direct(), Optional.of(PUBSUB.host())),
        dir.resolve("stream"));
    try {
      List<PubsubEmulator.Message> messages = new ArrayList<>();
      for (Map<String, String> purchase : purchases()) {
        messages.add(new PubsubEmulator.Message(JSON.writeValueAsString(purchase), Map.of()));
      }
      PUBSUB.publish(events, messages);
      Set<String> labels = new java.util.HashSet<>(SampleFiles.column(dir.resolve("out/online_retail_rfm_kmeans_streaming/model-a/members.csv"),
          "customer_id", "segment_label").values());
      List<JsonNode> changes = changesUntil(check, c -> StreamBench.finalSegments(c).size() == CUSTOMERS.size());
      assertEquals(CUSTOMERS.size(), StreamBench.finalSegments(changes).size(), changes.toString());
      for (JsonNode change : changes) {
        assertEquals("model-a", change.get("model_run_id").asText(), change.toString());
        assertTrue(labels.contains(change.get("to_segment").asText()), change + " in " + labels);
      }

      publish(batch, "model-b");
      // New customers, one a second, until a change names the new run: the stream polls every second.
      List<JsonNode> after = new ArrayList<>();
      long deadline = System.nanoTime() + 120_000_000_000L;
      for (int customer = 90001; System.nanoTime() < deadline
          && after.stream().noneMatch(c -> c.get("model_run_id").asText().equals("model-b")); customer++) {
        Map<String, String> purchase = new java.util.LinkedHashMap<>(purchases().get(0));
        purchase.put("CustomerID", customer + ".0");
        PUBSUB.publish(events, List.of(new PubsubEmulator.Message(JSON.writeValueAsString(purchase), Map.of())));
        Thread.sleep(1000);
        for (PubsubEmulator.Message m : PUBSUB.pull(check)) {
          after.add(JSON.readTree(m.data()));
        }
      }
      assertTrue(after.stream().anyMatch(c -> c.get("model_run_id").asText().equals("model-b")),
          "no change named the newly published run: " + after);
    } finally {
      stream.cancel();
    }
  }

  /** Runs the definition in {@code env} and publishes the run into its warehouse as {@code runId}. */
  private static void publish(Environment env, String runId) throws Exception {
    SegflowRun run = SegflowRun.prepare(new SegflowRun.Request(CompiledDefinition.of(
        Fixtures.definition(SampleFiles.STREAMED_KMEANS, env)), env, io.segflow.dsl.env.Runner.DIRECT,
        Optional.of(runId), "[local]"), step -> {});
    run.finish(run.launch());
  }

  /** The changes pulled from {@code subscription} until {@code done} holds of them all, or three minutes pass. */
  private static List<JsonNode> changesUntil(String subscription, java.util.function.Predicate<List<JsonNode>> done)
      throws Exception {
    List<JsonNode> changes = new ArrayList<>();
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (System.nanoTime() < deadline && !done.test(changes)) {
      Thread.sleep(1000);
      for (PubsubEmulator.Message m : PUBSUB.pull(subscription)) {
        changes.add(JSON.readTree(m.data()));
      }
    }
    return changes;
  }

  /**
   * A stream whose output is BigQuery (Beam's fakes of its services): each change is appended to
   * {@code <name>_stream_changes} with the stream as its run, and each reject to {@code <name>_rejects},
   * created with the catalogue's schema; each customer's change with the highest sequence is where they end.
   */
  @org.junit.jupiter.api.Test
  void aStreamAppendsItsChangesAndRejectsToBigQuery(@TempDir Path dir) throws Exception {
    org.apache.beam.sdk.io.gcp.testing.FakeDatasetService.setUp();
    org.apache.beam.sdk.io.gcp.testing.FakeJobService.setUp();
    var datasets = new org.apache.beam.sdk.io.gcp.testing.FakeDatasetService();
    datasets.createDataset("segflow-local", "marts", "EU", "", null);
    var services = new org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices().withDatasetService(datasets)
        .withJobService(new org.apache.beam.sdk.io.gcp.testing.FakeJobService());
    // Two published runs: customer 17284's first streamed change starts from their segment in the latest.
    var members = new com.google.api.services.bigquery.model.TableReference().setProjectId("segflow-local")
        .setDatasetId("marts").setTableId("online_retail_rfm_rules_members");
    datasets.createTable(new com.google.api.services.bigquery.model.Table().setTableReference(members).setSchema(
        new com.google.api.services.bigquery.model.TableSchema().setFields(List.of(
            new com.google.api.services.bigquery.model.TableFieldSchema().setName("customer_id").setType("INTEGER"),
            new com.google.api.services.bigquery.model.TableFieldSchema().setName("segment_label").setType("STRING"),
            new com.google.api.services.bigquery.model.TableFieldSchema().setName("run_time").setType("TIMESTAMP")))));
    datasets.insertAll(members, List.of(member(17284, "at_risk", "2011-11-01T05:00:00Z"),
        member(13047, "at_risk", "2011-11-01T05:00:00Z"), member(17284, "published_last_week", "2011-12-01T05:00:00Z"),
        member(99999, "loyal", "2011-12-01T05:00:00Z")), null);
    Environment live = intoBigQuery(dir, "warehouse-events", "segflow-local.marts");
    CompiledDefinition compiled = CompiledDefinition.of(Fixtures.definition(RULES, live));
    StreamRun run = StreamRun.of(compiled, live).withBigQueryServices(services);
    assertEquals("segflow-local.marts.online_retail_rfm_rules_stream_changes, segflow-local.marts.online_retail_rfm_rules_rejects, "
        + "and the view segflow-local.marts.online_retail_rfm_rules_stream_segments", run.outputs(dir));
    org.apache.beam.sdk.options.PipelineOptions options = PubsubEndpoint.configure(RunOptions.direct(),
        Optional.of(PUBSUB.host()));
    options.setJobName("segflow-online-retail-rfm-rules-stream-t1");
    // The project the export of the published members runs in, and where it goes (the fakes write it locally),
    // as segflow stream takes them from the environment's gcp: settings.
    options.as(org.apache.beam.sdk.extensions.gcp.options.GcpOptions.class).setProject("segflow-local");
    options.setTempLocation(dir.resolve("bigquery-temp").toString());
    PipelineResult stream = run.start(options, dir.resolve("unused"));
    try {
      List<Map<String, String>> purchases = purchases();
      List<PubsubEmulator.Message> messages = new ArrayList<>();
      for (Map<String, String> purchase : purchases) {
        messages.add(new PubsubEmulator.Message(JSON.writeValueAsString(purchase), Map.of()));
      }
      messages.add(new PubsubEmulator.Message("not json", Map.of()));
      PUBSUB.publish("warehouse-events", messages);
      Map<String, String> expected = segmentsAtLastPurchase(compiled, purchases, dir);
      List<JsonNode> changes = List.of();
      List<JsonNode> rejects = List.of();
      long deadline = System.nanoTime() + 180_000_000_000L;
      while (System.nanoTime() < deadline && !(agrees(expected, changes) && rejects.size() == 1)) {
        Thread.sleep(1000);
        changes = rows(datasets, "online_retail_rfm_rules_stream_changes");
        rejects = rows(datasets, "online_retail_rfm_rules_rejects");
      }
      assertTrue(agrees(expected, changes), "expected " + expected + ", in BigQuery " + changes);
      assertTrue(changes.stream().allMatch(c -> c.get("run_id").asText().equals("segflow-online-retail-rfm-rules-stream-t1")),
          changes.toString());
      assertEquals(1, rejects.size(), rejects.toString());
      assertTrue(rejects.get(0).get("reason").asText().contains("not JSON"), rejects.toString());
      assertEquals("published_last_week", firstChange(changes, "17284").path("from_segment").asText(),
          "from the latest published run, not the one before: " + changes);
      assertTrue(firstChange(changes, "13047").path("from_segment").isNull()
          || firstChange(changes, "13047").path("from_segment").isMissingNode(),
          "13047 is not in the latest published run: " + changes);
      var table = datasets.getTable(new com.google.api.services.bigquery.model.TableReference()
          .setProjectId("segflow-local").setDatasetId("marts").setTableId("online_retail_rfm_rules_stream_changes"));
      assertEquals(List.of("customer_id", "from_segment", "to_segment", "event_time", "sequence", "model_run_id",
          "run_id", "run_time"), table.getSchema().getFields().stream().map(f -> f.getName()).toList());
      assertEquals(List.of("customer_id"), table.getClustering().getFields());
      var view = datasets.getTable(new com.google.api.services.bigquery.model.TableReference()
          .setProjectId("segflow-local").setDatasetId("marts").setTableId("online_retail_rfm_rules_stream_segments"));
      assertEquals("""
          SELECT `customer_id`, to_segment AS segment_label, event_time, sequence, model_run_id, run_id, run_time
          FROM `segflow-local.marts.online_retail_rfm_rules_stream_changes`
          WHERE TRUE
          QUALIFY ROW_NUMBER() OVER (PARTITION BY `customer_id` ORDER BY run_time DESC, sequence DESC) = 1""",
          view.getView().getQuery());
    } finally {
      stream.cancel();
    }
  }

  @org.junit.jupiter.api.Test
  void aStreamIntoADatasetThatDoesNotExistIsRefusedBeforeItStarts(@TempDir Path dir) throws Exception {
    org.apache.beam.sdk.io.gcp.testing.FakeDatasetService.setUp();
    var services = new org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices()
        .withDatasetService(new org.apache.beam.sdk.io.gcp.testing.FakeDatasetService());
    Environment live = intoBigQuery(dir, "nowhere-events", "segflow-local.absent");
    CompiledDefinition compiled = CompiledDefinition.of(Fixtures.definition(RULES, live));
    StreamRun.Refused refused = assertThrows(StreamRun.Refused.class, () -> StreamRun.of(compiled, live)
        .withBigQueryServices(services)
        .start(PubsubEndpoint.configure(RunOptions.direct(), Optional.of(PUBSUB.host())), dir.resolve("unused")));
    // Beam's fake answers a lookup of a missing dataset with an IOException of its own, not a 404.
    assertTrue(refused.getMessage().startsWith("cannot look up BigQuery dataset segflow-local.absent, where the stream "
        + "writes: Tried to get a dataset segflow-local:absent"), refused.getMessage());
    assertFalse(Files.exists(dir.resolve("unused")));
  }

  /** The purchases from a topic of their own, into {@code dataset}. */
  private static Environment intoBigQuery(Path dir, String topic, String dataset) throws Exception {
    PUBSUB.topic(topic, topic);
    Path file = dir.resolve("live.yaml");
    Files.writeString(file, "apiVersion: segflow/v1\nname: live\nrunner: direct\n"
        + "gcp: {project: segflow-local, temp_location: gs://segflow-local/tmp}\nsources:\n  "
        + purchasesFrom(topic).replace("\n", "\n  ").stripTrailing()
        + "\noutput:\n  kind: bigquery\n  dataset: " + dataset + "\n");
    return Fixtures.environment(file);
  }

  /** A row of a published members table, as Beam's fakes keep it (a TIMESTAMP in microseconds). */
  private static com.google.api.services.bigquery.model.TableRow member(long customer, String label, String runTime) {
    return new com.google.api.services.bigquery.model.TableRow().set("customer_id", customer)
        .set("segment_label", label).set("run_time", java.time.Instant.parse(runTime).toEpochMilli() * 1000);
  }

  /** The customer's change with sequence 1. */
  private static JsonNode firstChange(List<JsonNode> changes, String customer) {
    return changes.stream().filter(c -> c.get("customer_id").asText().equals(customer) && c.get("sequence").asLong() == 1)
        .findFirst().orElseThrow(() -> new AssertionError("no first change of " + customer + " in " + changes));
  }

  /** A fake BigQuery table's rows as JSON, the shape the topic's changes have. */
  private static List<JsonNode> rows(org.apache.beam.sdk.io.gcp.testing.FakeDatasetService datasets, String table)
      throws Exception {
    try {
      List<JsonNode> out = new ArrayList<>();
      for (var row : datasets.getAllRows("segflow-local", "marts", table)) {
        out.add(JSON.valueToTree(row));
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return List.of(); // not created yet
    }
  }

  @org.junit.jupiter.api.Test
  void aSubscriptionOrTopicThatDoesNotExistIsRefusedAtItsLineBeforeTheStreamStarts(@TempDir Path dir)
      throws Exception {
    Environment live = environment(dir.resolve("live.yaml"), """
        retail_transactions:
            kind: pubsub
            subscription: projects/segflow-local/subscriptions/absent
            format: json
            event_time: InvoiceDate
        """, "  changes_topic: projects/segflow-local/topics/no-such-topic\n", dir);
    CompiledDefinition compiled = CompiledDefinition.of(Fixtures.definition(RULES, live));
    StreamRun.Refused refused = assertThrows(StreamRun.Refused.class, () -> StreamRun.of(compiled, live)
        .start(PubsubEndpoint.configure(RunOptions.direct(), Optional.of(PUBSUB.host())), dir.resolve("stream")));
    List<String> rendered = refused.diagnostics().stream().map(io.segflow.dsl.diag.Diagnostic::render).toList();
    assertEquals(2, rendered.size(), refused.getMessage() + rendered);
    assertTrue(rendered.get(0).startsWith(dir.resolve("live.yaml") + ":7:"), rendered.get(0));
    assertTrue(rendered.get(0).contains("SF409") && rendered.get(0).contains("sources.retail_transactions.subscription")
        && rendered.get(0).contains("subscription projects/segflow-local/subscriptions/absent does not exist"),
        rendered.get(0));
    assertTrue(rendered.get(1).startsWith(dir.resolve("live.yaml") + ":13:") && rendered.get(1).contains("output.changes_topic")
        && rendered.get(1).contains("topic projects/segflow-local/topics/no-such-topic does not exist"), rendered.get(1));
    assertFalse(Files.exists(dir.resolve("stream")), "nothing is written by a stream that did not start");
  }

  /**
   * Whether each customer's streamed segment is the expected one: the segment of their last change by its
   * sequence. Pub/Sub delivers in no order, so purchases that arrive after a later one update the customer
   * at their latest time, and several changes can share that time: only the sequence orders them.
   */
  private static boolean agrees(Map<String, String> expected, List<JsonNode> changes) {
    return StreamBench.finalSegments(changes).equals(expected);
  }

  /** The DirectRunner's counts after the purchases, their five copies, the two bad messages and {@code late}. */
  private static String counts(int purchases, int late) {
    return String.format("events read %,d, used %,d, rejected %,d", purchases + 2 + late, purchases + late, 2);
  }

  /**
   * What a replay of the same purchases from a file gives each customer at their last purchase: the
   * stream's updates are at the customer's latest purchase, and it has no end to evaluate them at.
   */
  private static Map<String, String> segmentsAtLastPurchase(CompiledDefinition compiled,
      List<Map<String, String>> purchases, Path dir) throws Exception {
    writeCsv(dir.resolve("purchases.csv"), purchases);
    Environment replay = environment(dir.resolve("replay.yaml"), """
        retail_transactions:
            kind: file
            format: csv
            path: purchases.csv
            event_time: InvoiceDate
            timestamp_format: yyyy-MM-dd HH:mm:ss
            time_zone: Europe/London
        """, "", dir);
    Path folder = dir.resolve("replay");
    StreamRun.of(compiled, replay).replay(RunOptions.direct(), folder);
    Map<String, String> lastPurchase = new TreeMap<>();
    for (Map<String, String> p : purchases) {
      String at = java.time.LocalDateTime.parse(p.get("InvoiceDate").replace(' ', 'T'))
          .atZone(java.time.ZoneId.of("Europe/London")).toInstant().toString();
      lastPurchase.merge(String.valueOf((long) Double.parseDouble(p.get("CustomerID"))), at,
          (a, b) -> java.time.Instant.parse(a).isAfter(java.time.Instant.parse(b)) ? a : b);
    }
    Map<String, String> segments = new TreeMap<>();
    Map<String, Long> sequence = new TreeMap<>();
    for (String line : records(folder.resolve("changes.csv"))) {
      String[] f = line.split(",", -1);
      long number = Long.parseLong(f[4]);
      if (!java.time.Instant.parse(f[3]).isAfter(java.time.Instant.parse(lastPurchase.get(f[0])))
          && sequence.getOrDefault(f[0], 0L) < number) {
        segments.put(f[0], f[2]);
        sequence.put(f[0], number);
      }
    }
    assertEquals(lastPurchase.keySet(), segments.keySet());
    return segments;
  }

  /** The purchases' binding to a subscription: JSON messages, their time the sample's InvoiceDate. */
  private static String purchasesFrom(String subscription) {
    return """
        retail_transactions:
            kind: pubsub
            subscription: projects/segflow-local/subscriptions/%s
            format: json
            event_time: InvoiceDate
            timestamp_format: yyyy-MM-dd HH:mm:ss
            time_zone: Europe/London
        """.formatted(subscription);
  }

  private static void writeCsv(Path csv, List<Map<String, String>> purchases) throws IOException {
    List<String> lines = new ArrayList<>(List.of(String.join(",", COLUMNS)));
    purchases.forEach(p -> lines.add(String.join(",", COLUMNS.stream().map(p::get).toList())));
    Files.write(csv, lines);
  }

  private static String asCsv(JsonNode change) {
    return String.join(",", change.get("customer_id").asText(), change.get("from_segment").asText(""),
        change.get("to_segment").asText(), change.get("event_time").asText(), change.get("sequence").asText(), "");
  }

  /** The records of a CSV file, or of every CSV file in a folder, without their headers. */
  static List<String> records(Path path) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.exists(path)) {
      return out;
    }
    List<Path> files;
    try (Stream<Path> listed = Files.isDirectory(path) ? Files.list(path) : Stream.of(path)) {
      files = listed.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
    }
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file);
      out.addAll(lines.subList(Math.min(1, lines.size()), lines.size()));
    }
    return out;
  }

  private static Environment environment(Path file, String sources, String changesTopic, Path dir) throws IOException {
    Files.writeString(file, "apiVersion: segflow/v1\nname: live\nrunner: direct\nsources:\n  "
        + sources.replace("\n", "\n  ").stripTrailing() + "\noutput:\n  kind: files\n  path: " + dir.resolve("out")
        + "\n" + changesTopic);
    return Fixtures.environment(file);
  }

  /** Each customer's segment in the warehouse's view of the streamed segments. */
  private static Map<String, String> streamSegments(Path warehouse) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (java.sql.Connection db = DuckDbFile.open(warehouse, DuckDbFile.Access.READ_ONLY);
        java.sql.Statement sql = db.createStatement();
        java.sql.ResultSet rows = sql.executeQuery("SELECT CAST(customer_id AS VARCHAR), segment_label FROM "
            + "online_retail_rfm_rules_stream_segments")) {
      while (rows.next()) {
        out.put(rows.getString(1), rows.getString(2));
      }
    }
    return out;
  }

  /** The sample's purchase lines of a few customers, in the file's order, as the definition declares them. */
  private static List<Map<String, String>> purchases() throws IOException {
    List<Map<String, String>> out = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
        Files.newInputStream(Path.of("segment-definitions/data/online_retail.csv.gz"))), StandardCharsets.UTF_8))) {
      CsvRecords records = new CsvRecords(in, ',');
      List<String> header = records.next().fields();
      for (CsvRecords.Record r = records.next(); r != null; r = records.next()) {
        if (CUSTOMERS.contains(r.fields().get(header.indexOf("CustomerID")))) {
          Map<String, String> purchase = new java.util.LinkedHashMap<>();
          for (String c : COLUMNS) {
            purchase.put(c, r.fields().get(header.indexOf(c)));
          }
          out.add(purchase);
        }
      }
    }
    return out;
  }
}
