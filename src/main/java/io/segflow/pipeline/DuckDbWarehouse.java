package io.segflow.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Publishes a finished run into the local warehouse, an embedded DuckDB file, with the tables and views a
 * marketer will find in BigQuery: {@code <name>_members}, {@code _segments}, {@code _model},
 * {@code _rejects} and {@code _runs}, keyed by run_id, and the views {@code <name>_current_members} and
 * {@code <name>_current_segments} over the latest run. Everything happens in one transaction: a rerun of
 * a run_id replaces exactly that run's rows, and the views never see a half-published run. Also writes
 * Parquet copies of the run's CSV outputs.
 */
public final class DuckDbWarehouse {
  private static final WarehouseSql.Dialect DUCKDB = WarehouseSql.Dialect.DUCKDB;
  private static final ObjectMapper JSON = new ObjectMapper();

  private DuckDbWarehouse() {}

  /** The tables and views a definition has in the warehouse. */
  public static List<String> objects(String name) {
    return List.of(name + "_members", name + "_segments", name + "_model", name + "_rejects", name + "_transitions",
        name + "_runs", name + "_current_members", name + "_current_segments", name + "_movements", name + "_changes",
        name + "_activation");
  }

  /**
   * Publishes the run in {@code run} (its files and run.json) in one transaction, which is rolled back if
   * the rows loaded are not the rows the run counted ({@code counts}): members, rejects, and the segments'
   * sizes. The files' columns are typed by the {@code catalogue} ({@link SegflowPipeline.Graph#catalogue}).
   */
  public static void publish(Path database, String name, String entity, Path run, RunReport counts,
      List<OutputTables.Table> catalogue) throws IOException, SQLException {
    if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a definition name: " + name);
    }
    JsonNode report = JSON.readTree(run.resolve("run.json").toFile());
    String runId = report.get("run_id").asText();
    if (!runId.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("not a run id: " + runId);
    }
    Files.createDirectories(database.toAbsolutePath().getParent());
    try (Connection db = DuckDbFile.open(database, DuckDbFile.Access.READ_WRITE)) {
      db.setAutoCommit(false);
      try (Statement sql = db.createStatement()) {
        String members = csv(run, OutputTables.find(catalogue, "members"));
        String segments = "SELECT '" + runId + "' AS run_id, * FROM " + csv(run, OutputTables.find(catalogue, "segments"));
        String rejects = "SELECT '" + runId + "' AS run_id, * FROM " + csv(run, OutputTables.find(catalogue, "rejects"));
        replace(sql, name + "_members", "SELECT * FROM " + members, runId);
        replace(sql, name + "_segments", segments, runId);
        replace(sql, name + "_rejects", rejects, runId);
        replaceTransitions(sql, name, entity, report);
        checkLoaded(sql, name, runId, counts);
        for (OutputTables.Table table : List.of(OutputTables.runs(name), OutputTables.model(name))) {
          create(sql, name + "_" + table.suffix(), table);
          sql.execute(WarehouseSql.deleteRun(DUCKDB, "", name + "_" + table.suffix(), runId));
        }
      }
      insert(db, name + "_runs", OutputTables.runs(name), OutputTables.runRow(report));
      Path model = run.resolve("model.json");
      if (Files.exists(model)) {
        insert(db, name + "_model", OutputTables.model(name), OutputTables.modelRow(
            Files.readString(model), runId, report.get("run_time").asText()));
      }
      try (Statement sql = db.createStatement()) {
        sql.execute(WarehouseSql.currentView(DUCKDB, "", name, "members",
            Instant.parse(report.get("run_time").asText())));
        sql.execute(WarehouseSql.currentView(DUCKDB, "", name, "segments", null));
        sql.execute(WarehouseSql.movementsView(DUCKDB, "", name));
        sql.execute(WarehouseSql.changesView(DUCKDB, "", name, entity));
        sql.execute(WarehouseSql.activationView(DUCKDB, "", name, entity));
        for (String format : List.of("parquet", "csv")) {
          sql.execute("COPY (SELECT * FROM " + name + "_transitions WHERE run_id = " + WarehouseSql.literal(DUCKDB, runId)
              + " ORDER BY ALL) TO '" + literal(run.resolve("transitions." + format)) + "' (FORMAT " + format
              + (format.equals("csv") ? ", HEADER" : "") + ")");
        }
        for (String file : List.of("members", "segments", "rejects")) {
          sql.execute("COPY (SELECT * FROM " + csv(run, OutputTables.find(catalogue, file)) + ") TO '"
              + literal(run.resolve(file + ".parquet")) + "' (FORMAT parquet)");
        }
      }
      db.commit();
    }
  }

  /**
   * The published run a new run follows ({@link PublishedRun.Wanted});
   * empty when the warehouse has none. Opened read-only: reading never creates a database.
   */
  public static java.util.Optional<PublishedRun> published(Path database, String name,
      PublishedRun.Wanted wanted) throws IOException, SQLException {
    if (!Files.exists(database)) {
      return java.util.Optional.empty();
    }
    try (Connection db = DuckDbFile.open(database, DuckDbFile.Access.READ_ONLY);
        Statement sql = db.createStatement()) {
      if (!exists(sql, name + "_runs")) {
        return java.util.Optional.empty();
      }
      String id;
      JsonNode report;
      try (ResultSet run = sql.executeQuery(WarehouseSql.publishedRun(DUCKDB, "", name, wanted))) {
        if (!run.next()) {
          return java.util.Optional.empty();
        }
        id = run.getString("run_id");
        report = JSON.readTree(run.getString("report"));
      }
      List<PublishedRun.Segment> segments = new ArrayList<>();
      try (ResultSet rows = sql.executeQuery(WarehouseSql.publishedSegments(DUCKDB, "", name, id))) {
        while (rows.next()) {
          segments.add(new PublishedRun.Segment(rows.getLong(1), rows.getString(2), rows.getLong(3)));
        }
      }
      java.util.Optional<String> model = java.util.Optional.empty();
      if (exists(sql, name + "_model")) {
        try (ResultSet rows = sql.executeQuery(WarehouseSql.publishedModel(DUCKDB, "", name, id))) {
          model = rows.next() ? java.util.Optional.ofNullable(rows.getString(1)) : java.util.Optional.empty();
        }
      }
      PublishedRun.SegmentHistory.Builder history = new PublishedRun.SegmentHistory.Builder();
      try (ResultSet rows = sql.executeQuery(WarehouseSql.segmentHistory(DUCKDB, "", name, wanted.newRunId()))) {
        while (rows.next()) {
          history.add(rows.getLong(1), rows.getString(2), rows.getTimestamp(3).toInstant());
        }
      }
      return java.util.Optional.of(PublishedRun.of(id, report, segments, model, history.build()));
    }
  }

  /**
   * Each member's segment label in the latest published run of {@code name}, by the entity as text: what a
   * live stream's first changes start from. Empty when nothing is published. Opened read-only.
   */
  public static Map<String, String> currentSegments(Path database, String name, String entity) throws SQLException {
    Map<String, String> out = new java.util.HashMap<>();
    if (!Files.exists(database)) {
      return out;
    }
    try (Connection db = DuckDbFile.open(database, DuckDbFile.Access.READ_ONLY);
        Statement sql = db.createStatement()) {
      if (!exists(sql, name + "_current_members")) {
        return out;
      }
      try (ResultSet rows = sql.executeQuery("SELECT CAST(" + quoted(entity) + " AS VARCHAR), segment_label FROM "
          + name + "_current_members")) {
        while (rows.next()) {
          out.put(rows.getString(1), rows.getString(2));
        }
      }
    }
    return out;
  }

  /**
   * Appends a stream's changes (its CSV files, each with a header) to {@code <name>_stream_changes} as the
   * stream {@code streamId} started at {@code started}, and makes the view {@code <name>_stream_segments}
   * of each entity's current streamed segment, in one transaction. Appending the same stream again replaces
   * its rows.
   *
   * @return the changes appended
   */
  public static long appendStreamChanges(Path database, String name, OutputTables.Table changes, List<Path> files,
      String streamId, Instant started) throws IOException, SQLException {
    if (!name.matches("[a-z][a-z0-9_]{0,62}") || !streamId.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("not a definition name and stream id: " + name + ", " + streamId);
    }
    String table = name + "_" + changes.suffix();
    String entity = changes.columns().get(0).name();
    Files.createDirectories(database.toAbsolutePath().getParent());
    try (Connection db = DuckDbFile.open(database, DuckDbFile.Access.READ_WRITE)) {
      db.setAutoCommit(false);
      long appended = 0;
      try (Statement sql = db.createStatement()) {
        create(sql, table, changes);
        sql.execute(WarehouseSql.deleteRun(DUCKDB, "", table, streamId));
        if (!files.isEmpty()) {
          List<String> columns = changes.columns().stream().map(c -> quoted(c.name()))
              .filter(c -> !c.equals(quoted("run_id")) && !c.equals(quoted("run_time"))).toList();
          appended = sql.executeUpdate("INSERT INTO " + table + " (" + String.join(", ", columns) + ", run_id, run_time)"
              + " SELECT " + String.join(", ", columns) + ", " + WarehouseSql.literal(DUCKDB, streamId) + ", "
              + WarehouseSql.timestamp(DUCKDB, started) + " FROM " + csv(files, changes));
        }
        sql.execute("CREATE OR REPLACE VIEW " + name + "_stream_segments AS "
            + WarehouseSql.streamSegments(DUCKDB, "", name, entity));
      }
      db.commit();
      return appended;
    }
  }

  /** Per segment of the previous run, its members whom the new run's members file (in {@code run}) keeps in it. */
  static java.util.Map<Integer, Long> stayed(Path database, String name, String entity, String previousRunId,
      Path run, OutputTables.Table members) throws SQLException, IOException {
    java.util.Map<Integer, Long> out = new java.util.TreeMap<>();
    boolean tree = members.types().containsKey("segment_path");
    try (Connection db = DuckDbFile.open(database, DuckDbFile.Access.READ_ONLY);
        Statement sql = db.createStatement();
        ResultSet rows = sql.executeQuery(WarehouseSql.stayed(DUCKDB, "", name, entity, previousRunId,
            csv(run, members), tree))) {
      while (rows.next()) {
        out.put(rows.getInt(1), rows.getLong(2));
      }
    }
    return out;
  }

  /**
   * The run's rows of {@code <name>_transitions}, from its members and those of the run it follows
   * ({@code previous_run_id} in its report); the table takes its entity's type from the members table.
   */
  private static void replaceTransitions(Statement sql, String name, String entity, JsonNode report)
      throws SQLException {
    String runId = report.get("run_id").asText();
    java.util.Optional<String> previous = report.path("previous_run_id").isTextual()
        ? java.util.Optional.of(report.get("previous_run_id").asText()) : java.util.Optional.empty();
    String e = WarehouseSql.column(DUCKDB, entity);
    createTable(sql, name + "_transitions", described(sql, "SELECT " + e + ", run_id, run_time,"
        + " CAST(NULL AS VARCHAR) AS previous_run_id, segment_id AS from_segment_id, segment_id AS to_segment_id"
        + " FROM " + name + "_members"));
    sql.execute(WarehouseSql.deleteRun(DUCKDB, "", name + "_transitions", runId));
    sql.execute(WarehouseSql.insertTransitions(DUCKDB, "", name, entity, runId,
        Instant.parse(report.get("run_time").asText()), previous));
  }

  private static boolean exists(Statement sql, String table) throws SQLException {
    try (ResultSet rs = sql.executeQuery(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '" + table + "'")) {
      return rs.next() && rs.getLong(1) > 0;
    }
  }

  /** The rows loaded against the run's own counts: a file that lost or gained rows is never published. */
  private static void checkLoaded(Statement sql, String name, String runId, RunReport counts) throws SQLException {
    for (WarehouseSql.RowCheck check : WarehouseSql.rowChecks(name, counts)) {
      try (ResultSet rs = sql.executeQuery(WarehouseSql.rowCheckQuery(DUCKDB, "", check, runId))) {
        rs.next();
        long loaded = rs.getLong(1);
        if (loaded != check.expected()) {
          throw new IllegalStateException(check.table() + ": the run counted " + check.expected()
              + " but its files load " + loaded + " (" + check.expression() + "); nothing was published");
        }
      }
    }
  }

  /**
   * Creates the table from the query's shape if needed, adds the columns a newer segflow writes (earlier
   * runs read NULL there), then replaces the run's rows.
   */
  private static void replace(Statement sql, String table, String query, String runId) throws SQLException {
    Map<String, String> wanted = described(sql, query);
    createTable(sql, table, wanted);
    addMissingColumns(sql, table, wanted);
    sql.execute(WarehouseSql.deleteRun(DUCKDB, "", table, runId));
    sql.execute(WarehouseSql.insertRun(DUCKDB, "", table, query, List.of()));
  }

  /** A query's columns and their DuckDB types, in order. */
  private static Map<String, String> described(Statement sql, String query) throws SQLException {
    Map<String, String> columns = new LinkedHashMap<>();
    try (ResultSet rs = sql.executeQuery("DESCRIBE " + query)) {
      while (rs.next()) {
        columns.put(rs.getString("column_name"), rs.getString("column_type"));
      }
    }
    return columns;
  }

  /**
   * Creates the table with these columns unless it exists. Declared column by column, never as
   * {@code CREATE TABLE ... AS SELECT ... LIMIT 0}: with DuckDB 2.0.0.1, a table made that way inside the
   * publishing transaction then loses a large insert (a 1M-member run loaded 0 rows and was refused), while
   * one declared with its columns keeps it.
   */
  private static void createTable(Statement sql, String table, Map<String, String> columns) throws SQLException {
    List<String> declared = columns.entrySet().stream().map(c -> quoted(c.getKey()) + " " + c.getValue()).toList();
    sql.execute("CREATE TABLE IF NOT EXISTS " + table + " (" + String.join(", ", declared) + ")");
  }

  /** Creates the catalogue's table if needed, and adds the columns a newer segflow has (older rows read NULL). */
  private static void create(Statement sql, String name, OutputTables.Table table) throws SQLException {
    Map<String, String> wanted = new LinkedHashMap<>();
    table.columns().forEach(c -> wanted.put(c.name(), c.type().duckDb()));
    createTable(sql, name, wanted);
    addMissingColumns(sql, name, wanted);
  }

  /** Inserts one catalogue row, each value bound as its column's type. */
  private static void insert(Connection db, String name, OutputTables.Table table, Map<String, Object> row)
      throws SQLException {
    List<String> columns = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (OutputTables.Column c : table.columns()) {
      columns.add(quoted(c.name()));
      values.add(c.type() == OutputTables.Type.TIMESTAMP ? "CAST(? AS TIMESTAMPTZ)" : "?");
    }
    try (PreparedStatement insert = db.prepareStatement("INSERT INTO " + name + " (" + String.join(", ", columns)
        + ") VALUES (" + String.join(", ", values) + ")")) {
      for (int i = 0; i < table.columns().size(); i++) {
        OutputTables.Column c = table.columns().get(i);
        Object v = row.get(c.name());
        if (v == null) {
          insert.setNull(i + 1, java.sql.Types.NULL);
        } else if (v instanceof Number n && c.type() == OutputTables.Type.INTEGER) {
          insert.setLong(i + 1, n.longValue());
        } else if (v instanceof Number n) {
          insert.setDouble(i + 1, n.doubleValue());
        } else if (v instanceof Boolean b) {
          insert.setBoolean(i + 1, b);
        } else {
          insert.setString(i + 1, v.toString());
        }
      }
      insert.execute();
    }
  }

  /** Adds the wanted columns (name to DuckDB type) the table lacks, for tables an older segflow created. */
  private static void addMissingColumns(Statement sql, String table, Map<String, String> wanted) throws SQLException {
    Set<String> existing = new HashSet<>();
    try (ResultSet rs = sql.executeQuery(
        "SELECT column_name FROM information_schema.columns WHERE table_name = '" + table + "'")) {
      while (rs.next()) {
        existing.add(rs.getString(1));
      }
    }
    for (Map.Entry<String, String> column : wanted.entrySet()) {
      if (!existing.contains(column.getKey())) {
        sql.execute("ALTER TABLE " + table + " ADD COLUMN " + quoted(column.getKey()) + " " + column.getValue());
      }
    }
  }

  private static String quoted(String column) {
    return "\"" + column.replace("\"", "\"\"") + "\"";
  }

  /** The column names of one of the run's CSV files. */
  private static List<String> header(Path file) throws IOException {
    try (java.io.BufferedReader lines = Files.newBufferedReader(file)) {
      String first = lines.readLine();
      return first == null ? List.of() : List.of(first.split(","));
    }
  }

  /**
   * The run's file of this catalogue table, every column typed as the catalogue has it: never left to
   * sniffing, which types a STRING entity of digits as a number (a later run's "a7" then cannot load) and a
   * column empty in every row (no centroid shift on a first run) as text. A column the catalogue does not
   * know is a bug: refused, not guessed.
   */
  private static String csv(Path run, OutputTables.Table table) throws IOException {
    return csv(List.of(run.resolve(table.suffix() + ".csv")), table);
  }

  /** CSV files of one header (the first file's) read with the catalogue's types. */
  private static String csv(List<Path> files, OutputTables.Table table) throws IOException {
    Map<String, OutputTables.Type> known = table.types();
    StringBuilder types = new StringBuilder();
    for (String column : header(files.get(0))) {
      OutputTables.Type type = known.get(column);
      if (type == null) {
        throw new IllegalStateException(files.get(0) + ": column " + column + " is not in the " + table.suffix()
            + " table's catalogue " + known.keySet());
      }
      types.append(types.length() == 0 ? "" : ", ").append("'").append(column.replace("'", "''")).append("': '")
          .append(type.duckDb()).append("'");
    }
    List<String> paths = new ArrayList<>();
    files.forEach(f -> paths.add("'" + literal(f) + "'"));
    return "read_csv([" + String.join(", ", paths) + "], header = true, types = {" + types + "})";
  }

  private static String literal(Path path) {
    return path.toAbsolutePath().toString().replace("'", "''");
  }
}
