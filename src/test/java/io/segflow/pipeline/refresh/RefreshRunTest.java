package io.segflow.pipeline.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segflow.cli.SegflowCli;
import io.segflow.transforms.kmeans.KMeansModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refreshes through the command line into DuckDB: ids kept across runs and reruns, new ids for new segments,
 * transitions that balance, and the activation view's stays. Six groups of customers whose events drift a
 * little from the first 30 days to the full 60; some customers' first event comes after day 30.
 */
class RefreshRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double[][] GROUPS = {{10, 10}, {10, 60}, {60, 10}, {60, 60}, {35, 100}, {110, 35}};

  @TempDir Path dir;
  private Path env;

  @BeforeEach
  void data() throws IOException {
    Random random = new Random(7);
    StringBuilder csv = new StringBuilder("customer_id,event_day,x,y\n");
    for (int c = 0; c < 240; c++) {
      double[] centre = GROUPS[c % GROUPS.length];
      int first = c % 8 == 0 ? 40 : 1; // one customer in eight starts after day 30
      for (int day = first; day <= 60; day += 7) {
        double drift = day / 60.0; // later events sit a little farther out
        csv.append("c").append(c).append(',').append(day).append(',')
            .append(centre[0] + drift + random.nextGaussian() * 3).append(',')
            .append(centre[1] + drift + random.nextGaussian() * 3).append('\n');
      }
    }
    Files.writeString(dir.resolve("events.csv"), csv);
    env = dir.resolve("env.yaml");
    Files.writeString(env, "apiVersion: segflow/v1\nname: refresh-test\nrunner: direct\n"
        + "sources: {events: {kind: file, format: csv, path: events.csv}}\noutput: {kind: files, path: out}\n");
  }

  private Path definition(int k) throws IOException {
    return definition(k, "");
  }

  /** The definition with k segments and, when given, a refresh block (one line of YAML flow). */
  private Path definition(int k, String refresh) throws IOException {
    Path def = dir.resolve("groups_k" + k + (refresh.isEmpty() ? "" : "_" + Integer.toHexString(refresh.hashCode()))
        + ".yaml");
    Files.writeString(def, """
        apiVersion: segflow/v1
        name: groups
        description: Customers by where their events sit.
        entity: customer_id
        parameters:
          as_of: {type: INT64, default: 61, description: Events before this day count.}
        sources:
          events:
            columns: {customer_id: STRING, event_day: INT64, x: FLOAT64, y: FLOAT64}
        features:
          sql: |
            SELECT customer_id, AVG(x) AS x, AVG(y) AS y FROM events WHERE event_day < @as_of GROUP BY customer_id
        segmentation:
          method: kmeans
          features: [x, y]
          k: %d
          seed: 5
        %s
        output:
          min_segment_size: 1
        """.formatted(k, refresh.isEmpty() ? "" : "  refresh: " + refresh));
    return def;
  }

  /** The groups as a bisecting tree of k leaves. */
  private Path treeDefinition(int k) throws IOException {
    Path def = dir.resolve("tree_k" + k + ".yaml");
    Files.writeString(def, Files.readString(definition(k)).replace("name: groups", "name: tree")
        .replace("method: kmeans", "method: bisecting_kmeans"));
    return def;
  }

  private String run(Path definition, String runId, String... more) {
    return runExpecting(0, definition, runId, more);
  }

  /** Runs the command line; returns what it printed, out then err. */
  private String runExpecting(int exitCode, Path definition, String runId, String... more) {
    List<String> args = new ArrayList<>(List.of("run", definition.toString(), "--env", env.toString(), "--run-id", runId));
    args.addAll(List.of(more));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = SegflowCli.execute(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    assertEquals(exitCode, exit, out + "\n" + err);
    return out + "\n" + err;
  }

  @Test
  void aWarmStartedRefreshKeepsEverySegmentCloseAndNamesStayWithTheirIds() throws Exception {
    run(definition(6), "r1", "--param", "as_of=31");
    String printed = run(definition(6, "{warm_start: true, segment_names: {0: home_base}}"), "r2");
    JsonNode refresh = JSON.readTree(dir.resolve("out/groups/r2/run.json").toFile()).get("refresh");
    assertEquals("[0,1,2,3,4,5]", refresh.get("kept_segments").toString());
    assertEquals("warm start from the 6 centroids of run r1", refresh.get("start").asText());
    assertTrue(printed.contains("warm start from the 6 centroids of run r1\n"), printed);
    for (JsonNode segment : refresh.get("segments")) {
      // The data drifted by under one unit against a spread of 3: every centroid moved a fraction of one.
      assertTrue(segment.get("centroid_shift").asDouble() < 0.1, segment.toString());
      assertTrue(segment.get("previous_size").asLong() > 0, segment.toString());
    }
    assertTrue(printed.contains("centroid moved"), printed);
    // Events drifted by under a unit: each feature's stability index stays far below a major change (0.25).
    JsonNode stability = refresh.get("feature_stability_index");
    assertEquals(2, stability.size(), stability.toString());
    stability.forEach(psi -> assertTrue(psi.asDouble() >= 0 && psi.asDouble() < 0.25, stability.toString()));
    assertTrue(printed.contains("feature drift (population stability index"), printed);
    try (Connection db = database(); Statement sql = db.createStatement()) {
      assertEquals(List.of("home_base|"), rows(sql, "SELECT segment_label FROM groups_current_segments WHERE segment_id = 0"));
      assertEquals(count(sql, "SELECT COUNT(*) FROM groups_current_members WHERE segment_id = 0"),
          count(sql, "SELECT COUNT(*) FROM groups_current_members WHERE segment_label = 'home_base'"));
    }
    // The name stays with the id on the next refresh, even once the definition no longer gives it.
    run(definition(6), "r3");
    assertEquals(List.of("home_base|"), rows("SELECT segment_label FROM groups_current_segments WHERE segment_id = 0"));
  }

  @Test
  void aTreesNodesKeepTheirIdsAndEveryPathRunsThroughTheRunsSegments() throws Exception {
    Path tree = treeDefinition(6);
    run(tree, "r1", "--param", "as_of=31");
    String printed = run(tree, "r2");
    JsonNode refresh = JSON.readTree(dir.resolve("out/tree/r2/run.json").toFile()).get("refresh");
    assertEquals("[0,1,2,3,4,5,6,7,8,9,10]", refresh.get("kept_segments").toString(), printed);
    try (Connection db = database(); Statement sql = db.createStatement()) {
      assertEquals(11, count(sql, "SELECT COUNT(*) FROM tree_segments WHERE run_id = 'r2'"), "6 leaves, 5 nodes above");
      assertEquals(List.of("0|240|1.0|"), rows(sql, "SELECT depth, size, share FROM tree_segments"
          + " WHERE run_id = 'r2' AND parent_segment_id IS NULL"), "one root, holding every member");
      // Each node above the leaves holds exactly its two children's members.
      assertEquals(List.of(), rows(sql, "SELECT p.segment_id FROM tree_segments p JOIN tree_segments c"
          + " ON c.run_id = p.run_id AND c.parent_segment_id = p.segment_id WHERE p.run_id = 'r2'"
          + " GROUP BY p.segment_id, p.size HAVING COUNT(*) <> 2 OR SUM(c.size) <> p.size"));
      // A member's path runs from the root to its own segment, each step a child of the one before.
      assertEquals(List.of(), rows(sql, "WITH steps AS (SELECT m.customer_id, m.segment_id,"
          + " string_split(m.segment_path, '/') AS ids FROM tree_members m WHERE m.run_id = 'r2')"
          + " SELECT customer_id FROM steps WHERE CAST(ids[len(ids)] AS INTEGER) <> segment_id"
          + " OR len(ids) <> 1 + (SELECT depth FROM tree_segments s WHERE s.run_id = 'r2' AND s.segment_id = steps.segment_id)"
          + " OR EXISTS (SELECT 1 FROM range(1, len(ids)) AS r(i) WHERE NOT EXISTS (SELECT 1 FROM tree_segments s"
          + " WHERE s.run_id = 'r2' AND s.segment_id = CAST(ids[i + 1] AS INTEGER)"
          + " AND s.parent_segment_id = CAST(ids[i] AS INTEGER)))"));
      assertEquals(240, count(sql, "SELECT COUNT(*) FROM tree_members WHERE run_id = 'r2'"));
    }
    // The customers present in both runs all stay under the root.
    for (JsonNode segment : refresh.get("segments")) {
      if (segment.get("segment_id").asInt() == rootId()) {
        assertEquals(1.0, segment.get("stayed_share").asDouble(), 1e-12, segment.toString());
        assertEquals(1.0, segment.get("share").asDouble(), 1e-12, segment.toString());
      }
    }
  }

  @Test
  void densitySegmentsKeepTheirIdsAndNoiseIsMinusOneInEveryRun() throws Exception {
    // Three customers far from every group and from one another: noise whatever the run.
    StringBuilder outliers = new StringBuilder();
    double[][] far = {{250, -120}, {-120, 250}, {260, 260}};
    for (int o = 0; o < far.length; o++) {
      for (int day = 1; day <= 60; day += 7) {
        outliers.append("far").append(o).append(',').append(day).append(',').append(far[o][0]).append(',')
            .append(far[o][1]).append('\n');
      }
    }
    Files.writeString(dir.resolve("events.csv"), outliers, java.nio.file.StandardOpenOption.APPEND);
    Path density = dir.resolve("density.yaml");
    Files.writeString(density, Files.readString(definition(6)).replace("name: groups", "name: density")
        .replace("method: kmeans", "method: dbscan").replace("k: 6", "eps: 0.3\n  min_points: 5"));
    run(density, "r1", "--param", "as_of=31");
    String printed = run(density, "r2");
    JsonNode refresh = JSON.readTree(dir.resolve("out/density/r2/run.json").toFile()).get("refresh");
    assertEquals("[-1,0,1,2,3,4,5]", refresh.get("kept_segments").toString(), printed);
    try (Connection db = database(); Statement sql = db.createStatement()) {
      assertEquals(List.of("-1|", "0|", "1|", "2|", "3|", "4|", "5|"), rows(sql, "SELECT segment_id FROM density_segments"
          + " WHERE run_id = 'r2' ORDER BY segment_id"));
      assertEquals(List.of("noise|3|"), rows(sql, "SELECT segment_label, size FROM density_current_segments"
          + " WHERE segment_id = -1"));
      assertEquals(List.of("far0|", "far1|", "far2|"), rows(sql, "SELECT customer_id FROM density_members"
          + " WHERE run_id = 'r2' AND segment_id = -1 ORDER BY customer_id"));
      // Every group is one segment, the same one in both runs.
      assertEquals(List.of(), rows(sql, "SELECT customer_id FROM density_transitions WHERE run_id = 'r2'"
          + " AND from_segment_id IS NOT NULL AND to_segment_id <> from_segment_id"));
      assertEquals(3, count(sql, "SELECT COUNT(*) FROM density_transitions WHERE run_id = 'r2'"
          + " AND from_segment_id = -1 AND to_segment_id = -1"));
      assertEquals(List.of("6|null|null|null|null|"), rows(sql, "SELECT k, inertia, silhouette, iterations, converged FROM density_model"
          + " WHERE run_id = 'r2'"));
    }
  }

  private int rootId() throws SQLException {
    return Integer.parseInt(rows("SELECT segment_id FROM tree_segments WHERE run_id = 'r2' AND parent_segment_id IS NULL")
        .get(0).replace("|", ""));
  }

  @Test
  void aSegmentThatMovedFurtherThanMaxDriftIsNotPublished() throws Exception {
    run(definition(6), "r1", "--param", "as_of=31");
    String printed = runExpecting(1, definition(6, "{max_drift: {centroid_shift: 0.000001}}"), "r2");
    assertTrue(printed.contains("further than segmentation.refresh.max_drift.centroid_shift (1.0E-6)"), printed);
    assertTrue(printed.contains(" since run r1: the segments changed meaning, so the run was not published"), printed);
    assertEquals(List.of("r1|"), rows("SELECT run_id FROM groups_runs"));
    // The customers who start after day 30 change the features' distributions a little.
    printed = runExpecting(1, definition(6, "{max_drift: {feature_psi: 0.000001}}"), "r2");
    assertTrue(printed.matches("(?s).*feature x has a stability index of 0\\.\\d+, above "
        + "segmentation\\.refresh\\.max_drift\\.feature_psi \\(1\\.0E-6\\).*"), printed);
    assertEquals(List.of("r1|"), rows("SELECT run_id FROM groups_runs"));
    // A generous limit publishes.
    run(definition(6, "{max_drift: {centroid_shift: 2}}"), "r2");
    assertEquals(List.of("r1|", "r2|"), rows("SELECT run_id FROM groups_runs ORDER BY run_id"));
  }

  @Test
  void aMonthLaterEverySegmentKeepsTheIdOfItsNearestPreviousOneAndARerunChangesNothing() throws Exception {
    Path groups = definition(6);
    run(groups, "r1", "--param", "as_of=31");
    run(groups, "r2");
    Map<String, Integer> first = members("r2");
    List<String> firstTransitions = rows("SELECT * EXCLUDE (run_time) FROM groups_transitions WHERE run_id = 'r2' ORDER BY customer_id");
    run(groups, "r2");
    assertEquals(first, members("r2"), "a rerun keeps every member's id");
    assertEquals(firstTransitions, rows("SELECT * EXCLUDE (run_time) FROM groups_transitions WHERE run_id = 'r2' ORDER BY customer_id"));

    // Each segment of r2 has the id of the r1 centroid nearest to its own (the groups are far apart).
    KMeansModel before = model("r1");
    KMeansModel now = model("r2");
    int[] beforeIds = PreviousSegments.of("r1", Map.of(), java.util.Optional.of(modelJson("r1")), Map.of(), -1).modelIds();
    int[] nowIds = PreviousSegments.of("r2", Map.of(), java.util.Optional.of(modelJson("r2")), Map.of(), -1).modelIds();
    for (int c = 0; c < now.k(); c++) {
      double[] moved = SegmentMatching.inSpaceOf(now.centroids()[c], now.preparation(), before.preparation());
      assertEquals(beforeIds[before.nearest(moved)], nowIds[c], "centroid " + c);
    }
    JsonNode refresh = JSON.readTree(dir.resolve("out/groups/r2/run.json").toFile()).get("refresh");
    assertEquals("[0,1,2,3,4,5]", refresh.get("kept_segments").toString());
    assertEquals("[]", refresh.get("new_segments").toString());

    try (Connection db = database(); Statement sql = db.createStatement()) {
      // The transitions balance: out of each previous segment, its members present in both runs.
      assertEquals(List.of(), rows(sql, "SELECT p.segment_id FROM groups_members p WHERE p.run_id = 'r1'"
          + " GROUP BY p.segment_id HAVING COUNT(*) <> (SELECT COUNT(*) FROM groups_transitions t"
          + " WHERE t.run_id = 'r2' AND t.from_segment_id = p.segment_id)"));
      assertEquals(30, count(sql, "SELECT COUNT(*) FROM groups_transitions WHERE run_id = 'r2'"
          + " AND from_segment_id IS NULL"), "the customers whose first event is on day 40 entered");
      assertEquals(30, count(sql, "SELECT COUNT(*) FROM groups_changes WHERE change = 'entered'"));
      assertEquals(240, count(sql, "SELECT SUM(customers) FROM groups_movements"));
      // The share who stayed, as the run reported it before publishing, is the movements' diagonal.
      for (JsonNode segment : refresh.get("segments")) {
        assertEquals(Double.parseDouble(rows(sql, "SELECT share_of_from FROM groups_movements WHERE from_segment_id = "
            + segment.get("segment_id") + " AND to_segment_id = from_segment_id").get(0).replace("|", "")),
            segment.get("stayed_share").asDouble(), 1e-12, segment.toString());
      }
      // Who stayed has been in its segment since r1; who entered, since r2 and from nowhere.
      assertEquals(count(sql, "SELECT COUNT(*) FROM groups_transitions WHERE run_id = 'r2'"
          + " AND from_segment_id = to_segment_id"), count(sql, "SELECT COUNT(*) FROM groups_activation a"
          + " JOIN groups_runs r ON r.run_id = 'r1' AND a.since = r.run_time"));
      assertEquals(30, count(sql, "SELECT COUNT(*) FROM groups_activation a JOIN groups_runs r ON r.run_id = 'r2'"
          + " AND a.since = r.run_time WHERE a.previous_segment_id IS NULL"));
    }
  }

  @Test
  void aSixthSegmentGetsANewIdAndAVanishedOneIsNeverReused() throws Exception {
    run(definition(5), "r1");
    run(definition(6), "r2");
    JsonNode refresh = JSON.readTree(dir.resolve("out/groups/r2/run.json").toFile()).get("refresh");
    assertEquals("[0,1,2,3,4]", refresh.get("kept_segments").toString());
    assertEquals("[5]", refresh.get("new_segments").toString());
    run(definition(5), "r3");
    JsonNode back = JSON.readTree(dir.resolve("out/groups/r3/run.json").toFile()).get("refresh");
    assertEquals(1, back.get("vanished_segments").size(), back.toString());
    run(definition(6), "r4");
    JsonNode again = JSON.readTree(dir.resolve("out/groups/r4/run.json").toFile()).get("refresh");
    assertEquals("[6]", again.get("new_segments").toString(), "an id is never used twice");
    // --previous: matched against r2 instead of the latest (r4 itself is never its own predecessor).
    run(definition(6), "r5", "--previous", "r2");
    assertEquals("r2", JSON.readTree(dir.resolve("out/groups/r5/run.json").toFile()).get("previous_run_id").asText());
  }

  private Map<String, Integer> members(String runId) throws SQLException {
    Map<String, Integer> out = new TreeMap<>();
    try (Connection db = database(); Statement sql = db.createStatement();
        ResultSet r = sql.executeQuery("SELECT customer_id, segment_id FROM groups_members WHERE run_id = '" + runId
            + "'")) {
      while (r.next()) {
        out.put(r.getString(1), r.getInt(2));
      }
    }
    return out;
  }

  private String modelJson(String runId) throws IOException {
    return Files.readString(dir.resolve("out/groups/" + runId + "/model.json"));
  }

  private KMeansModel model(String runId) throws IOException {
    return KMeansModel.fromJson(modelJson(runId));
  }

  private Connection database() throws SQLException {
    return DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("out/warehouse.duckdb"));
  }

  private List<String> rows(String query) throws SQLException {
    try (Connection db = database(); Statement sql = db.createStatement()) {
      return rows(sql, query);
    }
  }

  private static List<String> rows(Statement sql, String query) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet r = sql.executeQuery(query)) {
      int columns = r.getMetaData().getColumnCount();
      while (r.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(r.getObject(i)).append('|');
        }
        out.add(row.toString());
      }
    }
    return out;
  }

  private static long count(Statement sql, String query) throws SQLException {
    try (ResultSet r = sql.executeQuery(query)) {
      r.next();
      return r.getLong(1);
    }
  }
}
