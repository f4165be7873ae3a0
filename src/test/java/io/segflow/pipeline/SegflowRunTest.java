package io.segflow.pipeline;

import io.segflow.compile.CompiledDefinition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.OutputBinding;
import io.segflow.dsl.env.Runner;
import io.segflow.dsl.model.SegmentDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;

/** The run lifecycle as a library call: prepare, launch without waiting, finish with checks and publishing. */
class SegflowRunTest {
  private static final Path FIXTURES = Path.of("src/test/resources/pipeline").toAbsolutePath();

  @Test
  void aRunIsPreparedLaunchedAndFinishedIntoItsFilesAndWarehouse() throws Exception {
    Environment env = Fixtures.environment(FIXTURES.resolve("env.yaml"));
    SegmentDefinition def = Fixtures.definition(FIXTURES.resolve("rules.yaml"), env);
    List<String> steps = new ArrayList<>();
    SegflowRun run = SegflowRun.prepare(new SegflowRun.Request(CompiledDefinition.of(def,
        Map.of("big_spend", "500")), env, Runner.DIRECT, Optional.of("lib-1"), "[local]"), steps::add);
    assertEquals("lib-1", run.runId());
    PipelineResult launched = run.launch();
    SegflowRun.Outcome outcome = run.finish(launched);

    assertTrue(outcome.report().balanced());
    assertEquals(20, outcome.report().members());
    Path files = outcome.files().orElseThrow();
    assertTrue(Files.exists(files.resolve("members.csv")) && Files.exists(files.resolve("run.json")));
    assertTrue(Files.readString(files.resolve("run.json")).contains("\"big_spend\" : \"500.0\""),
        "the run records the parameters it ran with");
    assertTrue(steps.contains("pipeline done") && steps.stream().anyMatch(s -> s.startsWith("rules done: 20 rows")),
        steps.toString());
    Path warehouse = ((OutputBinding.Files) env.output()).warehouse();
    assertEquals(outcome.publishedInto(), warehouse + " (" + String.join(", ", DuckDbWarehouse.objects(def.name())) + ")");
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + warehouse.toAbsolutePath());
        Statement sql = db.createStatement();
        ResultSet rows = sql.executeQuery("SELECT members FROM pipeline_rules_runs WHERE run_id = 'lib-1'")) {
      assertTrue(rows.next(), "the run is published");
      assertEquals(20, rows.getLong(1));
    }
  }

  @Test
  void aRunWithASegmentBelowTheMinimumIsNotPublishedAndKeepsItsFiles() throws Exception {
    Environment env = Fixtures.environment(FIXTURES.resolve("env.yaml"));
    SegmentDefinition def = Fixtures.definition(FIXTURES.resolve("rules.yaml"), env);
    SegmentDefinition strict = def.withOutput(new io.segflow.dsl.model.OutputSpec(7, true, 7));
    SegflowRun run = SegflowRun.prepare(new SegflowRun.Request(CompiledDefinition.of(strict), env, Runner.DIRECT,
        Optional.of("lib-small"), "[local]"), step -> {});
    SegflowRun.Failure failure = assertThrows(SegflowRun.Failure.class, () -> run.finish(run.launch()));
    assertTrue(failure.getMessage().contains("fewer than output.min_segment_size (7); the run was not published"),
        failure.getMessage());
    Path kept = failure.keptFiles().orElseThrow();
    assertTrue(Files.exists(kept.resolve("run.json")) && Files.exists(kept.resolve("segments.csv")));
    Path warehouse = ((OutputBinding.Files) env.output()).warehouse();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + warehouse.toAbsolutePath());
        Statement sql = db.createStatement();
        ResultSet rows = sql.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'pipeline_rules_runs'")) {
      rows.next();
      if (rows.getLong(1) > 0) {
        try (ResultSet runs = sql.executeQuery("SELECT count(*) FROM pipeline_rules_runs WHERE run_id = 'lib-small'")) {
          runs.next();
          assertEquals(0, runs.getLong(1), "not published");
        }
      }
    }
  }

  @Test
  void dataflowWithoutItsSettingsFailsBeforeAnythingRuns() {
    Environment env = Fixtures.environment(FIXTURES.resolve("env.yaml"));
    SegmentDefinition def = Fixtures.definition(FIXTURES.resolve("rules.yaml"), env);
    SegflowRun.Failure failure = assertThrows(SegflowRun.Failure.class, () -> SegflowRun.prepare(
        new SegflowRun.Request(CompiledDefinition.of(def), env, Runner.DATAFLOW, Optional.empty(), "[local]"), step -> {}));
    assertTrue(failure.getMessage().startsWith("--runner dataflow needs gcp: and dataflow: settings in environment "
        + "pipeline-test"), failure.getMessage());
  }
}
