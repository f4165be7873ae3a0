package io.segflow.pipeline;

import com.google.cloud.bigquery.BigQuery;
import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.OutputBinding;
import io.segflow.dsl.model.SegmentDefinition;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServicesImpl;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The BigQuery side of {@code segflow run} against the service: the environment's project and temp
 * location on the options, the source tables checked before the run, the output tables prepared, and the
 * finished run published. Everything here calls Google Cloud; the pieces it assembles
 * ({@link BigQuerySourceChecks}, {@link BigQueryWarehouse}) are tested against Beam's test doubles.
 */
public final class BigQueryRun {
  private BigQueryRun() {}

  /** The environment's project and temp location on the options, where it has them. */
  public static PipelineOptions withGcp(PipelineOptions options, Environment env) {
    env.gcp().ifPresent(gcp -> {
      options.as(GcpOptions.class).setProject(gcp.project());
      options.setTempLocation(gcp.tempLocation());
    });
    return options;
  }

  /**
   * Why Google Cloud cannot be called from here, or empty when Application Default Credentials can be
   * found: a key file named by GOOGLE_APPLICATION_CREDENTIALS, gcloud's application-default file, a
   * Google Compute Engine machine, or a Cloud Run job or service (where scheduled refreshes run), the last two
   * through their metadata server. Decided from files alone, without a network
   * call: without credentials, Beam's clients would retry for minutes before giving up.
   */
  public static java.util.Optional<String> missingCredentials() {
    String keyFile = System.getenv("GOOGLE_APPLICATION_CREDENTIALS");
    java.nio.file.Path gcloud = System.getenv("CLOUDSDK_CONFIG") != null
        ? java.nio.file.Path.of(System.getenv("CLOUDSDK_CONFIG"))
        : java.nio.file.Path.of(System.getProperty("user.home"), ".config", "gcloud");
    boolean found = (keyFile != null && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(keyFile)))
        || java.nio.file.Files.isRegularFile(gcloud.resolve("application_default_credentials.json"))
        || onGoogleComputeEngine() || System.getenv("CLOUD_RUN_JOB") != null || System.getenv("K_SERVICE") != null;
    return found ? java.util.Optional.empty() : java.util.Optional.of("no Google credentials (Application Default "
        + "Credentials: run 'gcloud auth application-default login', or set GOOGLE_APPLICATION_CREDENTIALS)");
  }

  /** Linux on Google Compute Engine (and so on Dataflow and Cloud Build) names its product so. */
  private static boolean onGoogleComputeEngine() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/sys/class/dmi/id/product_name")).contains("Google");
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  /** The source tables' and queries' columns against the definition (before the pipeline is built). */
  public static List<Diagnostic> checkSources(SegmentDefinition def, Environment env, PipelineOptions options)
      throws Exception {
    BigQueryOptions bq = options.as(BigQueryOptions.class);
    BigQueryServices services = new BigQueryServicesImpl();
    try (BigQueryServices.DatasetService datasets = services.getDatasetService(bq);
        BigQueryServices.JobService jobs = services.getJobService(bq)) {
      return BigQuerySourceChecks.check(def, env, datasets, jobs, bq.getProject());
    }
  }

  /** Creates the output tables that do not exist yet. */
  public static void prepare(SegflowPipeline.Graph graph, SegmentDefinition def, Environment env, String runId,
      PipelineOptions options) throws Exception {
    OutputBinding.BigQuery out = (OutputBinding.BigQuery) env.output();
    try (BigQueryServices.DatasetService datasets = new BigQueryServicesImpl()
        .getDatasetService(options.as(BigQueryOptions.class))) {
      BigQueryWarehouse.prepare(datasets, out.dataset(), def.name(), graph.bigQueryTables(), runId);
    }
  }

  /**
   * Publishes a finished run: its rows into the output tables and its row into {@code <name>_runs}.
   *
   * @param report the run's report as run.json holds it, which the runs row is made from
   */
  public static void publish(SegflowPipeline.Graph graph, SegmentDefinition def, Environment env, String runId,
      Instant runTime, RunReport counts, com.fasterxml.jackson.databind.JsonNode report) throws InterruptedException {
    OutputBinding.BigQuery out = (OutputBinding.BigQuery) env.output();
    Map<String, String> row = new LinkedHashMap<>();
    Map<String, OutputTables.Type> types = OutputTables.runs(def.name()).types();
    OutputTables.runRow(report).forEach((column, value) -> row.put(column, sqlLiteral(types.get(column), value)));
    java.util.Optional<String> previous = report.path("previous_run_id").isTextual()
        ? java.util.Optional.of(report.get("previous_run_id").asText()) : java.util.Optional.empty();
    BigQueryWarehouse.publish(client(env), out.dataset(), out.location().orElse(null), def.name(), def.entity(),
        graph.bigQueryTables(), runId, runTime, previous, row, counts);
  }

  /** The published run a new run of the definition follows, if the dataset has one. */
  public static java.util.Optional<PublishedRun> published(SegmentDefinition def, Environment env,
      PublishedRun.Wanted wanted) throws InterruptedException {
    return BigQueryWarehouse.published(client(env), ((OutputBinding.BigQuery) env.output()).dataset(), def.name(),
        wanted);
  }

  /** Per segment of the previous run, its members the new run (in its staging table) keeps in it. */
  public static Map<Integer, Long> stayed(SegflowPipeline.Graph graph, SegmentDefinition def, Environment env,
      String runId, String previousRunId) throws InterruptedException {
    String dataset = ((OutputBinding.BigQuery) env.output()).dataset();
    com.google.api.services.bigquery.model.TableReference members = graph.bigQueryTables().stream()
        .filter(t -> t.suffix().equals("members")).findFirst().orElseThrow().staging(dataset, def.name(), runId);
    String sql = WarehouseSql.stayed(WarehouseSql.Dialect.BIGQUERY, dataset, def.name(), def.entity(), previousRunId,
        "`" + members.getProjectId() + "." + members.getDatasetId() + "." + members.getTableId() + "`",
        graph.members().getSchema().hasField("segment_path"));
    Map<Integer, Long> out = new java.util.TreeMap<>();
    for (var row : client(env).query(com.google.cloud.bigquery.QueryJobConfiguration.newBuilder(sql)
        .setUseLegacySql(false).build()).iterateAll()) {
      out.put((int) row.get("segment_id").getLongValue(), row.get("stayed").getLongValue());
    }
    return out;
  }

  private static BigQuery client(Environment env) {
    OutputBinding.BigQuery out = (OutputBinding.BigQuery) env.output();
    return com.google.cloud.bigquery.BigQueryOptions.newBuilder().setProjectId(env.gcp().orElseThrow().project())
        .setLocation(out.location().orElse(null)).build().getService();
  }

  /** A value of the catalogue's type as a BigQuery SQL literal. */
  static String sqlLiteral(OutputTables.Type type, Object value) {
    if (value == null) {
      return "NULL";
    }
    return switch (type) {
      case STRING, JSON -> WarehouseSql.literal(WarehouseSql.Dialect.BIGQUERY, value.toString());
      case TIMESTAMP -> WarehouseSql.timestamp(WarehouseSql.Dialect.BIGQUERY, Instant.parse(value.toString()));
      case BOOLEAN -> value.toString().toUpperCase(java.util.Locale.ROOT);
      case INTEGER, FLOAT, NUMERIC -> value.toString();
    };
  }
}
