package io.segflow.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
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
  private static final String REJECT_COLUMNS = "{'stage': 'VARCHAR', 'source': 'VARCHAR', 'file': 'VARCHAR', "
      + "'line': 'BIGINT', 'entity': 'VARCHAR', 'record': 'VARCHAR', 'reason': 'VARCHAR'}";

  private DuckDbWarehouse() {}

  /** The tables and views a definition has in the warehouse. */
  public static List<String> objects(String name) {
    return List.of(name + "_members", name + "_segments", name + "_model", name + "_rejects", name + "_runs",
        name + "_current_members", name + "_current_segments");
  }

  public static void publish(Path database, String name, Path run) throws IOException, SQLException {
    if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a definition name: " + name);
    }
    JsonNode report = JSON.readTree(run.resolve("run.json").toFile());
    String runId = report.get("run_id").asText();
    if (!runId.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("not a run id: " + runId);
    }
    Files.createDirectories(database.toAbsolutePath().getParent());
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + database.toAbsolutePath())) {
      db.setAutoCommit(false);
      try (Statement sql = db.createStatement()) {
        String members = csv(run, "members", "types={'segment_id': 'INTEGER', 'distance': 'DOUBLE', 'margin': 'DOUBLE', "
            + "'run_id': 'VARCHAR', 'run_time': 'TIMESTAMPTZ'}");
        String segments = "SELECT '" + runId + "' AS run_id, * FROM " + csv(run, "segments", "");
        String rejects = "SELECT '" + runId + "' AS run_id, * FROM " + csv(run, "rejects", "columns=" + REJECT_COLUMNS);
        replace(sql, name + "_members", "SELECT * FROM " + members, runId);
        replace(sql, name + "_segments", segments, runId);
        replace(sql, name + "_rejects", rejects, runId);
        sql.execute("CREATE TABLE IF NOT EXISTS " + name + "_runs (run_id VARCHAR, run_time TIMESTAMPTZ, "
            + "definition VARCHAR, environment VARCHAR, runner VARCHAR, seconds DOUBLE, entities_featured BIGINT, "
            + "members BIGINT, entities_rejected BIGINT, balanced BOOLEAN, report JSON)");
        sql.execute("CREATE TABLE IF NOT EXISTS " + name + "_model (run_id VARCHAR, k INTEGER, inertia DOUBLE, "
            + "silhouette DOUBLE, davies_bouldin DOUBLE, calinski_harabasz DOUBLE, points BIGINT, passes INTEGER, "
            + "iterations INTEGER, converged BOOLEAN, seed BIGINT, model JSON)");
        sql.execute(WarehouseSql.deleteRun(DUCKDB, "", name + "_runs", runId));
        sql.execute(WarehouseSql.deleteRun(DUCKDB, "", name + "_model", runId));
      }
      insertRun(db, name, report);
      Path model = run.resolve("model.json");
      if (Files.exists(model)) {
        insertModel(db, name, runId, Files.readString(model));
      }
      try (Statement sql = db.createStatement()) {
        sql.execute(WarehouseSql.currentView(DUCKDB, "", name, "members",
            Instant.parse(report.get("run_time").asText())));
        sql.execute(WarehouseSql.currentView(DUCKDB, "", name, "segments", null));
        for (String file : List.of("members", "segments", "rejects")) {
          sql.execute("COPY (SELECT * FROM " + csv(run, file, file.equals("rejects") ? "columns=" + REJECT_COLUMNS : "")
              + ") TO '" + literal(run.resolve(file + ".parquet")) + "' (FORMAT parquet)");
        }
      }
      db.commit();
    }
  }

  /**
   * Creates the table from the query's shape if needed, adds the columns a newer segflow writes (earlier
   * runs read NULL there), then replaces the run's rows.
   */
  private static void replace(Statement sql, String table, String query, String runId) throws SQLException {
    sql.execute("CREATE TABLE IF NOT EXISTS " + table + " AS " + query + " LIMIT 0");
    Set<String> existing = new HashSet<>();
    try (ResultSet columns = sql.executeQuery(
        "SELECT column_name FROM information_schema.columns WHERE table_name = '" + table + "'")) {
      while (columns.next()) {
        existing.add(columns.getString(1));
      }
    }
    Map<String, String> wanted = new LinkedHashMap<>();
    try (ResultSet columns = sql.executeQuery("DESCRIBE " + query)) {
      while (columns.next()) {
        wanted.put(columns.getString("column_name"), columns.getString("column_type"));
      }
    }
    for (Map.Entry<String, String> column : wanted.entrySet()) {
      if (!existing.contains(column.getKey())) {
        sql.execute("ALTER TABLE " + table + " ADD COLUMN \"" + column.getKey().replace("\"", "\"\"") + "\" "
            + column.getValue());
      }
    }
    sql.execute(WarehouseSql.deleteRun(DUCKDB, "", table, runId));
    sql.execute(WarehouseSql.insertRun(DUCKDB, "", table, query, List.of()));
  }

  private static void insertRun(Connection db, String name, JsonNode r) throws SQLException {
    try (PreparedStatement insert = db.prepareStatement("INSERT INTO " + name
        + "_runs VALUES (?, CAST(? AS TIMESTAMPTZ), ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, r.get("run_id").asText());
      insert.setString(2, r.get("run_time").asText());
      insert.setString(3, r.get("definition").asText());
      insert.setString(4, r.get("environment").asText());
      insert.setString(5, r.get("runner").asText());
      insert.setDouble(6, r.get("seconds").asDouble());
      insert.setLong(7, r.get("entities_featured").asLong());
      insert.setLong(8, r.get("members").asLong());
      insert.setLong(9, r.get("entities_rejected").asLong());
      insert.setBoolean(10, r.get("balanced").asBoolean());
      insert.setString(11, r.toString());
      insert.execute();
    }
  }

  private static void insertModel(Connection db, String name, String runId, String json) throws SQLException, IOException {
    JsonNode m = JSON.readTree(json);
    try (PreparedStatement insert = db.prepareStatement("INSERT INTO " + name
        + "_model VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, runId);
      insert.setInt(2, m.get("k").asInt());
      insert.setDouble(3, m.get("inertia").asDouble());
      insert.setDouble(4, m.get("silhouette").asDouble());
      insert.setDouble(5, m.get("daviesBouldin").asDouble());
      insert.setDouble(6, m.get("calinskiHarabasz").asDouble());
      insert.setLong(7, m.get("points").asLong());
      insert.setInt(8, m.get("passes").asInt());
      insert.setInt(9, m.get("iterations").asInt());
      insert.setBoolean(10, m.get("converged").asBoolean());
      insert.setLong(11, m.get("seed").asLong());
      insert.setString(12, m.toString());
      insert.execute();
    }
  }

  private static String csv(Path run, String file, String options) {
    return "read_csv('" + literal(run.resolve(file + ".csv")) + "', header = true" + (options.isEmpty() ? "" : ", " + options) + ")";
  }

  private static String literal(Path path) {
    return path.toAbsolutePath().toString().replace("'", "''");
  }
}
