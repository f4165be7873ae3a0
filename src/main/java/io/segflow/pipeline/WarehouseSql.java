package io.segflow.pipeline;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The SQL both warehouses run to publish a run, written once for the local DuckDB database and for
 * BigQuery: the statements that replace one run's rows, and the marketers' views over the latest run.
 * Only quoting differs between the dialects; DuckDB runs these statements in the tests, BigQuery's text is
 * asserted there too.
 */
public final class WarehouseSql {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

  private WarehouseSql() {}

  /** The two warehouses. */
  public enum Dialect {
    DUCKDB,
    BIGQUERY
  }

  /**
   * A table's name as the dialect writes it: {@code name} in DuckDB, {@code `project.dataset.name`} in
   * BigQuery ({@code dataset} is {@code project.dataset}, ignored for DuckDB).
   */
  public static String table(Dialect dialect, String dataset, String name) {
    return dialect == Dialect.BIGQUERY ? "`" + dataset + "." + name + "`" : name;
  }

  /**
   * A string literal of the dialect: DuckDB doubles a quote; GoogleSQL has no doubled quote and no line
   * break inside '...', so it escapes both (and the backslash) with a backslash.
   */
  public static String literal(Dialect dialect, String value) {
    if (dialect == Dialect.DUCKDB) {
      return "'" + value.replace("'", "''") + "'";
    }
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r") + "'";
  }

  /** Removes one run's rows from a table. */
  public static String deleteRun(Dialect dialect, String dataset, String table, String runId) {
    return "DELETE FROM " + table(dialect, dataset, table) + " WHERE run_id = " + literal(dialect, runId);
  }

  /**
   * Appends a run's rows, matching columns by name: in DuckDB from a query, in BigQuery from a staging
   * table with the named columns (a table that gained columns later has them in another order).
   */
  public static String insertRun(Dialect dialect, String dataset, String table, String from, List<String> columns) {
    if (dialect == Dialect.DUCKDB) {
      return "INSERT INTO " + table(dialect, dataset, table) + " BY NAME " + from;
    }
    String names = String.join(", ", columns.stream().map(c -> "`" + c + "`").toList());
    return "INSERT INTO " + table(dialect, dataset, table) + " (" + names + ")\nSELECT " + names + " FROM " + from;
  }

  /**
   * BigQuery: adds the columns a run writes that the table lacks (a new feature, a newer segflow); earlier
   * runs read NULL there. Idempotent, and outside the transaction, where BigQuery allows DDL.
   *
   * @param columns column name to GoogleSQL type
   */
  public static String addMissingColumns(String dataset, String table, java.util.Map<String, String> columns) {
    return "ALTER TABLE " + table(Dialect.BIGQUERY, dataset, table) + "\n" + String.join(",\n",
        columns.entrySet().stream().map(c -> "  ADD COLUMN IF NOT EXISTS `" + c.getKey() + "` " + c.getValue()).toList());
  }

  /**
   * {@code <name>_current_<table>}: the rows of the latest run that finished publishing. A run is in
   * {@code <name>_runs} only once all its rows are, so the view never shows a half-written run.
   *
   * <p>{@code partitionsFrom}, for a table partitioned by {@code run_time}: the run being published. The
   * latest run started no earlier than it, so the view may skip the days before that run's day; BigQuery
   * prunes partitions only by a constant, never by the subquery that picks the run, so without it every
   * query of the view would read every run ever published. Null for a table without {@code run_time}.
   */
  public static String currentView(Dialect dialect, String dataset, String name, String table,
      Instant partitionsFrom) {
    String runs = table(dialect, dataset, name + "_runs");
    return "CREATE OR REPLACE VIEW " + table(dialect, dataset, name + "_current_" + table) + " AS\n"
        + "SELECT * FROM " + table(dialect, dataset, name + "_" + table) + "\n"
        + "WHERE run_id = (SELECT run_id FROM " + runs + " ORDER BY run_time DESC, run_id DESC LIMIT 1)"
        + (partitionsFrom == null ? ""
            : "\n  AND run_time >= " + timestamp(dialect, partitionsFrom.truncatedTo(ChronoUnit.DAYS)));
  }

  /**
   * The published run a new run follows: the one named, or else the latest but the new run itself (a rerun
   * of an id replaces it). {@code <name>_runs} holds only runs that finished publishing. Columns: run_id,
   * report.
   */
  public static String publishedRun(Dialect dialect, String dataset, String name, PublishedRun.Wanted wanted) {
    return "SELECT run_id, report FROM " + table(dialect, dataset, name + "_runs") + " WHERE run_id "
        + wanted.named().map(id -> "= " + literal(dialect, id)).orElse("<> " + literal(dialect, wanted.newRunId()))
        + " ORDER BY run_time DESC, run_id DESC LIMIT 1";
  }

  /** One run's segments: segment_id, segment_label, size, by segment_id. */
  public static String publishedSegments(Dialect dialect, String dataset, String name, String runId) {
    return "SELECT segment_id, segment_label, size FROM " + table(dialect, dataset, name + "_segments")
        + " WHERE run_id = " + literal(dialect, runId) + " ORDER BY segment_id";
  }

  /**
   * Every segment id and label of the published runs but the new one (a rerun keeps the ids it had), with
   * the latest run time that published each: columns segment_id, segment_label, last_seen.
   */
  public static String segmentHistory(Dialect dialect, String dataset, String name, String newRunId) {
    return "SELECT s.segment_id, s.segment_label, MAX(r.run_time) AS last_seen FROM "
        + table(dialect, dataset, name + "_segments") + " AS s JOIN " + table(dialect, dataset, name + "_runs")
        + " AS r USING (run_id) WHERE s.run_id <> " + literal(dialect, newRunId)
        + " GROUP BY s.segment_id, s.segment_label";
  }

  /**
   * How many members of each segment of the previous run are in the same segment in the new run, before the
   * new run is published: columns segment_id, stayed. {@code newMembers} is the new run's members as a
   * relation (its files, its staging table); entities are compared as text, whatever each side's type. A
   * tree's segment holds a member when it is on the member's segment_path: a member stays in every segment
   * above its leaf that both its paths pass through.
   */
  public static String stayed(Dialect dialect, String dataset, String name, String entity, String previousRunId,
      String newMembers, boolean tree) {
    String e = column(dialect, entity);
    String text = dialect == Dialect.BIGQUERY ? "STRING" : "VARCHAR";
    if (tree) {
      String node = "CONCAT('/', CAST(s.segment_id AS " + text + "), '/')";
      return "SELECT s.segment_id, COUNT(*) AS stayed FROM " + table(dialect, dataset, name + "_members") + " AS p\n"
          + "JOIN " + newMembers + " AS n ON CAST(n." + e + " AS " + text + ") = CAST(p." + e + " AS " + text + ")\n"
          + "JOIN " + table(dialect, dataset, name + "_segments") + " AS s ON s.run_id = p.run_id"
          + " AND STRPOS(CONCAT('/', p.segment_path, '/'), " + node + ") > 0"
          + " AND STRPOS(CONCAT('/', n.segment_path, '/'), " + node + ") > 0\n"
          + "WHERE p.run_id = " + literal(dialect, previousRunId) + "\nGROUP BY s.segment_id";
    }
    return "SELECT p.segment_id, COUNT(*) AS stayed FROM " + table(dialect, dataset, name + "_members") + " AS p\n"
        + "JOIN " + newMembers + " AS n ON CAST(n." + e + " AS " + text + ") = CAST(p." + e + " AS " + text + ")"
        + " AND n.segment_id = p.segment_id\n"
        + "WHERE p.run_id = " + literal(dialect, previousRunId) + "\nGROUP BY p.segment_id";
  }

  /** One run's model as JSON (a method that keeps one): column model. */
  public static String publishedModel(Dialect dialect, String dataset, String name, String runId) {
    return "SELECT model FROM " + table(dialect, dataset, name + "_model") + " WHERE run_id = "
        + literal(dialect, runId);
  }

  /**
   * A count the published rows of a run must have: {@code expression} over {@code table}'s rows of the run
   * equals {@code expected}, the run's own count.
   */
  public record RowCheck(String table, String expression, long expected) {}

  /**
   * What a published run's tables must hold, from its counts: members, their segments' sizes (summed over every
   * segment the run profiled: the members once for flat segments, once per level of a tree), rejects.
   */
  public static List<RowCheck> rowChecks(String name, RunReport counts) {
    long rejects = counts.entitiesRejected()
        + counts.sources().values().stream().mapToLong(c -> c.getOrDefault("rejected", 0L)).sum();
    return List.of(new RowCheck(name + "_members", "COUNT(*)", counts.members()),
        new RowCheck(name + "_transitions", "COUNT(to_segment_id)", counts.members()),
        new RowCheck(name + "_segments", "COALESCE(SUM(size), 0)",
            counts.segmentSizes().values().stream().mapToLong(Long::longValue).sum()),
        new RowCheck(name + "_rejects", "COUNT(*)", rejects));
  }

  /** The check's query: one value, to compare with what it expects. */
  public static String rowCheckQuery(Dialect dialect, String dataset, RowCheck check, String runId) {
    return "SELECT " + check.expression() + " FROM " + table(dialect, dataset, check.table()) + " WHERE run_id = "
        + literal(dialect, runId);
  }

  /** BigQuery: the check as a script statement that fails the script, and so its transaction. */
  public static String assertRows(String dataset, RowCheck check, String runId) {
    return "ASSERT (" + rowCheckQuery(Dialect.BIGQUERY, dataset, check, runId) + ") = " + check.expected()
        + " AS " + literal(Dialect.BIGQUERY, check.table() + ": " + check.expression() + " of run " + runId
            + " is not the run's count, " + check.expected() + "; nothing was published");
  }

  /**
   * {@code <name>_activation}: the current members a campaign may reach, the control group (holdout) left
   * out; what a reverse-ETL sync reads. With each member, {@code since}: when the current stay in its
   * segment began (the run that moved it there), and {@code previous_segment_id}: where it was before that
   * (NULL for an entity new then). Rows of runs from before the holdout column read NULL there and are
   * reached; runs from before transitions were kept give no {@code since}.
   */
  public static String activationView(Dialect dialect, String dataset, String name, String entity) {
    String e = column(dialect, entity);
    return "CREATE OR REPLACE VIEW " + table(dialect, dataset, name + "_activation") + " AS\n"
        + "SELECT m.* " + (dialect == Dialect.BIGQUERY ? "EXCEPT" : "EXCLUDE") + " (holdout), stay.since,"
        + " stay.previous_segment_id\nFROM " + table(dialect, dataset, name + "_current_members") + " AS m\n"
        + "LEFT JOIN (\n"
        + "  SELECT " + e + ", run_time AS since, from_segment_id AS previous_segment_id,\n"
        + "    ROW_NUMBER() OVER (PARTITION BY " + e + " ORDER BY run_time DESC, run_id DESC) AS latest\n"
        + "  FROM " + table(dialect, dataset, name + "_transitions") + "\n"
        + "  WHERE to_segment_id IS NOT NULL AND from_segment_id IS DISTINCT FROM to_segment_id\n"
        + ") AS stay ON stay." + e + " = m." + e + " AND stay.latest = 1\n"
        + "WHERE m.holdout IS NOT TRUE";
  }

  /** A column name as the dialect quotes it. */
  public static String column(Dialect dialect, String name) {
    return dialect == Dialect.BIGQUERY ? "`" + name + "`" : "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** The columns of {@code <name>_transitions} after the entity, in order. */
  public static final List<String> TRANSITION_COLUMNS =
      List.of("run_id", "run_time", "previous_run_id", "from_segment_id", "to_segment_id");

  /**
   * A run's rows of {@code <name>_transitions}, from the members of the run and of the run it follows: every
   * entity of either, with its segment before (NULL for a new entity) and now (NULL for one that left).
   * Without a previous run every member enters from NULL.
   */
  public static String insertTransitions(Dialect dialect, String dataset, String name, String entity, String runId,
      Instant runTime, java.util.Optional<String> previousRunId) {
    String members = table(dialect, dataset, name + "_members");
    String e = column(dialect, entity);
    String text = dialect == Dialect.BIGQUERY ? "STRING" : "VARCHAR";
    return "INSERT INTO " + table(dialect, dataset, name + "_transitions") + " (" + e + ", "
        + String.join(", ", TRANSITION_COLUMNS) + ")\n"
        + "SELECT COALESCE(cur." + e + ", prev." + e + "), " + literal(dialect, runId) + ", "
        + timestamp(dialect, runTime) + ", "
        + previousRunId.map(p -> literal(dialect, p)).orElse("CAST(NULL AS " + text + ")")
        + ", prev.segment_id, cur.segment_id\n"
        + "FROM (SELECT " + e + ", segment_id FROM " + members + " WHERE run_id = " + literal(dialect, runId)
        + ") AS cur\n"
        + "FULL OUTER JOIN (SELECT " + e + ", segment_id FROM " + members + " WHERE "
        + previousRunId.map(p -> "run_id = " + literal(dialect, p)).orElse("FALSE") + ") AS prev\n"
        + "  ON cur." + e + " = prev." + e;
  }

  /**
   * {@code <name>_movements}: for the latest published run, how many entities went from each previous segment
   * to each segment, and that count's share of the previous segment (NULL segments: entered, left).
   */
  public static String movementsView(Dialect dialect, String dataset, String name) {
    String transitions = table(dialect, dataset, name + "_transitions");
    String segments = table(dialect, dataset, name + "_segments");
    return "CREATE OR REPLACE VIEW " + table(dialect, dataset, name + "_movements") + " AS\n"
        + "SELECT t.previous_run_id, t.run_id, t.from_segment_id, prev.segment_label AS from_segment_label,\n"
        + "  t.to_segment_id, cur.segment_label AS to_segment_label, t.customers,\n"
        + "  t.customers / SUM(t.customers) OVER (PARTITION BY t.from_segment_id) AS share_of_from\n"
        + "FROM (SELECT previous_run_id, run_id, from_segment_id, to_segment_id, COUNT(*) AS customers FROM "
        + transitions + "\n  WHERE run_id = " + latestRun(dialect, dataset, name)
        + "\n  GROUP BY previous_run_id, run_id, from_segment_id, to_segment_id) AS t\n"
        + "LEFT JOIN " + segments + " AS prev ON prev.run_id = t.previous_run_id"
        + " AND prev.segment_id = t.from_segment_id\n"
        + "LEFT JOIN " + segments + " AS cur ON cur.run_id = t.run_id AND cur.segment_id = t.to_segment_id";
  }

  /**
   * {@code <name>_changes}: the entities whose segment the latest published run changed: entered (no previous
   * segment), moved, or left (no segment now), what activation tools sync as audience updates.
   */
  public static String changesView(Dialect dialect, String dataset, String name, String entity) {
    return "CREATE OR REPLACE VIEW " + table(dialect, dataset, name + "_changes") + " AS\n"
        + "SELECT " + column(dialect, entity) + ", run_id, run_time, previous_run_id, from_segment_id, to_segment_id,\n"
        + "  CASE WHEN from_segment_id IS NULL THEN 'entered' WHEN to_segment_id IS NULL THEN 'left'"
        + " ELSE 'moved' END AS change\n"
        + "FROM " + table(dialect, dataset, name + "_transitions") + "\n"
        + "WHERE run_id = " + latestRun(dialect, dataset, name)
        + "\n  AND from_segment_id IS DISTINCT FROM to_segment_id";
  }

  /**
   * Each entity's current segment by its streams: the {@code to_segment} of its change with the highest
   * sequence in the latest stream ({@code run_time}) that changed it. A query, which DuckDB makes a view of
   * and BigQuery is given as a view's definition.
   */
  public static String streamSegments(Dialect dialect, String dataset, String name, String entity) {
    String key = column(dialect, entity);
    return "SELECT " + key + ", to_segment AS segment_label, event_time, sequence, model_run_id, run_id, run_time\n"
        + "FROM " + table(dialect, dataset, name + "_stream_changes") + "\n"
        // BigQuery takes QUALIFY only beside a WHERE, GROUP BY or HAVING.
        + "WHERE TRUE\n"
        + "QUALIFY ROW_NUMBER() OVER (PARTITION BY " + key + " ORDER BY run_time DESC, sequence DESC) = 1";
  }

  private static String latestRun(Dialect dialect, String dataset, String name) {
    return "(SELECT run_id FROM " + table(dialect, dataset, name + "_runs") + " ORDER BY run_time DESC, run_id DESC"
        + " LIMIT 1)";
  }

  /** A TIMESTAMP literal of the dialect: an instant, written in UTC to the microsecond. */
  public static String timestamp(Dialect dialect, Instant instant) {
    String utc = TIMESTAMP.format(instant.truncatedTo(ChronoUnit.MICROS));
    return (dialect == Dialect.BIGQUERY ? "TIMESTAMP '" : "TIMESTAMPTZ '") + utc + "'";
  }
}
