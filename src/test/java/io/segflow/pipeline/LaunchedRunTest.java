package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.compile.CompiledDefinition;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.OutputBinding;
import io.segflow.dsl.env.Runner;
import io.segflow.dsl.model.SegmentDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segflow publish}'s lifecycle: a run launched by one process and left running (as a Flex Template
 * leaves it) is rebuilt by another from its kept launch alone, and checked and published as it was launched:
 * its run id and time, the run it followed, its parameters. Here the job is a DirectRunner run launched in the
 * test; {@link DataflowJobMetricsTest} covers what a Dataflow job's metrics become.
 */
class LaunchedRunTest {
  private static final Path FIXTURES = Path.of("src/test/resources/pipeline").toAbsolutePath();

  @Test
  void aLaunchedRunIsPublishedByAnotherProcessAsItWasLaunched(@TempDir Path dir) throws Exception {
    Environment env = environment(dir);
    SegmentDefinition def = Fixtures.definition(FIXTURES.resolve("rules.yaml"), env);
    SegflowRun first = SegflowRun.prepare(new SegflowRun.Request(CompiledDefinition.of(def), env, Runner.DIRECT,
        Optional.of("first"), "[local]"), step -> {});
    first.finish(first.launch());

    // The launcher: prepares, launches, keeps the launch and returns without waiting.
    SegflowRun launcher = SegflowRun.prepare(new SegflowRun.Request(CompiledDefinition.of(def, Map.of("big_spend", "500")),
        env, Runner.DIRECT, Optional.of("second"), "[local]"), step -> {});
    PipelineResult job = launcher.launch();
    RunLaunch launch = launcher.launched("job-2026-12-07_05_00_00-1234");
    launch.write(launches(dir, "second"));
    assertEquals(Optional.of("first"), launch.previousRunId());

    // The publisher: the definition with its defaults, the run id, and nothing else from the launcher.
    List<String> steps = new ArrayList<>();
    List<String> asked = new ArrayList<>();
    SegflowRun.Outcome outcome = LaunchedRun.publish(CompiledDefinition.of(def), env, "second", launches(dir, "second"),
        Runner.DIRECT, jobId -> {
          asked.add(jobId);
          return job;
        }, steps::add);
    assertEquals(List.of("job-2026-12-07_05_00_00-1234"), asked);
    assertEquals("second", outcome.runId());
    assertTrue(steps.contains("rebuilt run second as launched; its job is job-2026-12-07_05_00_00-1234"), steps.toString());
    assertTrue(outcome.report().balanced());
    String report = Files.readString(outcome.files().orElseThrow().resolve("run.json"));
    assertTrue(report.contains("\"big_spend\" : \"500.0\""), "compiled with the launch's parameters: " + report);
    assertTrue(report.contains("\"previous_run_id\" : \"first\""), report);
    try (Connection db = DuckDbFile.open(((OutputBinding.Files) env.output()).warehouse(), DuckDbFile.Access.READ_ONLY);
        Statement sql = db.createStatement();
        ResultSet runs = sql.executeQuery("SELECT run_time, json_extract_string(report, '$.previous_run_id') FROM pipeline_rules_runs WHERE run_id = 'second'");
        Statement sql2 = db.createStatement();
        ResultSet members = sql2.executeQuery("SELECT DISTINCT run_time FROM pipeline_rules_members WHERE run_id = 'second'")) {
      assertTrue(runs.next(), "published");
      assertEquals(launch.runTime(), runs.getTimestamp(1).toInstant(), "the launch's run time, not the publisher's");
      assertEquals("first", runs.getString(2));
      assertTrue(members.next());
      assertEquals(launch.runTime(), members.getTimestamp(1).toInstant(), "the rows the job wrote carry that time");
    }

    SegflowRun.Failure again = assertThrows(SegflowRun.Failure.class, () -> LaunchedRun.publish(CompiledDefinition.of(def),
        env, "second", launches(dir, "second"), Runner.DIRECT, jobId -> job, step -> {}));
    assertTrue(again.getMessage().contains("run second of pipeline_rules is already published in "), again.getMessage());
    SegflowRun.Failure unknown = assertThrows(SegflowRun.Failure.class, () -> LaunchedRun.publish(
        CompiledDefinition.of(def), env, "third", launches(dir, "third"), Runner.DIRECT, jobId -> job, step -> {}));
    assertTrue(unknown.getMessage().startsWith("no launch of run third of pipeline_rules at " + launches(dir, "third")
        + ": segflow run --runner dataflow and the Flex Template keep one there"), unknown.getMessage());
    assertEquals("gs://test-bucket/tmp/segflow/launches/pipeline_rules/third.json",
        RunLaunch.location(env, "pipeline_rules", "third"), "where a Dataflow run's launch is kept");
    // A launch copied to another run's place is not taken for it.
    java.nio.file.Files.copy(Path.of(launches(dir, "second")), Path.of(launches(dir, "fourth")));
    SegflowRun.Failure misplaced = assertThrows(SegflowRun.Failure.class, () -> LaunchedRun.publish(
        CompiledDefinition.of(def), env, "fourth", launches(dir, "fourth"), Runner.DIRECT, jobId -> job, step -> {}));
    assertTrue(misplaced.getMessage().endsWith(" is the launch of run second of pipeline_rules, not of run fourth of "
        + "pipeline_rules; nothing was published"), misplaced.getMessage());
  }

  @Test
  void aDefinitionEditedSinceTheLaunchIsNotPublished(@TempDir Path dir) throws Exception {
    Environment env = environment(dir);
    Path file = Files.copy(FIXTURES.resolve("rules.yaml"), dir.resolve("rules.yaml"));
    SegmentDefinition def = Fixtures.definition(file, env);
    SegflowRun launcher = SegflowRun.prepare(new SegflowRun.Request(CompiledDefinition.of(def), env, Runner.DIRECT,
        Optional.of("edited"), "[local]"), step -> {});
    PipelineResult job = launcher.launch();
    launcher.launched("job-1").write(launches(dir, "edited"));
    job.waitUntilFinish();
    Files.writeString(file, Files.readString(file).replace("default: one_off", "default: someone_else"));
    SegmentDefinition edited = Fixtures.definition(file, env);

    SegflowRun.Failure failure = assertThrows(SegflowRun.Failure.class, () -> LaunchedRun.publish(
        CompiledDefinition.of(edited), env, "edited", launches(dir, "edited"), Runner.DIRECT, jobId -> job, step -> {}));
    assertTrue(failure.getMessage().startsWith(file + " has changed since run edited was launched"), failure.getMessage());
    assertTrue(failure.getMessage().endsWith("nothing was published"), failure.getMessage());
  }

  @Test
  void aLaunchIsReadBackAsWrittenAndAMalformedOneNamesItsField(@TempDir Path dir) throws Exception {
    RunLaunch launch = new RunLaunch("pipeline_rules", "r1", java.time.Instant.parse("2026-12-07T05:00:00.123456Z"),
        Optional.empty(), Map.of("big_spend", "500.0"), RunLaunch.digest("text"), "job-1");
    String where = dir.resolve("launch.json").toString();
    launch.write(where);
    assertEquals(Optional.of(launch), RunLaunch.read(where));
    assertEquals(Optional.empty(), RunLaunch.read(dir.resolve("none.json").toString()));
    Files.writeString(dir.resolve("bad.json"), launch.toJson().replace("\"job_id\"", "\"job\""));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunLaunch.read(dir.resolve("bad.json").toString()));
    assertEquals(dir.resolve("bad.json") + ": job_id is missing", e.getMessage());
  }

  /** The pipeline fixtures' environment with a temp location and its outputs in {@code dir}. */
  private static Environment environment(Path dir) throws Exception {
    Files.copy(FIXTURES.resolve("orders.csv"), dir.resolve("orders.csv"));
    Path env = Files.writeString(dir.resolve("env.yaml"), """
        apiVersion: segflow/v1
        name: launched-test
        runner: direct
        gcp: {project: test-project, temp_location: gs://test-bucket/tmp/}
        sources:
          orders: {kind: file, format: csv, path: orders.csv, timestamp_format: "yyyy-MM-dd HH:mm:ss"}
        output: {kind: files, path: out}
        """);
    return Fixtures.environment(env);
  }

  /** Where the test keeps launches: a local folder in place of the temp location's bucket. */
  private static String launches(Path dir, String runId) {
    return dir.resolve("tmp/segflow/launches/pipeline_rules/" + runId + ".json").toString();
  }
}
