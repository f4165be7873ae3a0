package io.segflow.pipeline;

import com.google.api.services.bigquery.model.Clustering;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableSchema;
import com.google.api.services.bigquery.model.TimePartitioning;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The BigQuery tables a definition's runs publish to, as a marketer finds them: the catalogue's tables
 * ({@link OutputTables}: columns, types, descriptions, partitioning, clustering) as BigQuery schemas, with
 * their references, staging tables and labels. Every table is keyed by {@code run_id}.
 */
public final class BigQueryTables {
  private BigQueryTables() {}

  /** One output table: its schema (with descriptions) and settings. */
  public record OutputTable(String suffix, String description, TableSchema schema, Optional<String> partitionedBy,
      List<String> clusteredBy) {

    /**
     * Whether the pipeline stages the table's rows: the runs row and the transitions are written by the
     * publishing script itself.
     */
    public boolean staged() {
      return !suffix.equals("runs") && !suffix.equals("transitions");
    }

    /** The table's reference in {@code dataset} ({@code project.dataset}). */
    public TableReference reference(String dataset, String definition) {
      return ref(dataset, definition + "_" + suffix);
    }

    /** Where one run's rows are staged before they are published. */
    public TableReference staging(String dataset, String definition, String runId) {
      return ref(dataset, definition + "_" + suffix + "__staging_" + runId.replaceAll("[^A-Za-z0-9_]", "_"));
    }

    /** The table as created: schema, description, partitioning, clustering, labels. */
    public Table table(TableReference ref, String definition, String runId) {
      Table t = new Table().setTableReference(ref).setSchema(schema).setDescription(description)
          .setLabels(labels(definition, runId));
      partitionedBy.ifPresent(f -> t.setTimePartitioning(new TimePartitioning().setType("DAY").setField(f)));
      if (!clusteredBy.isEmpty()) {
        t.setClustering(new Clustering().setFields(clusteredBy));
      }
      return t;
    }
  }

  static TableReference ref(String dataset, String table) {
    String[] parts = dataset.split("\\.", 2);
    return new TableReference().setProjectId(parts[0]).setDatasetId(parts[1]).setTableId(table);
  }

  /** {@code segflow-definition} and {@code segflow-run}, in BigQuery's label alphabet. */
  public static Map<String, String> labels(String definition, String runId) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("segflow-definition", label(definition));
    labels.put("segflow-run", label(runId));
    return labels;
  }

  private static String label(String value) {
    String v = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
    return v.length() > 63 ? v.substring(0, 63) : v;
  }

  /** The catalogue's tables ({@link OutputTables}) as BigQuery creates them. */
  public static List<OutputTable> of(List<OutputTables.Table> tables) {
    return tables.stream().map(BigQueryTables::of).toList();
  }

  public static OutputTable of(OutputTables.Table table) {
    List<TableFieldSchema> fields = new ArrayList<>();
    for (OutputTables.Column c : table.columns()) {
      TableFieldSchema f = new TableFieldSchema().setName(c.name()).setType(c.type().bigQuery())
          .setMode(c.required() ? "REQUIRED" : "NULLABLE");
      fields.add(c.description() == null ? f : f.setDescription(c.description()));
    }
    return new OutputTable(table.suffix(), table.description(), new TableSchema().setFields(fields),
        table.partitionedBy(), table.clusteredBy());
  }
}
