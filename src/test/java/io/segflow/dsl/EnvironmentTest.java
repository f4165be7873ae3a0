package io.segflow.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.diag.Position;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.EnvironmentLoader;
import io.segflow.dsl.env.EnvironmentResolver;
import io.segflow.dsl.env.OutputBinding;
import io.segflow.dsl.env.Runner;
import io.segflow.dsl.env.SourceBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentTest {
  private static final Path REPO = Path.of("").toAbsolutePath();

  @Test
  void theLocalEnvironmentBindsTheBundledData() {
    EnvironmentResolver.Found found = assertInstanceOf(EnvironmentResolver.Found.class,
        new EnvironmentResolver(REPO.resolve("segment-definitions"), Optional.empty()).resolve("local"));
    EnvironmentLoader.Loaded loaded = EnvironmentLoader.load(found.file(), found.display());
    assertEquals(List.of(), loaded.diagnostics());
    Environment env = loaded.environment().orElseThrow();
    assertEquals(Runner.DIRECT, env.runner());
    SourceBinding.Files retail = assertInstanceOf(SourceBinding.Files.class, env.sources().get("retail_transactions"));
    assertEquals(REPO.resolve("segment-definitions/data/online_retail.csv.gz"), retail.path());
    assertEquals(Optional.of("yyyy-MM-dd HH:mm:ss"), retail.typing().timestampFormat());
    assertEquals(List.of(""), retail.typing().nullValues());
    OutputBinding.Files out = assertInstanceOf(OutputBinding.Files.class, env.output());
    assertEquals(REPO.resolve("target/segflow/warehouse.duckdb"), out.warehouse());
  }

  @Test
  void aPubSubBindingReadsItsSubscriptionAndAttributesAndTheOutputItsChangesTopic(@TempDir Path dir)
      throws IOException {
    Path env = dir.resolve("live.yaml");
    Files.writeString(env, """
        apiVersion: segflow/v1
        name: live
        runner: direct
        sources:
          orders:
            kind: pubsub
            subscription: projects/acme-analytics/subscriptions/orders
            format: json
            timestamp_attribute: ts
            id_attribute: event_id
            null_values: ["", "NA"]
            allowed_lateness: 6h
            reevaluate: {every: 1d, for: 90d}
        output:
          kind: files
          path: out
          changes_topic: projects/acme-analytics/topics/segment-changes
        """);
    EnvironmentLoader.Loaded loaded = EnvironmentLoader.load(env, "live.yaml");
    assertEquals(List.of(), loaded.diagnostics());
    Environment live = loaded.environment().orElseThrow();
    assertEquals(new SourceBinding.PubSub("projects/acme-analytics/subscriptions/orders", Optional.empty(),
        Optional.of("ts"), Optional.of("event_id"), Optional.of(java.time.Duration.ofHours(6)), new SourceBinding.Typing(List.of("", "NA"), Optional.empty(),
        Optional.empty(), "UTC", false), Optional.empty(), Optional.of(new SourceBinding.Reevaluation(
            java.time.Duration.ofDays(1), java.time.Duration.ofDays(90)))),
        live.sources().get("orders"));
    assertTrue(live.sources().get("orders").isEventSource());
    assertEquals(Optional.of("projects/acme-analytics/topics/segment-changes"), live.output().changesTopic());

    // One time per event: the column's or the attribute's.
    Files.writeString(env, Files.readString(env).replace("    timestamp_attribute: ts\n",
        "    timestamp_attribute: ts\n    event_time: ordered_at\n"));
    List<io.segflow.dsl.diag.Diagnostic> both = EnvironmentLoader.load(env, "live.yaml").diagnostics();
    assertEquals(1, both.size(), both.toString());
    assertEquals(DiagnosticCode.EXCLUSIVE_KEYS, both.get(0).code());
    assertEquals(new Position(9, 5), both.get(0).position());
    assertTrue(both.get(0).message().contains("not both"), both.get(0).message());

    // A re-evaluation horizon shorter than its interval would never fire: an error at its key.
    Files.writeString(env, Files.readString(env).replace("reevaluate: {every: 1d, for: 90d}",
        "reevaluate: {every: 2d, for: 1d}"));
    List<io.segflow.dsl.diag.Diagnostic> horizon = EnvironmentLoader.load(env, "live.yaml").diagnostics().stream()
        .filter(d -> d.field().startsWith("sources.orders.reevaluate")).toList();
    assertEquals(1, horizon.size(), horizon.toString());
    assertEquals(DiagnosticCode.INVALID_VALUE, horizon.get(0).code());
    assertEquals("sources.orders.reevaluate.for", horizon.get(0).field());
    assertEquals(14, horizon.get(0).position().line());
    assertTrue(horizon.get(0).message().contains("give a for of at least every"), horizon.get(0).message());

    // A topic where a subscription belongs is an error at its line, as any bad value.
    Files.writeString(env, Files.readString(env).replace("subscriptions/orders", "topics/orders"));
    List<io.segflow.dsl.diag.Diagnostic> topic = EnvironmentLoader.load(env, "live.yaml").diagnostics();
    assertTrue(topic.stream().anyMatch(d -> d.code() == DiagnosticCode.INVALID_VALUE && d.position().line() == 7),
        topic.toString());

    // A lateness is a whole number of one unit; without one, none.
    Files.writeString(env, Files.readString(env).replace("allowed_lateness: 6h", "allowed_lateness: 6 hours"));
    List<io.segflow.dsl.diag.Diagnostic> lateness = EnvironmentLoader.load(env, "live.yaml").diagnostics();
    assertTrue(lateness.stream().anyMatch(d -> d.code() == DiagnosticCode.INVALID_VALUE && d.position().line() == 13
        && d.field().endsWith("allowed_lateness")), lateness.toString());
    Files.writeString(env, Files.readString(env).replace("topics/orders", "subscriptions/orders")
        .replace("    event_time: ordered_at\n", "").replace("    allowed_lateness: 6 hours\n", ""));
    SourceBinding.PubSub unsaid = (SourceBinding.PubSub) EnvironmentLoader.load(env, "live.yaml").environment()
        .orElseThrow().sources().get("orders");
    assertEquals(Optional.empty(), unsaid.allowedLateness());
  }

  @Test
  void aStreamsHistoryIsABindingOfItsOwnPlacedInTimeByTheEventTime(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("orders.csv"), "customer_id,ordered_at\n");
    Path env = dir.resolve("live.yaml");
    Files.writeString(env, """
        apiVersion: segflow/v1
        name: live
        runner: direct
        sources:
          orders:
            kind: pubsub
            subscription: projects/acme-analytics/subscriptions/orders
            format: json
            event_time: ordered_at
            history:
              kind: file
              format: csv
              path: orders.csv
        output:
          kind: files
          path: out
        """);
    EnvironmentLoader.Loaded loaded = EnvironmentLoader.load(env, "live.yaml");
    assertEquals(List.of(), loaded.diagnostics());
    SourceBinding.PubSub orders = (SourceBinding.PubSub) loaded.environment().orElseThrow().sources().get("orders");
    assertEquals(dir.resolve("orders.csv"), ((SourceBinding.Files) orders.history().orElseThrow()).path());

    // A history file that is not there is found when the environment loads, at its path's line.
    Files.writeString(env, Files.readString(env).replace("path: orders.csv", "path: old-orders.csv"));
    List<io.segflow.dsl.diag.Diagnostic> missing = EnvironmentLoader.load(env, "live.yaml").diagnostics();
    assertEquals(1, missing.size(), missing.toString());
    assertEquals(DiagnosticCode.BOUND_FILE_MISSING, missing.get(0).code());
    assertEquals("sources.orders.history.path", missing.get(0).field());
    assertEquals(13, missing.get(0).position().line());

    // Without the event_time column the history's rows have no time: messages have attributes, files do not.
    Files.writeString(env, Files.readString(env).replace("path: old-orders.csv", "path: orders.csv")
        .replace("    event_time: ordered_at\n", "    timestamp_attribute: ts\n"));
    List<io.segflow.dsl.diag.Diagnostic> untimed = EnvironmentLoader.load(env, "live.yaml").diagnostics();
    assertEquals(1, untimed.size(), untimed.toString());
    assertEquals(DiagnosticCode.MISSING_KEY, untimed.get(0).code());
    assertEquals(new Position(10, 5), untimed.get(0).position());

    // A history in BigQuery needs the project BigQuery's jobs run in, said at the history.
    Files.writeString(env, Files.readString(env).replace("    timestamp_attribute: ts\n", "    event_time: ordered_at\n")
        .replace("      kind: file\n      format: csv\n      path: orders.csv\n",
            "      kind: bigquery\n      table: acme-analytics.shop.orders\n"));
    List<io.segflow.dsl.diag.Diagnostic> cloud = EnvironmentLoader.load(env, "live.yaml").diagnostics();
    assertEquals(1, cloud.size(), cloud.toString());
    assertEquals(DiagnosticCode.GCP_SETTINGS_MISSING, cloud.get(0).code());
    assertEquals("sources.orders.history", cloud.get(0).field());

    // Another subscription is no history.
    Files.writeString(env, Files.readString(env).replace("      kind: bigquery\n      table: acme-analytics.shop.orders\n",
        "      kind: pubsub\n      subscription: projects/acme-analytics/subscriptions/old\n      format: json\n"));
    assertTrue(EnvironmentLoader.load(env, "live.yaml").hasErrors());
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    EnvironmentResolver.NotFound notFound = assertInstanceOf(EnvironmentResolver.NotFound.class,
        new EnvironmentResolver(REPO, Optional.empty()).resolve("staging"));
    assertTrue(notFound.message().contains("known: local"), notFound.message());
  }

  @Test
  void segflowHomeIsSearchedWhenTheWorkingFolderHasNoEnvironments(@TempDir Path elsewhere) {
    assertInstanceOf(EnvironmentResolver.Found.class,
        new EnvironmentResolver(elsewhere, Optional.of(REPO)).resolve("local"));
    assertInstanceOf(EnvironmentResolver.NotFound.class,
        new EnvironmentResolver(elsewhere, Optional.empty()).resolve("local"));
  }

  @Test
  void aFileBindingThatMatchesNothingIsLocated(@TempDir Path dir) throws IOException {
    Path env = dir.resolve("dev.yaml");
    Files.writeString(env, """
        apiVersion: segflow/v1
        name: dev
        runner: flink
        sources:
          orders: {kind: file, format: csv, path: data/orders-*.csv}
          warehouse_orders: {kind: bigquery, table: my-project.sales.orders}
        output: {kind: bigquery, dataset: my-project.segments, location: EU}
        gcp: {project: my-project, temp_location: gs://my-bucket/tmp}
        """);
    EnvironmentLoader.Loaded loaded = EnvironmentLoader.load(env, "dev.yaml");
    assertEquals(1, loaded.diagnostics().size());
    assertEquals(DiagnosticCode.BOUND_FILE_MISSING, loaded.diagnostics().get(0).code());
    assertEquals(new Position(5, 43), loaded.diagnostics().get(0).position());

    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/orders-1.csv"), "customer_id\n");
    Environment ok = EnvironmentLoader.load(env, "dev.yaml").environment().orElseThrow();
    SourceBinding.BigQuery bq = assertInstanceOf(SourceBinding.BigQuery.class, ok.sources().get("warehouse_orders"));
    assertEquals(Optional.of("my-project.sales.orders"), bq.table());
    assertEquals(new OutputBinding.BigQuery("my-project.segments", Optional.of("EU")), ok.output());
  }

  @Test
  void environmentShapeErrorsUseTheSameCodes(@TempDir Path dir) throws IOException {
    Path env = dir.resolve("bad.yaml");
    Files.writeString(env, """
        apiVersion: segflow/v1
        name: bad
        runner: spark
        sources:
          orders: {kind: bigquery}
        output: {kind: files, path: out, wharehouse: w.duckdb}
        """);
    List<String> found = EnvironmentLoader.load(env, "bad.yaml").diagnostics().stream()
        .map(d -> d.position() + " " + d.code().code() + " " + d.field()).sorted().toList();
    assertEquals(List.of("3:9 SF104 runner", "5:3 SF111 sources.orders", "6:34 SF105 output.wharehouse"), found);
  }

  @Test
  void maxRecordBytesIsReadAndMustBePositive(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("orders.csv"), "customer_id\n");
    Path env = dir.resolve("limits.yaml");
    String template = """
        apiVersion: segflow/v1
        name: limits
        runner: direct
        sources:
          orders: {kind: file, format: csv, path: orders.csv, max_record_bytes: %s}
        output: {kind: files, path: out}
        """;
    Files.writeString(env, template.formatted("4096"));
    SourceBinding.Files orders = assertInstanceOf(SourceBinding.Files.class,
        EnvironmentLoader.load(env, "limits.yaml").environment().orElseThrow().sources().get("orders"));
    assertEquals(java.util.OptionalInt.of(4096), orders.maxRecordBytes());

    Files.writeString(env, template.formatted("0"));
    List<String> found = EnvironmentLoader.load(env, "limits.yaml").diagnostics().stream()
        .map(d -> d.position().line() + " " + d.field()).toList();
    assertEquals(List.of("5 sources.orders.max_record_bytes"), found);
  }

  @Test
  void bigQueryAndDataflowNeedTheirSettings(@TempDir Path dir) throws IOException {
    Path env = dir.resolve("cloud.yaml");
    Files.writeString(env, """
        apiVersion: segflow/v1
        name: cloud
        runner: dataflow
        sources:
          orders: {kind: bigquery, table: my-project.sales.orders, read_method: export, row_filter: "x > 1"}
          recent: {kind: bigquery, query: SELECT 1 AS x, row_filter: "x > 1"}
        output: {kind: bigquery, dataset: my-project.segments}
        """);
    assertEquals(List.of(
        "cloud.yaml:7:1: error[SF404] output: BigQuery needs a project to run jobs in and a gs:// folder for "
            + "temporary files; add gcp: {project: my-project, temp_location: gs://my-bucket/tmp}",
        "cloud.yaml:3:9: error[SF404] runner: the dataflow runner needs gcp: {project, temp_location} and dataflow: {region}",
        "cloud.yaml:5:93: error[SF405] sources.orders.row_filter: row_filter is pushed down to the Storage Read API; "
            + "remove read_method: export, or the filter",
        "cloud.yaml:6:62: error[SF405] sources.recent.row_filter: row_filter filters a table; put the condition in "
            + "the query's WHERE clause"),
        EnvironmentLoader.load(env, "cloud.yaml").diagnostics().stream().map(d -> d.render()).toList());
  }
}
