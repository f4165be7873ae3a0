package io.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segflow.deploy.DataflowDeployment;
import io.segflow.deploy.DeployStep;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.EnvironmentLoader;
import io.segflow.dsl.load.DefinitionLoader;
import io.segflow.dsl.model.SegmentDefinition;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code segflow deploy}: the dry run's commands, in order, with the environment's settings; every gcloud
 * command of a deployment is accepted by the machine's own gcloud (which stops, without credentials, only
 * for want of an account); and what deploy refuses.
 */
class DeployCommandTest {
  private static final String RETAIL = "segment-definitions/online_retail_rfm_kmeans.yaml";
  private static final String CDNOW = "segment-definitions/cdnow_rfm_kmeans.yaml";
  private static final Path PROD = Path.of("pipelines/environments/prod.yaml");

  private record Run(int exit, String out, String err) {}

  private static Run segflow(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = SegflowCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void theDryRunPrintsTheDeploymentInOrderWithTheEnvironmentsSettings() throws IOException {
    Run run = segflow("deploy", RETAIL, CDNOW, "--env", "prod", "--dry-run", "--tag", "c0ffee");
    assertEquals(0, run.exit(), run.err());
    List<List<String>> commands = run.out().lines().filter(l -> !l.startsWith("#")).map(DeployCommandTest::words)
        .toList();
    String image = "europe-west1-docker.pkg.dev/acme-analytics/segflow/launcher:c0ffee";
    String spec = "gs://acme-analytics-segflow/segflow/templates/segflow.json";
    assertEquals(List.of("mvn", "-B", "-q", "-Pflex-template", "-DskipTests", "package"), commands.get(0));
    assertEquals(List.of("docker", "build", "-f", "pipelines/flex-template/Dockerfile", "-t", image, "."),
        commands.get(1));
    assertEquals(List.of("docker", "push", image), commands.get(2));
    assertEquals(List.of("gcloud", "dataflow", "flex-template", "build", spec, "--image", image, "--sdk-language", "JAVA",
        "--metadata-file", "pipelines/flex-template/metadata.json", "--project", "acme-analytics"), commands.get(3));

    // The retail definition has a schedule: a Cloud Run job that runs segflow run (which waits and publishes),
    // and a Cloud Scheduler job that starts it; no run now.
    List<String> refresh = commands.get(4);
    assertEquals(List.of("gcloud", "run", "jobs", "deploy", "segflow-online-retail-rfm-kmeans-refresh"),
        refresh.subList(0, 5));
    assertEquals(image, flag(refresh, "--image"), "the launcher image, which holds segflow and the definitions");
    assertEquals("segflow-runner@acme-analytics.iam.gserviceaccount.com", flag(refresh, "--service-account"));
    assertEquals("0", flag(refresh, "--max-retries"));
    assertEquals("java", flag(refresh, "--command"));
    List<String> args = List.of(joined(refresh, "--args").split(","));
    assertEquals(List.of("-cp", "/template/segflow.jar:/template/lib/*", "io.segflow.cli.SegflowCli"), args.subList(0, 3));
    CommandLine.ParseResult parsed = new CommandLine(new SegflowCli()).setCaseInsensitiveEnumValuesAllowed(true)
        .parseArgs(args.subList(3, args.size()).toArray(String[]::new));
    RunCommand segflowRun = (RunCommand) parsed.subcommand().commandSpec().userObject();
    assertEquals(RETAIL, segflowRun.definition);
    assertEquals("prod", segflowRun.environment.name);
    assertEquals(io.segflow.dsl.env.Runner.DATAFLOW, segflowRun.runner);
    assertTrue(Files.isRegularFile(Path.of(segflowRun.definition)), "the path the image holds it at");

    List<String> scheduler = commands.get(5);
    assertEquals(List.of("gcloud", "scheduler", "jobs", "create", "http", "segflow-online-retail-rfm-kmeans"),
        scheduler.subList(0, 6));
    assertEquals("0 5 * * 1", flag(scheduler, "--schedule"));
    assertEquals("Europe/London", flag(scheduler, "--time-zone"));
    assertEquals("https://run.googleapis.com/v2/projects/acme-analytics/locations/europe-west1/jobs/"
        + "segflow-online-retail-rfm-kmeans-refresh:run", flag(scheduler, "--uri"));
    assertEquals("POST", flag(scheduler, "--http-method"));
    assertEquals("segflow-runner@acme-analytics.iam.gserviceaccount.com",
        flag(scheduler, "--oauth-service-account-email"));
    assertTrue(run.out().contains("# starts segflow-online-retail-rfm-kmeans-refresh on '0 5 * * 1' (Europe/London); "
        + "next: "), run.out());

    // CDNOW has none: it runs now, under the job name and run id segflow run would give it.
    List<String> now = commands.get(6);
    assertEquals(List.of("gcloud", "dataflow", "flex-template", "run"), now.subList(0, 4));
    String parameters = flag(now, "--parameters");
    String runId = parameters.substring(parameters.indexOf("runId=") + "runId=".length());
    assertEquals("definition=" + CDNOW + ",environment=prod,runId=" + runId, parameters);
    assertEquals("segflow-cdnow-rfm-kmeans-" + runId.toLowerCase(java.util.Locale.ROOT), now.get(4));
    assertEquals("europe-west1", flag(now, "--region"));
    assertEquals("gs://acme-analytics-segflow/tmp/staging", flag(now, "--staging-location"));
    assertEquals(7, commands.size(), run.out());
  }

  @Test
  void runNowAlsoLaunchesAScheduledDefinitionAndParameterValuesReachTheTemplate() {
    Run run = segflow("deploy", RETAIL, "--env", "prod", "--dry-run", "--run-now", "--param", "as_of=2011-12-10");
    assertEquals(0, run.exit(), run.err());
    List<List<String>> commands = run.out().lines().filter(l -> !l.startsWith("#")).map(DeployCommandTest::words)
        .toList();
    assertEquals(7, commands.size(), run.out());
    assertTrue(joined(commands.get(4), "--args").endsWith(",--param,as_of=2011-12-10"), "the refresh too: " + run.out());
    assertTrue(flag(commands.get(6), "--parameters").startsWith(
        "definition=" + RETAIL + ",environment=prod,parameterValues=as_of=2011-12-10,runId="), run.out());
  }

  @Test
  void theMachinesGcloudAcceptsEveryCommandOfADeployment(@TempDir Path config) throws Exception {
    assumeTrue(onPath("gcloud"), "gcloud (the Google Cloud CLI) is not on the PATH: its parsing of the commands "
        + "is not checked here");
    List<List<String>> gcloud = new ArrayList<>();
    for (DeployStep step : DataflowDeployment.plan(request(true))) {
      Stream.of(java.util.Optional.of(step.command()), step.exists(), step.whenExists())
          .flatMap(java.util.Optional::stream).filter(c -> c.get(0).equals("gcloud")).forEach(gcloud::add);
    }
    assertEquals(6, gcloud.size(), "template build, the refresh job, scheduler create, describe, update, and a run "
        + "now: " + gcloud);
    for (List<String> command : gcloud) {
      assertGcloudParses(command, config);
    }
  }

  /** A configuration of its own and no account: gcloud parses the command, then stops before any call. */
  private static void assertGcloudParses(List<String> command, Path config) throws Exception {
    ProcessBuilder process = new ProcessBuilder(command).redirectErrorStream(true);
    process.environment().put("CLOUDSDK_CONFIG", config.toString());
    process.environment().put("CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
    Process p = process.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "gcloud did not answer: " + command);
    assertEquals(1, p.exitValue(), DeployStep.shell(command) + "\n" + output);
    assertTrue(output.contains("You do not currently have an active account selected"), output);
  }

  @Test
  void aScheduleNeedsTheServiceAccountTheSchedulerLaunchesAs(@TempDir Path dir) throws IOException {
    Path env = Files.writeString(dir.resolve("prod.yaml"), Files.readString(PROD)
        .replace("  service_account: segflow-runner@acme-analytics.iam.gserviceaccount.com\n", ""));
    Environment loaded = EnvironmentLoader.load(env, "prod.yaml").environment().orElseThrow();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataflowDeployment.plan(
        new DataflowDeployment.Request(Map.of(RETAIL, definition(RETAIL)), loaded, "prod", "t", false, Map.of(),
            Instant.parse("2026-12-06T00:00:00Z"))));
    assertTrue(e.getMessage().contains("does not set"), e.getMessage());
  }

  @Test
  void whatDeployRefuses() {
    Run local = segflow("deploy", RETAIL, "--dry-run");
    assertEquals(1, local.exit());
    assertTrue(local.err().contains("--target dataflow needs an environment with gcp: and dataflow: settings and a "
        + "BigQuery output; local"), local.err());
    Run outside = segflow("deploy", "src/test/resources/pipeline/kmeans.yaml", "--env", "src/test/resources/pipeline/env.yaml",
        "--dry-run");
    assertEquals(2, outside.exit(), outside.err());
    assertTrue(outside.err().contains("is not under"), outside.err());
    Run invalid = segflow("deploy", "src/test/resources/dsl/invalid/SF217_schedule_cron.yaml", "--env", "prod",
        "--dry-run");
    assertEquals(1, invalid.exit());
    assertTrue(invalid.out().contains("error[SF217]"), invalid.out());
    assertTrue(invalid.err().contains("is not valid; nothing was deployed"), invalid.err());
    assertEquals(2, segflow("deploy", RETAIL, "--env", "prod", "--dry-run", "--tag", "no spaces").exit());
    // An environment with a BigQuery output whose source is a file: the image has no data.
    Run files = segflow("deploy", RETAIL, "--env", "src/test/resources/deploy/files-source.yaml", "--dry-run");
    assertEquals(1, files.exit(), files.err());
    assertTrue(files.err().contains("binds retail_transactions to files, which the launcher image does not carry"),
        files.err());
  }

  /** A deploy runs its steps in order in the repository, takes the update when the thing exists, stops at a failure. */
  @Test
  void theStepsRunInOrderAndStopAtTheFirstFailure(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("log");
    List<String> append = List.of("sh", "-c", "echo \"$0\" >> " + log);
    DeployStep first = DeployStep.of("first", Stream.concat(append.stream(), Stream.of("built")).toList());
    DeployStep created = new DeployStep("scheduler", Stream.concat(append.stream(), Stream.of("created")).toList(),
        java.util.Optional.of(List.of("true")), java.util.Optional.of(Stream.concat(append.stream(), Stream.of("updated"))
            .toList()));
    DeployStep fails = DeployStep.of("fails", List.of("sh", "-c", "exit 3"));
    DeployStep never = DeployStep.of("never", Stream.concat(append.stream(), Stream.of("never")).toList());
    StringWriter err = new StringWriter();

    int exit = new DeployCommand.StepRunner(dir, new PrintWriter(err, true)).run(List.of(first, created, fails, never));

    assertEquals(1, exit);
    assertEquals(List.of("built", "updated"), Files.readAllLines(log), "the job existed, so it was updated");
    assertTrue(err.toString().contains("'sh' exited with 3; the steps after it were not run"), err.toString());
    assertTrue(err.toString().contains("$ sh -c 'exit 3'"), err.toString());
  }

  @Test
  void onFlinkEachDefinitionIsASegflowRunOnTheSessionCluster() {
    Run run = segflow("deploy", RETAIL, CDNOW, "--target", "flink", "--flink-master", "flink-jm:8081", "--dry-run");
    assertEquals(0, run.exit(), run.err());
    List<String> commands = run.out().lines().filter(l -> l.startsWith("./segflow ")).toList();
    assertEquals(List.of("./segflow run " + RETAIL + " --env local --runner flink --flink-master flink-jm:8081",
        "./segflow run " + CDNOW + " --env local --runner flink --flink-master flink-jm:8081"), commands);
    for (String command : commands) {
      CommandLine.ParseResult parsed = new CommandLine(new SegflowCli()).setCaseInsensitiveEnumValuesAllowed(true)
          .parseArgs(command.substring("./segflow ".length()).split(" "));
      assertTrue(parsed.hasSubcommand());
    }
    assertFalse(run.out().contains("gcloud"), run.out());
  }
  /** A definition the environment streams from Pub/Sub is submitted to the session cluster and left running. */
  @Test
  void onFlinkAStreamIsSubmittedDetached(@TempDir Path dir) throws IOException {
    String rules = "segment-definitions/online_retail_rfm_rules.yaml";
    Path env = Files.writeString(dir.resolve("live.yaml"), """
        apiVersion: segflow/v1
        name: live
        runner: flink
        sources:
          retail_transactions:
            kind: pubsub
            subscription: projects/segflow-local/subscriptions/retail-events
            format: json
            event_time: InvoiceDate
        output: {kind: files, path: out, warehouse: out/warehouse.duckdb}
        """);
    Run run = segflow("deploy", rules, "--env", env.toString(), "--target", "flink", "--flink-master", "flink-jm:8081",
        "--dry-run");
    assertEquals(0, run.exit(), run.err());
    List<String> commands = run.out().lines().filter(l -> l.startsWith("./segflow ")).toList();
    assertEquals(List.of("./segflow stream " + rules + " --env " + env + " --runner flink --flink-master flink-jm:8081"
        + " --detach"), commands);
    CommandLine.ParseResult parsed = new CommandLine(new SegflowCli()).setCaseInsensitiveEnumValuesAllowed(true)
        .parseArgs(commands.get(0).substring("./segflow ".length()).split(" "));
    StreamCommand stream = (StreamCommand) parsed.subcommand().commandSpec().userObject();
    assertTrue(stream.detach);
    assertEquals("flink-jm:8081", stream.flinkMaster);

    Run embedded = segflow("stream", rules, "--env", env.toString(), "--detach");
    assertEquals(2, embedded.exit(), embedded.err());
    assertTrue(embedded.err().contains("--detach needs --runner flink and a session cluster's --flink-master "
        + "HOST:PORT"), embedded.err());
  }


  /**
   * A definition the environment streams from Pub/Sub is its streaming job, one name per definition: the
   * deploy starts it, or, when gcloud lists it as active, replaces it in place with --update. Each gcloud
   * command of it is accepted by the machine's gcloud.
   */
  @Test
  void aStreamedDefinitionIsStartedOrUpdatedInPlace(@TempDir Path config) throws Exception {
    String rules = "segment-definitions/online_retail_rfm_rules.yaml";
    Run run = segflow("deploy", rules, "--env", "prod-stream", "--dry-run", "--tag", "c0ffee");
    assertEquals(0, run.exit(), run.err());
    List<List<String>> commands = run.out().lines().filter(l -> !l.startsWith("#")).map(DeployCommandTest::words)
        .toList();
    assertEquals(5, commands.size(), run.out());
    List<String> start = commands.get(4);
    assertEquals(List.of("gcloud", "dataflow", "flex-template", "run", "segflow-online-retail-rfm-rules-stream"),
        start.subList(0, 5));
    assertEquals("definition=" + rules + ",environment=prod-stream", flag(start, "--parameters"));
    assertTrue(run.out().contains("# the stream of online_retail_rfm_rules: job segflow-online-retail-rfm-rules-stream, "
        + "replaced in place (--update, its state kept) when it runs, started otherwise"), run.out());

    Path prodStream = Path.of("pipelines/environments/prod-stream.yaml");
    Map<String, SegmentDefinition> definitions = new LinkedHashMap<>();
    definitions.put(rules, definition(rules));
    DeployStep step = DataflowDeployment.plan(new DataflowDeployment.Request(definitions,
        EnvironmentLoader.load(prodStream, prodStream.toString()).environment().orElseThrow(), "prod-stream", "t1",
        false, Map.of(), Instant.parse("2026-12-06T00:00:00Z"))).get(4);
    assertEquals(start, step.command());
    List<String> update = step.whenExists().orElseThrow();
    assertEquals(start, update.subList(0, update.size() - 1));
    assertEquals("--update", update.get(update.size() - 1));
    List<String> exists = step.exists().orElseThrow();
    assertEquals(List.of("sh", "-c", "test -n \"$(gcloud dataflow jobs list --project acme-analytics --region europe-west1 "
        + "--status active --filter name=segflow-online-retail-rfm-rules-stream --format 'value(id)')\""), exists);

    assumeTrue(onPath("gcloud"), "gcloud (the Google Cloud CLI) is not on the PATH: its parsing of the commands "
        + "is not checked here");
    for (List<String> command : List.of(start, update, words(exists.get(2).substring("test -n \"$(".length(),
        exists.get(2).length() - 2)))) {
      assertGcloudParses(command, config);
    }
  }

  @Test
  void aStreamedDefinitionHasNoScheduleToDeploy() {
    Run run = segflow("deploy", RETAIL, "--env", "prod-stream", "--dry-run");
    // The k-means definition's schedule would launch the template with an environment that binds its source
    // to Pub/Sub.
    assertEquals(1, run.exit(), run.out() + run.err());
    assertTrue(run.err().contains("online_retail_rfm_kmeans streams from Pub/Sub in environment prod-stream, and a "
        + "stream runs without end: a schedule has nothing to launch"), run.err());
  }

  private static DataflowDeployment.Request request(boolean runNow) {
    Environment env = EnvironmentLoader.load(PROD, PROD.toString()).environment().orElseThrow();
    Map<String, SegmentDefinition> definitions = new LinkedHashMap<>();
    definitions.put(RETAIL, definition(RETAIL));
    return new DataflowDeployment.Request(definitions, env, "prod", "t1", runNow, Map.of("as_of", "2011-12-10"),
        Instant.parse("2026-12-06T00:00:00Z"));
  }

  private static SegmentDefinition definition(String file) {
    return DefinitionLoader.load(Path.of(file), file).definition().orElseThrow();
  }

  /** A flag's value in a command. */
  private static String flag(List<String> command, String name) {
    int at = command.indexOf(name);
    assertTrue(at >= 0 && at + 1 < command.size(), name + " in " + command);
    return command.get(at + 1);
  }

  /** The value of a flag given as one word, {@code --name=value}. */
  private static String joined(List<String> command, String name) {
    return command.stream().filter(w -> w.startsWith(name + "=")).findFirst()
        .orElseThrow(() -> new AssertionError(name + "= in " + command)).substring(name.length() + 1);
  }

  /** A line of the dry run split as a POSIX shell would: words, and single-quoted words with '\'' inside. */
  private static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
        inWord = true;
      } else if (c == '\\' && !quoted && i + 1 < line.length()) {
        word.append(line.charAt(++i));
      } else if (c == ' ' && !quoted) {
        if (inWord) {
          out.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      out.add(word.toString());
    }
    return out;
  }

  private static boolean onPath(String program) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }
}
