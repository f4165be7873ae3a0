package io.segflow.pipeline;

import io.segflow.compile.CompiledDefinition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.JobStatistics;
import com.google.api.services.bigquery.model.JobStatistics2;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableSchema;
import io.segflow.compile.DefinitionValidator;
import io.segflow.dsl.diag.Severity;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.EnvironmentResolver;
import io.segflow.dsl.load.DefinitionFiles;
import io.segflow.template.FlexTemplateLauncher;
import io.segflow.dsl.env.SourceBinding;
import io.segflow.dsl.model.SegmentDefinition;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped definitions against the shipped {@code prod} environment, translated by the real
 * DataflowRunner into a job file (as for a template) without a cloud account: the runner accepts every
 * transform and coder, the environment's settings reach the job, the sources are read as bound and every
 * output table is loaded into its staging table. Beam's BigQuery doubles answer the size estimates the
 * translation asks for.
 */
class DataflowJobTest {
  private static final Path PROD = Path.of("pipelines/environments/prod.yaml");
  private static final ObjectMapper JSON = new ObjectMapper();

  private FakeBigQueryServices services;

  @BeforeEach
  void seed() throws Exception {
    FakeDatasetService.setUp();
    FakeJobService.setUp();
    FakeDatasetService datasets = new FakeDatasetService();
    FakeJobService jobs = new FakeJobService();
    services = new FakeBigQueryServices().withDatasetService(datasets).withJobService(jobs);
    datasets.createDataset("acme-analytics", "sales", "EU", "", null);
    datasets.createTable(new Table().setNumBytes(40L << 20).setSchema(new TableSchema()).setTableReference(
        new TableReference().setProjectId("acme-analytics").setDatasetId("sales").setTableId("online_retail_transactions")));
    Environment env = Fixtures.environment(PROD);
    String cdnowQuery = ((SourceBinding.BigQuery) env.sources().get("cdnow_purchases")).query().orElseThrow();
    jobs.expectDryRunQuery("acme-analytics", cdnowQuery,
        new JobStatistics().setQuery(new JobStatistics2().setTotalBytesProcessed(3L << 20)));
  }

  @Test
  void onlineRetailReadsTheTableWithTheStorageReadApiAndLoadsEveryOutputTable(@TempDir Path temp) throws Exception {
    JsonNode job = translate("online_retail_rfm_kmeans", temp);

    JsonNode options = job.at("/environment/sdkPipelineOptions/options");
    assertEquals("segflow-online-retail-rfm-kmeans-r1", options.get("jobName").asText());
    assertEquals("acme-analytics", options.get("project").asText());
    assertEquals("europe-west1", options.get("region").asText());
    assertEquals("gs://acme-analytics-segflow/tmp", job.at("/environment/tempStoragePrefix").asText());
    assertEquals("segflow-runner@acme-analytics.iam.gserviceaccount.com",
        job.at("/environment/serviceAccountEmail").asText());
    JsonNode workers = job.at("/environment/workerPools/0");
    assertEquals("n2-standard-4", workers.get("machineType").asText());
    assertEquals(20, workers.at("/autoscalingSettings/maxNumWorkers").asInt());
    assertEquals(Map.of("segflow-definition", "online_retail_rfm_kmeans", "segflow-run", "r1"),
        JSON.convertValue(options.get("labels"), Map.class));

    JsonNode read = step(job, "Read[retail_transactions]/Read/Read(BigQueryStorageTableSource)");
    assertEquals("ParallelRead", read.get("kind").asText());
    assertEquals("acme-analytics:sales.online_retail_transactions", displayed(read, "table"));
    assertEquals("InvoiceNo, Quantity, InvoiceDate, UnitPrice, CustomerID", displayed(read, "selectedFields"));
    // Beam does not display the row filter: it must be in the source the job ships to the workers.
    assertTrue(shippedSource(read).contains("InvoiceDate >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 730 DAY)"));

    Map<String, String> loads = loadedTables(stagedPipeline(job));
    assertEquals(Map.of(
        "members", "acme-analytics:segments.online_retail_rfm_kmeans_members__staging_r1",
        "segments", "acme-analytics:segments.online_retail_rfm_kmeans_segments__staging_r1",
        "model", "acme-analytics:segments.online_retail_rfm_kmeans_model__staging_r1",
        "rejects", "acme-analytics:segments.online_retail_rfm_kmeans_rejects__staging_r1"), loads);
  }

  @Test
  void cdnowRunsItsBoundQuery(@TempDir Path temp) throws Exception {
    JsonNode job = translate("cdnow_rfm_kmeans", temp);

    RunnerApi.Pipeline staged = stagedPipeline(job);
    String query = displayData(staged, "Read[cdnow_purchases]/Read").get("query");
    assertTrue(query != null && query.contains("FROM `acme-analytics.legacy.cdnow_purchases`"), String.valueOf(query));
    assertEquals(List.of("members", "model", "rejects", "segments"), List.copyOf(new TreeMap<>(loadedTables(staged)).keySet()));
  }

  @Test
  void jobNamesAreInDataflowsAlphabet() {
    assertEquals("segflow-online-retail-rfm-kmeans-20261203t071200z",
        RunOptions.jobName("online_retail_rfm_kmeans", "20261203T071200Z"));
    assertEquals("segflow-cdnow-rfm-kmeans-retry-2", RunOptions.jobName("cdnow_rfm_kmeans", "retry.2."));
  }

  @Test
  void aFlexTemplateLaunchKeepsWhatItNamesAndTakesTheRestFromTheEnvironment(@TempDir Path temp) throws Exception {
    // As the Dataflow service starts the launcher: the template's parameters and the launch's own options.
    FlexTemplateLauncher.Launch launch = FlexTemplateLauncher.Launch.parse(
        "--definition=segment-definitions/cdnow_rfm_kmeans.yaml", "--environment=prod", "--runId=r7",
        "--parameterValues=as_of=1998-06-01", "--jobName=segflow-cdnow-rfm-kmeans-scheduled",
        "--labels={\"team\":\"crm\"}", "--maxNumWorkers=5");
    DefinitionValidator.Report report = new DefinitionValidator(launch.parameterValues()).validate(List.of(
        new DefinitionFiles.Target(Path.of(launch.options().getDefinition()), launch.options().getDefinition())),
        launch.options().getEnvironment(), EnvironmentResolver.fromProcess());
    assertEquals(List.of(), report.diagnostics().sorted().stream().filter(d -> d.severity() == Severity.ERROR).toList());
    CompiledDefinition compiled = report.valid().get(0);
    assertEquals("1998-06-01", String.valueOf(compiled.parameters().get("as_of")));
    Environment env = report.environment().orElseThrow();
    DataflowPipelineOptions options = RunOptions.dataflow(env, "cdnow_rfm_kmeans", "r7",
        launch.launched().options(), launch.launched().explicit()).as(DataflowPipelineOptions.class);

    JsonNode job = translate(compiled, env, options, temp);

    JsonNode given = job.at("/environment/sdkPipelineOptions/options");
    assertEquals("segflow-cdnow-rfm-kmeans-scheduled", given.get("jobName").asText(), "the launch's name is kept");
    assertEquals(Map.of("team", "crm", "segflow-definition", "cdnow_rfm_kmeans", "segflow-run", "r7"),
        JSON.convertValue(given.get("labels"), Map.class));
    assertEquals(5, job.at("/environment/workerPools/0/autoscalingSettings/maxNumWorkers").asInt(), "the launch's");
    assertEquals("acme-analytics", given.get("project").asText(), "the environment's");
    assertEquals("europe-west1", given.get("region").asText());
    assertEquals("n2-standard-4", job.at("/environment/workerPools/0/machineType").asText());
    assertEquals(List.of("members", "model", "rejects", "segments"),
        List.copyOf(new TreeMap<>(loadedTables(stagedPipeline(job))).keySet()));
  }

  /** Every shipped definition launches from the template on prod, reading each of its sources from BigQuery. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"online_retail_rfm_kmeans", "online_retail_rfm_rules",
      "online_retail_rfm_scores", "online_retail_rfm_tree", "online_retail_rfm_density", "cdnow_rfm_kmeans",
      "complete_journey_households", "taobao_shoppers", "taobao_shoppers_rules", "online_retail_rfm_kmeans_streaming"})
  void everyShippedDefinitionLaunchesFromTheTemplate(String name, @TempDir Path temp) throws Exception {
    FlexTemplateLauncher.Launch launch = FlexTemplateLauncher.Launch.parse(
        "--definition=segment-definitions/" + name + ".yaml", "--runId=r9");
    DefinitionValidator.Report report = new DefinitionValidator(launch.parameterValues()).validate(List.of(
        new DefinitionFiles.Target(Path.of(launch.options().getDefinition()), launch.options().getDefinition())),
        launch.options().getEnvironment(), EnvironmentResolver.fromProcess());
    assertEquals("prod", report.environment().orElseThrow().name(), "the template's default environment");
    CompiledDefinition compiled = report.valid().get(0);
    Environment env = report.environment().orElseThrow();
    JsonNode job = translate(compiled, env, RunOptions.dataflow(env, name, "r9", launch.launched().options(),
        launch.launched().explicit()).as(DataflowPipelineOptions.class), temp);

    assertEquals(RunOptions.jobName(name, "r9"), job.at("/environment/sdkPipelineOptions/options/jobName").asText());
    RunnerApi.Pipeline staged = stagedPipeline(job);
    for (String source : compiled.definition().sources().keySet()) {
      assertTrue(staged.getComponents().getTransformsMap().values().stream()
          .anyMatch(t -> t.getUniqueName().startsWith("Read[" + source + "]/")), name + " reads " + source);
    }
    for (String table : List.of("members", "segments", "rejects")) { // and model.json's table where the method has one
      assertTrue(staged.getComponents().getTransformsMap().values().stream()
          .anyMatch(t -> t.getUniqueName().equals("BigQuery[" + table + "]/Load")), name + " loads " + table);
    }
  }

  @Test
  void aStreamTranslatesToAStreamingJobReadingItsSubscriptionAndWritingItsChangesToATopicAndBigQuery(@TempDir Path temp)
      throws Exception {
    Path file = temp.resolve("live.yaml");
    Files.writeString(file, """
        apiVersion: segflow/v1
        name: live
        runner: dataflow
        gcp: {project: acme-analytics, temp_location: gs://acme-analytics-segflow/tmp}
        dataflow: {region: europe-west1}
        sources:
          retail_transactions:
            kind: pubsub
            subscription: projects/acme-analytics/subscriptions/retail-events
            format: json
            timestamp_attribute: ordered_at
            id_attribute: event_id
        output:
          kind: bigquery
          dataset: acme-analytics.marts
          changes_topic: projects/acme-analytics/topics/segment-changes
        """);
    Environment live = Fixtures.environment(file);
    CompiledDefinition compiled = CompiledDefinition.of(Fixtures.definition(
        Path.of("segment-definitions/online_retail_rfm_rules.yaml"), live));
    DataflowPipelineOptions options = RunOptions.dataflow(live, "online_retail_rfm_rules", "s1")
        .as(DataflowPipelineOptions.class);
    options.setStreaming(true);
    JsonNode job = translateStream(compiled, live, "marts", options, temp);

    assertEquals("JOB_TYPE_STREAMING", job.get("type").asText());
    JsonNode read = StreamSupport.stream(job.get("steps").spliterator(), false)
        .filter(s -> s.at("/properties/pubsub_subscription").isObject() || s.at("/properties/pubsub_subscription").isTextual())
        .findFirst().orElseThrow(() -> new AssertionError("no Pub/Sub read in " + job.get("steps")));
    // Dataflow's own spelling of projects/acme-analytics/subscriptions/retail-events.
    assertEquals("/subscriptions/acme-analytics/retail-events", property(read, "pubsub_subscription"));
    assertEquals("event_id", property(read, "pubsub_id_label"));
    assertEquals("ordered_at", property(read, "pubsub_timestamp_label"));
    JsonNode write = StreamSupport.stream(job.get("steps").spliterator(), false)
        .filter(s -> !s.at("/properties/pubsub_topic").isMissingNode())
        .findFirst().orElseThrow(() -> new AssertionError("no Pub/Sub write in " + job.get("steps")));
    assertEquals("/topics/acme-analytics/segment-changes", property(write, "pubsub_topic"));
    assertTrue(write.at("/properties/user_name/value").asText().startsWith("PublishChanges"), write.toString());
    // The published run's members are read once, by export, for each customer's segment to start from.
    assertTrue(StreamSupport.stream(job.get("steps").spliterator(), false).anyMatch(s -> s.at("/properties/user_name/value")
        .asText().startsWith("PublishedMembers")), "no read of the published members in " + job.get("steps"));
    // The changes and rejects are appended to BigQuery as they are made (the Storage Write API).
    for (String table : List.of("stream_changes", "rejects")) {
      assertTrue(StreamSupport.stream(job.get("steps").spliterator(), false).anyMatch(s -> s.at("/properties/user_name/value")
          .asText().startsWith("BigQuery[" + table + "]/Append/")), "no append to " + table + " in " + job.get("steps"));
    }
  }

  /**
   * A Flex Template launch of a definition whose environment binds its events to Pub/Sub is a streaming
   * job under one name per definition, which a later launch with --update replaces; a stream writing files
   * is refused on Dataflow before anything is looked up.
   */
  @Test
  void aStreamLaunchedFromTheTemplateIsAStreamingJobThatALaterLaunchCanUpdate(@TempDir Path temp) throws Exception {
    // The shipped example: events from a subscription, the history from BigQuery, changes into BigQuery.
    Path file = Path.of("pipelines/environments/prod-stream.yaml");
    Environment live = Fixtures.environment(file);
    CompiledDefinition compiled = CompiledDefinition.of(Fixtures.definition(
        Path.of("segment-definitions/online_retail_rfm_rules.yaml"), live));
    assertEquals(Optional.of("retail_transactions"), StreamRun.pubsubSource(compiled.definition(), live));
    FlexTemplateLauncher.Launch launch = FlexTemplateLauncher.Launch.parse(
        "--definition=segment-definitions/online_retail_rfm_rules.yaml", "--environment=" + file, "--update=true");
    DataflowPipelineOptions options = FlexTemplateLauncher.streamOptions(launch, "online_retail_rfm_rules", live);
    JsonNode job = translateStream(compiled, live, "segments", options, temp);

    assertEquals("JOB_TYPE_STREAMING", job.get("type").asText());
    JsonNode given = job.at("/environment/sdkPipelineOptions/options");
    assertEquals("segflow-online-retail-rfm-rules-stream", given.get("jobName").asText());
    assertTrue(given.get("update").asBoolean(), "the launch's --update is kept: " + given);
    assertEquals("stream", given.at("/labels/segflow-run").asText());
    assertEquals("acme-analytics", given.get("project").asText());
    assertTrue(StreamSupport.stream(job.get("steps").spliterator(), false).anyMatch(st -> st.at(
        "/properties/user_name/value").asText().startsWith("HistoryRead[retail_transactions]")), "the history is read");

    // The same stream into files: Dataflow's workers would keep them, so it is refused before it starts.
    Path files = Files.writeString(temp.resolve("prod-stream.yaml"), Files.readString(file).replace(
        "  kind: bigquery\n  dataset: acme-analytics.segments\n  location: EU\n", "  kind: files\n  path: out\n"));
    Environment intoFiles = Fixtures.environment(files);
    StreamRun.Refused refused = org.junit.jupiter.api.Assertions.assertThrows(StreamRun.Refused.class,
        () -> StreamRun.of(compiled, intoFiles).start(FlexTemplateLauncher.streamOptions(launch,
            "online_retail_rfm_rules", intoFiles), temp.resolve("files")));
    assertTrue(refused.getMessage().startsWith("a stream on Dataflow writes its changes into BigQuery"),
        refused.getMessage());
  }

  /**
   * The Dataflow job file of the stream, translated offline; its output dataset (in acme-analytics) is a
   * fake's, since the stream's BigQuery appends are built against the services they will call.
   */
  private static JsonNode translateStream(CompiledDefinition compiled, Environment env, String dataset,
      DataflowPipelineOptions options, Path temp) throws Exception {
    offline(options, temp);
    org.apache.beam.sdk.io.gcp.testing.FakeDatasetService.setUp();
    var datasets = new org.apache.beam.sdk.io.gcp.testing.FakeDatasetService();
    datasets.createDataset("acme-analytics", dataset, "EU", "", null);
    // A history in BigQuery is sized when Dataflow translates the stream's read of it.
    datasets.createDataset("acme-analytics", "sales", "EU", "", null);
    datasets.createTable(new com.google.api.services.bigquery.model.Table()
        .setTableReference(new com.google.api.services.bigquery.model.TableReference().setProjectId("acme-analytics")
            .setDatasetId("sales").setTableId("online_retail_transactions"))
        .setSchema(new com.google.api.services.bigquery.model.TableSchema().setFields(List.of(
            field("InvoiceNo", "STRING"), field("Quantity", "INTEGER"), field("InvoiceDate", "TIMESTAMP"),
            field("UnitPrice", "FLOAT"), field("CustomerID", "FLOAT")))));
    // A published run in the output dataset, whose members the stream reads as it starts.
    datasets.createTable(new com.google.api.services.bigquery.model.Table().setNumBytes(8L << 20)
        .setTableReference(new com.google.api.services.bigquery.model.TableReference().setProjectId("acme-analytics")
            .setDatasetId(dataset).setTableId(compiled.definition().name() + "_members"))
        .setSchema(new com.google.api.services.bigquery.model.TableSchema().setFields(List.of(
            field("customer_id", "INTEGER"), field("segment_label", "STRING"), field("run_time", "TIMESTAMP")))));
    StreamRun.of(compiled, env).withBigQueryServices(new org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices()
        .withDatasetService(datasets)).build(options, temp.resolve("stream")).run();
    return JSON.readTree(temp.resolve("job.json").toFile());
  }

  private static com.google.api.services.bigquery.model.TableFieldSchema field(String name, String type) {
    return new com.google.api.services.bigquery.model.TableFieldSchema().setName(name).setType(type);
  }

  private static String property(JsonNode step, String name) {
    JsonNode value = step.at("/properties/" + name);
    return value.isObject() ? value.get("value").asText() : value.asText();
  }

  /** The job file the DataflowRunner writes for the definition in the prod environment. */
  private JsonNode translate(String definition, Path temp) throws Exception {
    Environment env = Fixtures.environment(PROD);
    SegmentDefinition def = Fixtures.definition(Path.of("segment-definitions", definition + ".yaml"), env);
    return translate(CompiledDefinition.of(def), env,
        RunOptions.dataflow(env, def.name(), "r1").as(DataflowPipelineOptions.class), temp);
  }

  private JsonNode translate(CompiledDefinition compiled, Environment env, DataflowPipelineOptions options, Path temp)
      throws Exception {
    offline(options, temp);
    Pipeline p = Pipeline.create(options);
    SegflowPipeline.build(p, compiled, env, new RunContext("r1", Instant.parse("2026-12-02T10:00:00Z"), temp),
        Optional.of(services));
    p.run();
    return JSON.readTree(temp.resolve("job.json").toFile());
  }

  /** Offline: no credentials, a local staging folder, one small file staged instead of the classpath. */
  private static void offline(DataflowPipelineOptions options, Path temp) throws Exception {
    options.setCredentialFactoryClass(NoopCredentialFactory.class);
    options.setPathValidatorClass(NoopPathValidator.class);
    options.setStagingLocation(temp.resolve("staging").toString());
    options.setFilesToStage(List.of(Files.writeString(temp.resolve("classes.txt"), "stand-in").toString()));
    options.setTemplateLocation(temp.resolve("job.json").toString());
  }

  private static JsonNode step(JsonNode job, String userName) {
    return StreamSupport.stream(job.get("steps").spliterator(), false)
        .filter(s -> s.at("/properties/user_name/value").asText().equals(userName))
        .findFirst().orElseThrow(() -> new AssertionError("no step " + userName));
  }

  private static String displayed(JsonNode step, String key) {
    return StreamSupport.stream(step.at("/properties/display_data").spliterator(), false)
        .filter(d -> d.get("key").asText().equals(key)).map(d -> d.get("value").asText())
        .findFirst().orElseThrow(() -> new AssertionError("no display data " + key + " on " + step));
  }

  /** The Java-serialized form of a read step's source, as text. */
  private static String shippedSource(JsonNode read) throws Exception {
    byte[] compressed = Base64.getDecoder().decode(
        read.at("/properties/custom_source_step_input/spec/serialized_source/value").asText());
    Object source = SerializableUtils.deserializeFromByteArray(compressed, "the read step's source");
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(plain)) {
      out.writeObject(source);
    }
    return plain.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * Each output's BigQuery load and the table it writes, as project.dataset.table. The job file keeps only
   * primitive steps; the pipeline it staged keeps the composite writes with their display data.
   */
  private static Map<String, String> loadedTables(RunnerApi.Pipeline staged) throws Exception {
    Map<String, String> tables = new HashMap<>();
    for (String output : List.of("members", "segments", "model", "rejects")) {
      String table = displayData(staged, "BigQuery[" + output + "]/Load").get("table");
      if (table != null) {
        JsonNode ref = JSON.readTree(table);
        tables.put(output, ref.get("projectId").asText() + ":" + ref.get("datasetId").asText() + "."
            + ref.get("tableId").asText());
      }
    }
    return tables;
  }

  private static RunnerApi.Pipeline stagedPipeline(JsonNode job) throws Exception {
    Path staged = Path.of(job.at("/environment/sdkPipelineOptions/options/pipelineUrl").asText());
    return RunnerApi.Pipeline.parseFrom(Files.readAllBytes(staged));
  }

  /** A transform's display data, key to string value. */
  private static Map<String, String> displayData(RunnerApi.Pipeline pipeline, String uniqueName) throws Exception {
    RunnerApi.PTransform transform = pipeline.getComponents().getTransformsMap().values().stream()
        .filter(t -> t.getUniqueName().equals(uniqueName)).findFirst()
        .orElseThrow(() -> new AssertionError("no transform " + uniqueName));
    Map<String, String> out = new HashMap<>();
    for (RunnerApi.DisplayData d : transform.getDisplayDataList()) {
      RunnerApi.LabelledPayload label = RunnerApi.LabelledPayload.parseFrom(d.getPayload());
      out.put(label.getKey(), label.getStringValue());
    }
    return out;
  }
}
