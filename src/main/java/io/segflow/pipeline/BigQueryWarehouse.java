package io.segflow.pipeline;

import com.google.api.services.bigquery.model.TableReference;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.TableId;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;

/**
 * The BigQuery side of a run, around the pipeline: before it, the output tables are created where they do
 * not exist (schema, descriptions, partitioning, clustering, labels); after it, one transaction replaces
 * the run's rows in every table with the staged ones and records the run in {@code <name>_runs}; only
 * then are the views created or replaced, the labels updated and the staging tables dropped. A run that
 * fails before publishing changes nothing a marketer reads; a rerun of a run_id replaces exactly its rows.
 */
public final class BigQueryWarehouse {
  private static final WarehouseSql.Dialect BIGQUERY = WarehouseSql.Dialect.BIGQUERY;

  private BigQueryWarehouse() {}

  /**
   * Creates the output tables (and {@code <name>_runs}) that do not exist yet, in a dataset that must: a
   * run does not create datasets, whose location, access and expiry are the owner's choice.
   */
  public static void prepare(BigQueryServices.DatasetService datasets, String dataset, String definition,
      List<BigQueryTables.OutputTable> tables, String runId) throws IOException, InterruptedException {
    TableReference where = BigQueryTables.ref(dataset, definition);
    try {
      datasets.getDataset(where.getProjectId(), where.getDatasetId());
    } catch (IOException e) {
      throw new IOException("the output dataset " + dataset + " cannot be read (" + BigQuerySourceChecks.firstLine(e)
          + "); create it in the environment's output.location (bq mk --dataset --location=LOCATION "
          + where.getProjectId() + ":" + where.getDatasetId() + "), or fix output.dataset");
    }
    for (BigQueryTables.OutputTable table : tables) {
      TableReference ref = table.reference(dataset, definition);
      if (datasets.getTable(ref) == null) {
        datasets.createTable(table.table(ref, definition, runId));
      }
      if (table.staged()) {
        // Each run's staging tables start empty (a rerun's earlier attempt removed) and expire by
        // themselves, so a run that never publishes leaves nothing behind for long.
        TableReference staging = table.staging(dataset, definition, runId);
        if (datasets.getTable(staging) != null) {
          datasets.deleteTable(staging);
        }
        datasets.createTable(table.table(staging, definition, runId)
            .setExpirationTime(System.currentTimeMillis() + STAGING_LIFETIME.toMillis()));
      }
    }
  }

  /** How long a run's staging tables live if it is never published. */
  static final java.time.Duration STAGING_LIFETIME = java.time.Duration.ofDays(7);

  /**
   * The script that moves a run from its staging tables into the output tables and records it: first the
   * columns the tables lack are added, then one transaction replaces the run's rows.
   *
   * @param runsRow the {@code <name>_runs} row, column to SQL literal, in the table's column order
   * @param counts the run's counts, which the moved rows are asserted against before the commit
   * @param previousRunId the published run this one follows, which its transitions start from
   */
  public static String publishScript(String dataset, String definition, String entity,
      List<BigQueryTables.OutputTable> tables, String runId, Instant runTime, java.util.Optional<String> previousRunId,
      Map<String, String> runsRow, RunReport counts) {
    List<String> statements = new ArrayList<>();
    for (BigQueryTables.OutputTable table : tables) {
      Map<String, String> columns = new LinkedHashMap<>();
      table.schema().getFields().forEach(f -> columns.put(f.getName(), standardType(f.getType())));
      statements.add(WarehouseSql.addMissingColumns(dataset, definition + "_" + table.suffix(), columns));
    }
    statements.add("BEGIN TRANSACTION");
    for (BigQueryTables.OutputTable table : tables) {
      if (!table.staged()) {
        continue;
      }
      String name = definition + "_" + table.suffix();
      TableReference staging = table.staging(dataset, definition, runId);
      statements.add(WarehouseSql.deleteRun(BIGQUERY, dataset, name, runId));
      statements.add(WarehouseSql.insertRun(BIGQUERY, dataset, name,
          WarehouseSql.table(BIGQUERY, dataset, staging.getTableId()),
          table.schema().getFields().stream().map(f -> f.getName()).toList()));
    }
    statements.add(WarehouseSql.deleteRun(BIGQUERY, dataset, definition + "_transitions", runId));
    statements.add(WarehouseSql.insertTransitions(BIGQUERY, dataset, definition, entity, runId, runTime, previousRunId));
    // The rows moved must be the rows the run counted; a failed ASSERT ends the script and so rolls back.
    WarehouseSql.rowChecks(definition, counts).forEach(c -> statements.add(WarehouseSql.assertRows(dataset, c, runId)));
    statements.add(WarehouseSql.deleteRun(BIGQUERY, dataset, definition + "_runs", runId));
    statements.add("INSERT INTO " + WarehouseSql.table(BIGQUERY, dataset, definition + "_runs") + " ("
        + String.join(", ", runsRow.keySet()) + ")\nVALUES (" + String.join(", ", runsRow.values()) + ")");
    statements.add("COMMIT TRANSACTION");
    return String.join(";\n", statements) + ";";
  }

  /** GoogleSQL's name of a column type as table schemas spell it. */
  private static String standardType(String type) {
    return switch (type) {
      case "INTEGER" -> "INT64";
      case "FLOAT" -> "FLOAT64";
      case "BOOLEAN" -> "BOOL";
      default -> type;
    };
  }

  /** The marketers' views over the latest published run; {@code runTime} is the run being published. */
  public static List<String> views(String dataset, String definition, String entity, Instant runTime) {
    return List.of(WarehouseSql.currentView(BIGQUERY, dataset, definition, "members", runTime),
        WarehouseSql.currentView(BIGQUERY, dataset, definition, "segments", null),
        WarehouseSql.movementsView(BIGQUERY, dataset, definition),
        WarehouseSql.changesView(BIGQUERY, dataset, definition, entity),
        WarehouseSql.activationView(BIGQUERY, dataset, definition, entity));
  }

  /** Publishes a finished run with the BigQuery client: the transaction, then the views, labels and clean-up. */
  public static void publish(BigQuery bigquery, String dataset, String location, String definition, String entity,
      List<BigQueryTables.OutputTable> tables, String runId, Instant runTime, java.util.Optional<String> previousRunId,
      Map<String, String> runsRow, RunReport counts) throws InterruptedException {
    try {
      bigquery.query(QueryJobConfiguration.newBuilder(publishScript(dataset, definition, entity, tables, runId, runTime,
          previousRunId, runsRow, counts)).setUseLegacySql(false).build(), BigQuery.JobOption.fields());
      for (String view : views(dataset, definition, entity, runTime)) {
        bigquery.query(QueryJobConfiguration.newBuilder(view).setUseLegacySql(false).build());
      }
      for (BigQueryTables.OutputTable table : tables) {
        TableReference ref = table.reference(dataset, definition);
        TableId id = TableId.of(ref.getProjectId(), ref.getDatasetId(), ref.getTableId());
        com.google.cloud.bigquery.Table current = bigquery.getTable(id);
        if (current != null) {
          current.toBuilder().setLabels(BigQueryTables.labels(definition, runId)).build().update();
        }
        if (table.staged()) {
          TableReference staging = table.staging(dataset, definition, runId);
          bigquery.delete(TableId.of(staging.getProjectId(), staging.getDatasetId(), staging.getTableId()));
        }
      }
    } catch (BigQueryException e) {
      throw new IllegalStateException("publishing run " + runId + " of " + definition + " into " + dataset
          + (location == null ? "" : " (" + location + ")") + " failed: " + e.getMessage(), e);
    }
  }
  /**
   * The published run a new run follows ({@link PublishedRun.Wanted});
   * empty when the dataset has none. Runs the statements {@link WarehouseSql} writes for both warehouses.
   */
  public static java.util.Optional<PublishedRun> published(BigQuery bigquery, String dataset, String definition,
      PublishedRun.Wanted wanted) throws InterruptedException {
    String[] parts = dataset.split("\\.", 2);
    if (bigquery.getTable(TableId.of(parts[0], parts[1], definition + "_runs")) == null) {
      return java.util.Optional.empty();
    }
    try {
      var runs = query(bigquery, WarehouseSql.publishedRun(BIGQUERY, dataset, definition, wanted)).iterateAll()
          .iterator();
      if (!runs.hasNext()) {
        return java.util.Optional.empty();
      }
      var run = runs.next();
      String id = run.get("run_id").getStringValue();
      com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(run.get("report").getStringValue());
      List<PublishedRun.Segment> segments = new java.util.ArrayList<>();
      for (var row : query(bigquery, WarehouseSql.publishedSegments(BIGQUERY, dataset, definition, id)).iterateAll()) {
        segments.add(new PublishedRun.Segment(row.get("segment_id").getLongValue(),
            row.get("segment_label").getStringValue(), row.get("size").getLongValue()));
      }
      java.util.Optional<String> model = java.util.Optional.empty();
      if (bigquery.getTable(TableId.of(parts[0], parts[1], definition + "_model")) != null) {
        for (var row : query(bigquery, WarehouseSql.publishedModel(BIGQUERY, dataset, definition, id)).iterateAll()) {
          model = java.util.Optional.of(row.get("model").getStringValue());
        }
      }
      PublishedRun.SegmentHistory.Builder history = new PublishedRun.SegmentHistory.Builder();
      for (var row : query(bigquery, WarehouseSql.segmentHistory(BIGQUERY, dataset, definition, wanted.newRunId()))
          .iterateAll()) {
        history.add(row.get("segment_id").getLongValue(), row.get("segment_label").getStringValue(),
            row.get("last_seen").getTimestampInstant());
      }
      return java.util.Optional.of(PublishedRun.of(id, report, segments, model, history.build()));
    } catch (BigQueryException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("reading the published runs of " + definition + " in " + dataset
          + " failed: " + e.getMessage(), e);
    }
  }

  private static com.google.cloud.bigquery.TableResult query(BigQuery bigquery, String sql)
      throws InterruptedException {
    return bigquery.query(QueryJobConfiguration.newBuilder(sql).setUseLegacySql(false).build());
  }
}
