package io.segflow.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.pipeline.refresh.PreviousSegments;
import io.segflow.transforms.density.DensityModel;
import io.segflow.transforms.kmeans.KMeansModel;
import io.segflow.transforms.points.ClusterModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The one description of the tables a definition's runs publish, whatever the warehouse: each table's
 * columns (name, type, required, description), its description, partitioning and clustering, and the rows
 * of the runs and model tables. BigQuery's schemas ({@link BigQueryTables}) and DuckDB's tables
 * ({@link DuckDbWarehouse}) are derived from it, so a column is added, typed or described here once.
 */
public final class OutputTables {
  private OutputTables() {}

  /** Column types, as both warehouses have them. */
  public enum Type {
    STRING("STRING", "VARCHAR"),
    INTEGER("INTEGER", "BIGINT"),
    FLOAT("FLOAT", "DOUBLE"),
    NUMERIC("NUMERIC", "DECIMAL(38, 9)"),
    BOOLEAN("BOOLEAN", "BOOLEAN"),
    TIMESTAMP("TIMESTAMP", "TIMESTAMPTZ"),
    /** A JSON document: a STRING in BigQuery (as the tables were created), JSON in DuckDB. */
    JSON("STRING", "JSON");

    private final String bigQuery;
    private final String duckDb;

    Type(String bigQuery, String duckDb) {
      this.bigQuery = bigQuery;
      this.duckDb = duckDb;
    }

    public String bigQuery() {
      return bigQuery;
    }

    public String duckDb() {
      return duckDb;
    }
  }

  /** One column; {@code description} may be null where there is nothing to say. */
  public record Column(String name, Type type, boolean required, String description) {}

  /** One output table, named {@code <definition>_<suffix>}. */
  public record Table(String suffix, String description, List<Column> columns, Optional<String> partitionedBy,
      List<String> clusteredBy) {
    public Table {
      columns = List.copyOf(columns);
      clusteredBy = List.copyOf(clusteredBy);
    }

    /** The column's type by name, for readers that type what they load. */
    public Map<String, Type> types() {
      Map<String, Type> types = new LinkedHashMap<>();
      columns.forEach(c -> types.put(c.name(), c.type()));
      return types;
    }
  }

  /** The catalogue's table with this suffix ("members", "segments", ...). */
  public static Table find(List<Table> catalogue, String suffix) {
    return catalogue.stream().filter(t -> t.suffix().equals(suffix)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the catalogue has no " + suffix + " table"));
  }

  /** The members, segments and rejects tables, from the rows the pipeline writes, and the model's if it has one. */
  public static List<Table> of(SegmentDefinition def, Schema members, Schema segments, Schema rejects,
      boolean model) {
    Map<String, String> docs = def.features().columnDocs();
    List<Table> out = new ArrayList<>();
    out.add(new Table("members", "Each " + def.entity() + "'s segment in each run of " + def.name() + ": "
        + def.description().strip(), columns(members, column -> switch (column) {
          case "segment_id" -> "Segment id, kept across refreshes: a run's segments are matched to the previous"
              + " run's, and a new segment gets an id never used before; see " + def.name() + "_segments.";
          case "segment_label" -> "Segment name: a rule's segment, or a label derived from the segment's profile.";
          case "segment_path" -> "bisecting_kmeans: the segment ids from the root of the tree down to the member's"
              + " segment, e.g. 6/7/2; every id on it is a segment of " + def.name() + "_segments.";
          case "distance" -> "k-means: distance to the segment's centroid in the scaled feature space.";
          case "margin" -> "k-means: how much farther the second-nearest centroid is; small means borderline.";
          case "r_score" -> "rfm: recency score, 1 to bins by quantile; the most recent customers score highest.";
          case "f_score" -> "rfm: frequency score, 1 to bins by quantile; the most frequent score highest.";
          case "m_score" -> "rfm: monetary score, 1 to bins by quantile; the biggest spenders score highest.";
          case "holdout" -> "In the control group (the definition's holdout): segmented, but left out of "
              + def.name() + "_activation so campaigns can be measured against it.";
          default -> common(column, def.entity().equals(column) ? "The entity (" + def.entity() + ")." : null);
        }), Optional.of("run_time"), List.of("segment_id")));
    out.add(new Table("segments", "The profile of each segment in each run of " + def.name()
        + ": size, share and each feature's mean, median, min and max in original units.",
        columns(segments, column -> {
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
            case "parent_segment_id" -> "bisecting_kmeans: the segment this one was split from; NULL for the root,"
                + " which holds every member.";
            case "depth" -> "bisecting_kmeans: splits from the root (0) down to this segment.";
            case "segment_description" -> "What the segment means, for marketers: its rule's description in the"
                + " definition, or the classic RFM segment's; NULL where none is given.";
            case "size" -> "Members in the segment.";
            case "share" -> "Members in the segment over all members of the run, 0 to 1.";
            case "centroid_shift" -> "k-means: how far the segment's centroid moved since the previous run, in"
                + " that run's scaled units; NULL for a new segment, a first run or rules.";
            default -> common(column, null);
          };
        }), Optional.empty(), List.of("run_id")));
    out.add(rejects(def.name(), rejects));
    if (model) {
      out.add(model(def.name()));
    }
    return out;
  }

  /** {@code <name>_rejects}: every row or entity a run did not use. */
  static Table rejects(String name, Schema rejects) {
    return new Table("rejects", "Every input row or entity a run of " + name
        + " did not use, with where it came from and why.", columns(rejects, column -> switch (column) {
          case "stage" -> "Where it was rejected: read (a source row), features (an entity the features query made"
              + " unusable: a NULL entity, a NaN or infinite feature) or segment (an entity the method could not use).";
          case "source" -> "The logical source, for rows rejected when read.";
          case "file" -> "The file or table the row came from.";
          case "line" -> "Line of the file, where there is one.";
          case "entity" -> "The entity, for entities rejected by the segmentation.";
          case "record" -> "The rejected record's declared, non-pii fields as read (name=value, ...).";
          case "reason" -> "Why it was not used.";
          default -> common(column, null);
        }), Optional.empty(), List.of("run_id"));
  }

  /**
   * {@code <name>_stream_changes}: each change of segment a stream made, with the stream that made it
   * ({@code run_id}, its job name). The batch {@code <name>_changes} view is the latest run's movements,
   * hence a name of its own.
   */
  public static Table streamChanges(String name, Schema changes) {
    String entity = changes.getField(0).getName();
    return new Table("stream_changes", "Each change of segment a stream of " + name + " made as its events"
        + " arrived. An entity's current segment is the to_segment of its change with the highest sequence in"
        + " the latest stream (run_time).", columns(changes, column -> switch (column) {
          case "from_segment" -> "The segment before; NULL: the stream's first change for this entity.";
          case "to_segment" -> "The segment after.";
          case "event_time" -> "The time of the entity's latest event when it changed (UTC).";
          case "sequence" -> "The change's number among the entity's changes in this stream, from 1: events arrive"
              + " out of order, so several changes can share an event_time, and the highest is the current one.";
          case "model_run_id" -> "The batch run whose model assigned the segment; NULL for rules.";
          case "run_id" -> "The stream that made the change: its job name. Sequences count within it.";
          case "run_time" -> "When that stream started (UTC).";
          default -> column.equals(entity) ? "The entity." : null;
        }), Optional.empty(), List.of(entity));
  }

  /** {@code <name>_model}: a model's quality figures and the whole model as JSON, one row per run. */
  static Table model(String name) {
    return new Table("model", "The model of each run of " + name + " (k-means, bisecting k-means, DBSCAN or"
        + " RFM): quality figures, and the whole model (scaler, centroids, sweep, core points or the value range"
        + " of every score) as JSON.", List.of(
            new Column("run_id", Type.STRING, true, "The run."),
            new Column("run_time", Type.TIMESTAMP, true, "When the run started."),
            new Column("k", Type.INTEGER, true, "Number of segments (DBSCAN: clusters found, noise apart; RFM:"
                + " segments its map or rules name)."),
            new Column("inertia", Type.FLOAT, false, "Sum of squared distances to the centroids, scaled space"
                + " (k-means)."),
            new Column("silhouette", Type.FLOAT, false, "Silhouette on a seeded sample, -1 to 1; higher is better."),
            new Column("davies_bouldin", Type.FLOAT, false, "Davies-Bouldin index; lower is better."),
            new Column("calinski_harabasz", Type.FLOAT, false, "Calinski-Harabasz index; higher is better."),
            new Column("points", Type.INTEGER, false, "Entities clustered."),
            new Column("passes", Type.INTEGER, false, "Passes over the full data."),
            new Column("iterations", Type.INTEGER, false, "Lloyd iterations of the in-memory solve (k-means)."),
            new Column("converged", Type.BOOLEAN, false, "Whether the solve converged within its tolerance (k-means)."),
            new Column("seed", Type.INTEGER, false, "The seed."),
            new Column("model", Type.JSON, true, "The model as JSON, reloadable by segflow; segment_ids holds the"
                + " published segment id of each centroid.")),
        Optional.empty(), List.of("run_id"));
  }

  /**
   * {@code <name>_transitions}: each entity of a run or of the run it follows, and its segment in both;
   * written by the warehouse from the two runs' members when the run is published.
   *
   * @param entity the members table's entity column
   */
  public static Table transitions(String name, Column entity) {
    return new Table("transitions", "Where each entity of each run of " + name + " was in the run before it"
        + " and where it is now: entities that entered have no from_segment_id, entities that left no"
        + " to_segment_id.", List.of(
            new Column(entity.name(), entity.type(), true, entity.description()),
            new Column("run_id", Type.STRING, true, "The run."),
            new Column("run_time", Type.TIMESTAMP, true, "When the run started."),
            new Column("previous_run_id", Type.STRING, false, "The published run it follows; NULL for a first run."),
            new Column("from_segment_id", Type.INTEGER, false, "Segment in the previous run; NULL: entered."),
            new Column("to_segment_id", Type.INTEGER, false, "Segment in this run; NULL: left.")),
        Optional.of("run_time"), List.of("to_segment_id"));
  }

  /** {@code <name>_runs}: one row per published run, written last, so views only see finished runs. */
  public static Table runs(String name) {
    return new Table("runs", "Every published run of " + name + " and its accounting.", List.of(
        new Column("run_id", Type.STRING, true, "The run."),
        new Column("run_time", Type.TIMESTAMP, true, "When the run started."),
        new Column("definition", Type.STRING, true, "The definition's name."),
        new Column("environment", Type.STRING, true, "The environment it ran in."),
        new Column("runner", Type.STRING, true, "direct, flink or dataflow."),
        new Column("seconds", Type.FLOAT, false, "Whole run, seconds."),
        new Column("entities_featured", Type.INTEGER, false, "Entities the features query produced."),
        new Column("members", Type.INTEGER, false, "Entities given a segment."),
        new Column("entities_rejected", Type.INTEGER, false, "Entities the segmentation rejected."),
        new Column("holdout_members", Type.INTEGER, false, "Members in the control group (holdout)."),
        new Column("entities_without_consent", Type.INTEGER, false,
            "Entities left out because the consent source does not say they consent."),
        new Column("balanced", Type.BOOLEAN, false, "Whether every row and entity is accounted for."),
        new Column("report", Type.JSON, false, "The run's report (run.json) as JSON: parameters, counts, stages.")),
        Optional.empty(), List.of());
  }

  /** The runs table's row, from the run's report (run.json), in the table's column order. */
  public static Map<String, Object> runRow(JsonNode report) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("run_id", report.get("run_id").asText());
    row.put("run_time", report.get("run_time").asText());
    row.put("definition", report.get("definition").asText());
    row.put("environment", report.get("environment").asText());
    row.put("runner", report.get("runner").asText());
    row.put("seconds", report.get("seconds").asDouble());
    row.put("entities_featured", report.get("entities_featured").asLong());
    row.put("members", report.get("members").asLong());
    row.put("entities_rejected", report.get("entities_rejected").asLong());
    row.put("holdout_members", report.path("holdout_members").asLong(0));
    row.put("entities_without_consent", report.path("entities_without_consent").asLong(0));
    row.put("balanced", report.get("balanced").asBoolean());
    row.put("report", report.toString());
    return row;
  }

  /** The model table's row, in the table's column order; a figure that is not finite is NULL. */
  public static Map<String, Object> modelRow(String modelJson, String runId, String runTime) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("run_id", runId);
    row.put("run_time", runTime);
    Optional<ClusterModel> clusters = PreviousSegments.modelOf(modelJson);
    if (clusters.isEmpty()) {
      // RFM: the bounds of its scores, in the JSON; k is the segments its map or rules name.
      JsonNode json = readJson(modelJson);
      row.put("k", (long) json.path(PreviousSegments.SEGMENT_IDS).size());
      for (String figure : List.of("inertia", "silhouette", "davies_bouldin", "calinski_harabasz")) {
        row.put(figure, null);
      }
      row.put("points", json.path("entities").asLong());
      row.put("passes", null);
      row.put("iterations", null);
      row.put("converged", null);
      row.put("seed", null);
      row.put("model", modelJson);
      return row;
    }
    ClusterModel model = clusters.get();
    if (model instanceof DensityModel m) {
      // Density has no centroid-based figures: they would judge it by what it does not optimise.
      row.put("k", (long) m.clusters());
      for (String figure : List.of("inertia", "silhouette", "davies_bouldin", "calinski_harabasz")) {
        row.put(figure, null);
      }
      row.put("points", m.points());
      row.put("passes", (long) m.passes());
      row.put("iterations", null);
      row.put("converged", null);
      row.put("seed", m.seed());
      row.put("model", modelJson);
      return row;
    }
    KMeansModel m = (KMeansModel) model;
    row.put("k", (long) m.k());
    row.put("inertia", finite(m.inertia()));
    row.put("silhouette", finite(m.silhouette()));
    row.put("davies_bouldin", finite(m.daviesBouldin()));
    row.put("calinski_harabasz", finite(m.calinskiHarabasz()));
    row.put("points", m.points());
    row.put("passes", (long) m.passes());
    row.put("iterations", (long) m.iterations());
    row.put("converged", m.converged());
    row.put("seed", m.seed());
    row.put("model", modelJson);
    return row;
  }

  private static JsonNode readJson(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("a model is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static String common(String column, String otherwise) {
    return switch (column) {
      case "run_id" -> "The run that wrote the row; a rerun with the same id replaces its rows.";
      case "run_time" -> "When the run started (UTC); members are partitioned by its date.";
      default -> otherwise;
    };
  }

  /** The columns of rows with this Beam schema, then run_id and run_time where the rows lack them. */
  private static List<Column> columns(Schema beam, Function<String, String> describe) {
    List<Column> columns = new ArrayList<>();
    for (Schema.Field f : beam.getFields()) {
      Type type = f.getName().equals("run_time") ? Type.TIMESTAMP : switch (f.getType().getTypeName()) {
        case BYTE, INT16, INT32, INT64 -> Type.INTEGER;
        case FLOAT, DOUBLE -> Type.FLOAT;
        case DECIMAL -> Type.NUMERIC;
        case BOOLEAN -> Type.BOOLEAN;
        case DATETIME -> Type.TIMESTAMP;
        default -> Type.STRING;
      };
      columns.add(new Column(f.getName(), type, !f.getType().getNullable(), describe.apply(f.getName())));
    }
    // Every table is keyed by run: the rows that lack the columns get them from the run.
    if (!beam.hasField("run_id")) {
      columns.add(new Column("run_id", Type.STRING, true, common("run_id", null)));
    }
    if (!beam.hasField("run_time")) {
      columns.add(new Column("run_time", Type.TIMESTAMP, true, common("run_time", null)));
    }
    return columns;
  }
}
