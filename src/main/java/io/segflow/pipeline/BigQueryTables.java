package io.segflow.pipeline;

import com.google.api.services.bigquery.model.Clustering;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableSchema;
import com.google.api.services.bigquery.model.TimePartitioning;
import io.segflow.dsl.model.SegmentDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The BigQuery tables a definition's runs publish to, as a marketer finds them: names, column types and
 * descriptions, table descriptions, partitioning, clustering and labels. Every table is keyed by
 * {@code run_id}; {@code <name>_members} is partitioned by the run's date and clustered by segment.
 */
public final class BigQueryTables {
  private BigQueryTables() {}

  /** One output table: its schema (with descriptions) and settings. */
  public record OutputTable(String suffix, String description, TableSchema schema, Optional<String> partitionedBy,
      List<String> clusteredBy) {

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

  /** The members, segments, rejects and model tables, from the rows the pipeline writes. */
  public static List<OutputTable> of(SegmentDefinition def, Schema members, Schema segments, Schema rejects,
      boolean kmeans) {
    Map<String, String> docs = def.features().columnDocs();
    List<OutputTable> out = new ArrayList<>();
    out.add(new OutputTable("members", "Each " + def.entity() + "'s segment in each run of " + def.name() + ": "
        + def.description().strip(), schema(members, column -> switch (column) {
          case "segment_id" -> "Segment number; stable meaning within a run, see " + def.name() + "_segments.";
          case "segment_label" -> "Segment name: a rule's segment, or a label derived from the segment's profile.";
          case "distance" -> "k-means: distance to the segment's centroid in the scaled feature space.";
          case "margin" -> "k-means: how much farther the second-nearest centroid is; small means borderline.";
          default -> common(column, def.entity().equals(column) ? "The entity (" + def.entity() + ")." : null);
        }), Optional.of("run_time"), List.of("segment_id")));
    out.add(new OutputTable("segments", "The profile of each segment in each run of " + def.name()
        + ": size, share and each feature's mean, median, min and max in original units.",
        schema(segments, column -> {
          for (String stat : List.of("mean", "median", "min", "max")) {
            if (column.endsWith("_" + stat)) {
              String feature = column.substring(0, column.length() - stat.length() - 1);
              return stat.substring(0, 1).toUpperCase(Locale.ROOT) + stat.substring(1) + " of " + feature
                  + " over the segment's members" + (docs.containsKey(feature) ? ": " + docs.get(feature) : ".");
            }
          }
          return switch (column) {
            case "segment_id" -> "Segment number.";
            case "segment_label" -> "Segment name.";
            case "size" -> "Members in the segment.";
            case "share" -> "Members in the segment over all members of the run, 0 to 1.";
            default -> common(column, null);
          };
        }), Optional.empty(), List.of("run_id")));
    out.add(new OutputTable("rejects", "Every input row or entity a run of " + def.name()
        + " did not use, with where it came from and why.", schema(rejects, column -> switch (column) {
          case "stage" -> "Where it was rejected: read (a source row) or segment (an entity).";
          case "source" -> "The logical source, for rows rejected when read.";
          case "file" -> "The file or table the row came from.";
          case "line" -> "Line of the file, where there is one.";
          case "entity" -> "The entity, for entities rejected by the segmentation.";
          case "record" -> "The rejected record as read.";
          case "reason" -> "Why it was not used.";
          default -> common(column, null);
        }), Optional.empty(), List.of("run_id")));
    if (kmeans) {
      out.add(new OutputTable("model", "The k-means model of each run of " + def.name()
          + ": quality figures, and the whole model (scaler, centroids, sweep) as JSON.", new TableSchema().setFields(List.of(
              field("run_id", "STRING", "REQUIRED", "The run."),
              field("run_time", "TIMESTAMP", "REQUIRED", "When the run started."),
              field("k", "INTEGER", "REQUIRED", "Number of segments."),
              field("inertia", "FLOAT", "NULLABLE", "Sum of squared distances to the centroids, scaled space."),
              field("silhouette", "FLOAT", "NULLABLE", "Silhouette on a seeded sample, -1 to 1; higher is better."),
              field("davies_bouldin", "FLOAT", "NULLABLE", "Davies-Bouldin index; lower is better."),
              field("calinski_harabasz", "FLOAT", "NULLABLE", "Calinski-Harabasz index; higher is better."),
              field("points", "INTEGER", "NULLABLE", "Entities clustered."),
              field("passes", "INTEGER", "NULLABLE", "Passes over the full data."),
              field("iterations", "INTEGER", "NULLABLE", "Lloyd iterations of the in-memory solve."),
              field("converged", "BOOLEAN", "NULLABLE", "Whether the solve converged within its tolerance."),
              field("seed", "INTEGER", "NULLABLE", "The seed."),
              field("model", "STRING", "REQUIRED", "The model as JSON, reloadable by segflow."))),
          Optional.empty(), List.of("run_id")));
    }
    return out;
  }

  /** {@code <name>_runs}: one row per published run, written last, so views only see finished runs. */
  public static OutputTable runs(SegmentDefinition def) {
    return new OutputTable("runs", "Every published run of " + def.name() + " and its accounting.",
        new TableSchema().setFields(List.of(
            field("run_id", "STRING", "REQUIRED", "The run."),
            field("run_time", "TIMESTAMP", "REQUIRED", "When the run started."),
            field("definition", "STRING", "REQUIRED", "The definition's name."),
            field("environment", "STRING", "REQUIRED", "The environment it ran in."),
            field("runner", "STRING", "REQUIRED", "direct, flink or dataflow."),
            field("seconds", "FLOAT", "NULLABLE", "Whole run, seconds."),
            field("entities_featured", "INTEGER", "NULLABLE", "Entities the features query produced."),
            field("members", "INTEGER", "NULLABLE", "Entities given a segment."),
            field("entities_rejected", "INTEGER", "NULLABLE", "Entities the segmentation rejected."),
            field("balanced", "BOOLEAN", "NULLABLE", "Whether every row and entity is accounted for."),
            field("report", "STRING", "NULLABLE", "The run's report (run.json) as JSON: parameters, counts, stages."))),
        Optional.empty(), List.of());
  }

  private static String common(String column, String otherwise) {
    return switch (column) {
      case "run_id" -> "The run that wrote the row; a rerun with the same id replaces its rows.";
      case "run_time" -> "When the run started (UTC); members are partitioned by its date.";
      default -> otherwise;
    };
  }

  private static TableSchema schema(Schema beam, java.util.function.Function<String, String> describe) {
    List<TableFieldSchema> fields = new ArrayList<>();
    for (Schema.Field f : beam.getFields()) {
      String type = f.getName().equals("run_time") ? "TIMESTAMP" : switch (f.getType().getTypeName()) {
        case BYTE, INT16, INT32, INT64 -> "INTEGER";
        case FLOAT, DOUBLE -> "FLOAT";
        case DECIMAL -> "NUMERIC";
        case BOOLEAN -> "BOOLEAN";
        case DATETIME -> "TIMESTAMP";
        default -> "STRING";
      };
      fields.add(field(f.getName(), type, f.getType().getNullable() ? "NULLABLE" : "REQUIRED",
          describe.apply(f.getName())));
    }
    // Every table is keyed by run: the rows that lack the columns get them from the run.
    if (!beam.hasField("run_id")) {
      fields.add(field("run_id", "STRING", "REQUIRED", common("run_id", null)));
    }
    if (!beam.hasField("run_time")) {
      fields.add(field("run_time", "TIMESTAMP", "REQUIRED", common("run_time", null)));
    }
    return new TableSchema().setFields(fields);
  }

  private static TableFieldSchema field(String name, String type, String mode, String description) {
    TableFieldSchema f = new TableFieldSchema().setName(name).setType(type).setMode(mode);
    return description == null ? f : f.setDescription(description);
  }
}
