package io.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line's contract: output streams, formats and exit codes. */
class SegflowCliTest {
  private static final String TEST_ENV = "src/test/resources/dsl/env/test.yaml";
  private static final String K_STRING = "src/test/resources/dsl/invalid/SF104_k_string.yaml";

  private record Run(int exit, String out, String err) {
    List<String> outLines() {
      return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = SegflowCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void versionNamesSegflowAndBeam() {
    Run r = run("--version");
    assertEquals(0, r.exit);
    assertTrue(r.out.matches("(?s)segflow \\d+\\.\\d+\\.\\d+.*Apache Beam 2\\.70\\.0.*"), r.out);
  }

  @Test
  void theExamplesValidateWithExitZeroAndNothingOnStdout() {
    Run r = run("validate", "segment-definitions/");
    assertEquals(0, r.exit, r.err);
    assertEquals("", r.out);
    assertTrue(r.err.contains("validated 10 definitions against environment local: 0 errors, 0 warnings"), r.err);
  }

  @Test
  void anInvalidDefinitionPrintsOneLocatedLineAndExitsOne() {
    Run r = run("validate", "--env", TEST_ENV, K_STRING);
    assertEquals(1, r.exit);
    assertEquals(List.of(K_STRING + ":22:6: error[SF104] segmentation.k: must be an integer from 2 to 100 or a "
        + "mapping with keys min, max, select, min_segment_share, got \"five\""), r.outLines());
  }

  @Test
  void jsonFormatPrintsOneObjectPerProblem() throws Exception {
    Run r = run("validate", "--env", TEST_ENV, "--format", "json", K_STRING, "src/test/resources/dsl/invalid/SF105_typo_columns.yaml");
    assertEquals(1, r.exit);
    assertEquals(3, r.outLines().size(), r.out);
    JsonNode first = new ObjectMapper().readTree(r.outLines().get(0));
    assertEquals(K_STRING, first.get("file").asText());
    assertEquals(22, first.get("line").asInt());
    assertEquals(6, first.get("column").asInt());
    assertEquals("error", first.get("severity").asText());
    assertEquals("SF104", first.get("code").asText());
    assertEquals("segmentation.k", first.get("field").asText());
  }

  @Test
  void githubFormatPrintsWorkflowAnnotations() {
    Run r = run("validate", "--env", TEST_ENV, "--format", "github", K_STRING);
    assertEquals(1, r.exit);
    assertEquals("::error file=" + K_STRING + ",line=22,col=6,title=SF104 segmentation.k::must be an integer "
        + "from 2 to 100 or a mapping with keys min, max, select, min_segment_share, got \"five\"", r.outLines().get(0));
  }

  @Test
  void aMissingFileIsInvalidInput() {
    Run r = run("validate", "no/such/definition.yaml");
    assertEquals(1, r.exit);
    assertEquals(List.of("no/such/definition.yaml:1:1: error[SF100] file does not exist"), r.outLines());
  }

  @Test
  void anUnknownEnvironmentIsReportedOnce() {
    Run r = run("validate", "--env", "mars", "segment-definitions/");
    assertEquals(1, r.exit);
    assertEquals(1, r.outLines().size(), r.out);
    assertTrue(r.outLines().get(0).startsWith("mars:1:1: error[SF402] --env: no environment named 'mars'"), r.out);
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(2, run().exit);
    assertEquals(2, run("validate").exit);
    assertEquals(2, run("validate", "--format", "xml", K_STRING).exit);
    assertEquals(2, run("frobnicate").exit);
    assertEquals(2, run("validate", "--no-such-option", K_STRING).exit);
  }

  @Test
  void runPrintsTheSegmentsTheAccountingAndTheOutputs() throws Exception {
    Run r = run("run", "src/test/resources/pipeline/rules.yaml", "--env", "src/test/resources/pipeline/env.yaml",
        "--run-id", "cli-test");
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("source orders: 76 rows read = 73 used + 3 rejected"), r.out);
    assertTrue(r.out.contains("entities: 20 with features = 20 members + 0 rejected"), r.out);
    assertTrue(r.out.matches("(?s).*\\n +\\d+  big +8  40\\.0%.*"), r.out);
    java.nio.file.Path outputs = java.nio.file.Path.of("target/segflow-pipeline-test/pipeline_rules/cli-test");
    JsonNode report = new ObjectMapper().readTree(outputs.resolve("run.json").toFile());
    assertTrue(report.get("balanced").asBoolean());
    assertEquals(3, report.get("rejects_by_reason").size());
    assertTrue(r.err.contains("] pipeline done"), r.err);
    for (String stage : List.of("read orders done: 73 rows", "features done: 20 rows", "rules done: 20 rows",
        "segment profiles done: 3 rows")) {
      assertTrue(r.err.contains("s] " + stage + "\n"), stage + " in:\n" + r.err);
    }
    assertEquals("1000.0", report.get("parameters").get("big_spend").asText());
    assertEquals(20, report.get("stages").get("features").get("rows").asLong());
    assertTrue(report.get("stages").get("segment profiles").get("seconds").asDouble() > 0);
  }

  @Test
  void paramOverridesADefaultAndTheRunRecordsIt() throws Exception {
    Run r = run("run", "src/test/resources/pipeline/rules.yaml", "--env", "src/test/resources/pipeline/env.yaml",
        "--run-id", "cli-param", "--param", "big_spend=1e9");
    assertEquals(0, r.exit, r.err);
    assertTrue(!r.out.contains(" big "), "nobody spends a billion:\n" + r.out);
    JsonNode report = new ObjectMapper().readTree(java.nio.file.Path.of(
        "target/segflow-pipeline-test/pipeline_rules/cli-param/run.json").toFile());
    assertEquals("1.0E9", report.get("parameters").get("big_spend").asText());
  }

  @Test
  void aColumnNamedLikeAReservedWordIsExplainedWithTheQuotingThatFixesIt() {
    Run r = run("validate", "src/test/resources/dsl/invalid/SF301_reserved_word_column.yaml", "--env",
        "src/test/resources/dsl/env/test.yaml");
    assertEquals(1, r.exit, r.out + r.err);
    assertTrue(r.out.contains(":13:71: error[SF301] features.sql: syntax error: Encountered \"day\"; day is a "
        + "reserved word of SQL: to mean a column or alias named so, quote it as `day`"), r.out);
  }

  @Test
  void theProdExampleValidatesAndSaysWhatItCouldNotCheckWithoutCredentials() {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.segflow.pipeline.BigQueryRun.missingCredentials().isPresent(),
        "this machine has Google credentials; the live check would call BigQuery");
    Run r = run("validate", "segment-definitions/", "--env", "prod");
    assertEquals(0, r.exit, r.out + r.err);
    assertTrue(r.err.contains("skipped checking the BigQuery source tables of environment prod against BigQuery: "
        + "no Google credentials"), r.err);
    r = run("run", "segment-definitions/online_retail_rfm_kmeans.yaml", "--env", "prod");
    assertEquals(1, r.exit, r.err);
    assertTrue(r.err.contains("environment prod uses Google Cloud, but there are no Google credentials"), r.err);
    assertTrue(r.err.contains("nothing was run"), r.err);
  }

  @Test
  void publishFinishesOnlyDataflowLaunchesAndSaysWhatItNeeds() {
    Run local = run("publish", "src/test/resources/pipeline/rules.yaml", "--env", "src/test/resources/pipeline/env.yaml",
        "--run-id", "20261207T050000Z");
    assertEquals(1, local.exit, local.out + local.err);
    assertTrue(local.err.contains("segflow publish: segflow publish finishes runs launched on Dataflow, and environment "
        + "pipeline-test"), local.err);
    assertTrue(local.err.contains("has no gcp: and dataflow: settings; segflow run publishes its own runs"), local.err);

    Run badId = run("publish", "src/test/resources/pipeline/rules.yaml", "--env", "src/test/resources/pipeline/env.yaml",
        "--run-id", "run 1");
    assertEquals(2, badId.exit);
    assertTrue(badId.err.contains("--run-id must be 1 to 64 letters, digits, '.', '_' or '-', got 'run 1'"), badId.err);
    Run noId = run("publish", "src/test/resources/pipeline/rules.yaml");
    assertEquals(2, noId.exit);
    assertTrue(noId.err.contains("Missing required option: '--run-id=ID'"), noId.err);

    org.junit.jupiter.api.Assumptions.assumeTrue(io.segflow.pipeline.BigQueryRun.missingCredentials().isPresent(),
        "this machine has Google credentials; publish would read the launch from Cloud Storage");
    Run prod = run("publish", "segment-definitions/online_retail_rfm_kmeans.yaml", "--env", "prod",
        "--run-id", "20261207T050000Z");
    assertEquals(1, prod.exit, prod.out + prod.err);
    assertTrue(prod.err.contains("segflow publish: environment prod uses Google Cloud, but there are no Google "
        + "credentials"), prod.err);
    assertTrue(prod.err.contains("nothing was published"), prod.err);
  }

  @Test
  void aBadParamIsAUsageError() {
    Run r = run("run", "src/test/resources/pipeline/rules.yaml", "--env", "src/test/resources/pipeline/env.yaml",
        "--param", "big_spend=lots");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("--param big_spend: 'lots' is not a finite number (FLOAT64), e.g. 0.25"), r.err);
    r = run("plan", "src/test/resources/pipeline/rules.yaml", "--env", "src/test/resources/pipeline/env.yaml",
        "--param", "bigspend=1");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("--param bigspend: the definition has no parameter 'bigspend'; it declares big_spend"), r.err);
  }

  @Test
  void theDefaultMinimumSizeProtectsPeopleAndSaysSo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path def = dir.resolve("rules.yaml");
    String rules = java.nio.file.Files.readString(java.nio.file.Path.of("src/test/resources/pipeline/rules.yaml"));
    java.nio.file.Files.writeString(def, rules.substring(0, rules.indexOf("output:"))
        .replace("name: pipeline_rules", "name: pipeline_rules_default"));
    Run r = run("run", def.toString(), "--env", "src/test/resources/pipeline/env.yaml", "--run-id", "default-size");
    assertEquals(1, r.exit, r.err);
    assertTrue(r.err.contains("fewer than output.min_segment_size (100, the default: audiences this small come "
        + "close to naming people"), r.err);
    assertTrue(!r.err.contains("published into"), r.err);
  }

  @Test
  void aSegmentBelowTheMinimumSizeFailsTheRunAndIsNotPublished(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path def = dir.resolve("rules.yaml");
    java.nio.file.Files.writeString(def, java.nio.file.Files.readString(java.nio.file.Path.of(
        "src/test/resources/pipeline/rules.yaml")).replace("name: pipeline_rules", "name: pipeline_rules_min")
        .replace("min_segment_size: 1 ", "min_segment_size: 7 "));
    Run r = run("run", def.toString(), "--env", "src/test/resources/pipeline/env.yaml", "--run-id", "too-small");
    assertEquals(1, r.exit, r.err);
    assertTrue(r.err.contains("segment 1 'repeat' has 6 members; segment 2 'one_off' has 6 members, fewer than "
        + "output.min_segment_size (7); the run was not published"), r.err);
    assertTrue(!r.err.contains("published into"), r.err);
  }

  @Test
  void planPrintsSourcesStagesAndOutputsWithoutRunning() {
    Run r = run("plan", "src/test/resources/pipeline/kmeans.yaml", "--env", "src/test/resources/pipeline/env.yaml");
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.startsWith("plan of pipeline_kmeans on environment pipeline-test (runner direct)"), r.out);
    assertTrue(r.out.contains("  orders (3 columns) <- csv "), r.out);
    List<String> stages = List.of("Read[orders]", "Features[pipeline_kmeans]", "Segment[kmeans]", "Members", "Profile",
        "WriteMembers", "WriteModel");
    int last = -1;
    for (String stage : stages) {
      int at = r.out.indexOf(". " + stage + "  (");
      assertTrue(at > last, stage + " missing or out of order in:\n" + r.out);
      last = at;
    }
    assertTrue(r.out.contains("pipeline_kmeans_current_members"), r.out);
    assertEquals(1, run("plan", "--env", TEST_ENV, K_STRING).exit);
  }

  @Test
  void runOfAnInvalidDefinitionRunsNothingAndExitsOne() {
    Run r = run("run", "--env", TEST_ENV, K_STRING);
    assertEquals(1, r.exit);
    assertTrue(r.out.startsWith(K_STRING + ":22:6: error[SF104]"), r.out);
    assertTrue(r.err.contains("is not valid; nothing was run"), r.err);
  }

  @Test
  void aRunThatFailsSaysWhyWithoutAStackTrace(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("orders.csv"), "customer_id,total\nc1,1\n");
    java.nio.file.Files.writeString(dir.resolve("env.yaml"), "apiVersion: segflow/v1\nname: broken\nrunner: direct\n"
        + "sources: {orders: {kind: file, format: csv, path: orders.csv}}\noutput: {kind: files, path: out}\n");
    Run r = run("run", "src/test/resources/pipeline/rules.yaml", "--env", dir.resolve("env.yaml").toString());
    assertEquals(1, r.exit, r.err);
    assertTrue(r.err.contains("segflow run: the pipeline failed: source orders: ") && r.err.contains("has no column 'amount'"), r.err);
    assertTrue(!r.err.contains("\tat "), "no stack trace: " + r.err);
    // What the failed pipeline had written is gone: no run id's folder is left behind, and the message says so.
    assertTrue(r.err.contains("; nothing was published, and its partial files were removed"), r.err);
    try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.walk(dir.resolve("out"))) {
      assertEquals(List.of(), left.filter(p -> java.nio.file.Files.isRegularFile(p)
          || p.getParent().getFileName().toString().equals(".unpublished")).map(Object::toString).toList());
    }
  }

  @Test
  void runUsageErrorsExitTwo() {
    assertEquals(2, run("run").exit);
    assertEquals(2, run("run", "--runner", "spark", "src/test/resources/pipeline/rules.yaml", "--env",
        "src/test/resources/pipeline/env.yaml").exit);
    assertEquals(2, run("run", "--run-id", "../escape", "src/test/resources/pipeline/rules.yaml").exit);
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] args : List.of(new String[] {"--help"}, new String[] {"validate", "--help"}, new String[] {"help", "validate"},
        new String[] {"run", "--help"}, new String[] {"plan", "--help"})) {
      Run r = run(args);
      assertEquals(0, r.exit, String.join(" ", args));
      assertTrue(r.out.contains("Usage: segflow"), r.out);
    }
  }
}
