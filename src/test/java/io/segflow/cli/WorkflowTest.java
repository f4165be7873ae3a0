package io.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;

/**
 * The GitHub Actions workflow a data team copies: it parses, and every {@code ./segflow} command it runs is
 * one the command line accepts (subcommand and options), so a renamed option fails here, not in their CI.
 */
class WorkflowTest {
  private static final Path WORKFLOW = Path.of(".github/workflows/segflow.yml");

  @Test
  void everySegflowCommandOfTheWorkflowParses() throws IOException {
    List<String> commands = runCommands();
    List<String> segflow = commands.stream().filter(c -> c.startsWith("./segflow ")).toList();
    assertFalse(segflow.isEmpty(), "the workflow runs segflow: " + commands);
    for (String command : segflow) {
      String[] args = command.substring("./segflow ".length()).trim().split("\\s+");
      // Configured as SegflowCli.execute configures it.
      CommandLine cli = new CommandLine(new SegflowCli()).setCaseInsensitiveEnumValuesAllowed(true);
      CommandLine.ParseResult parsed = cli.parseArgs(args); // throws on an unknown command or option
      assertTrue(parsed.hasSubcommand(), command);
    }
    assertTrue(segflow.contains("./segflow validate segment-definitions/ --format github"), segflow.toString());
  }

  @Test
  void itRunsTheReadmesTestCommand() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    assertTrue(readme.contains("mvn -B verify"), "the README's test command");
    assertTrue(runCommands().contains("mvn -B verify"), runCommands().toString());
  }

  @Test
  void itReadsNothingButTheRepository() throws IOException {
    Map<String, Object> workflow = workflow();
    assertEquals(Map.of("contents", "read"), workflow.get("permissions"), "least privilege");
  }

  /** Main deploys what changed, after the checks, with a federated identity that only its job can ask for. */
  @Test
  @SuppressWarnings("unchecked")
  void mainDeploysTheChangedDefinitionsAfterTheChecks() throws IOException {
    Map<String, Map<String, Object>> jobs = (Map<String, Map<String, Object>>) workflow().get("jobs");
    Map<String, Object> deploy = jobs.get("deploy");
    assertEquals("validate-and-test", deploy.get("needs"));
    assertEquals("github.event_name == 'push' && github.ref == 'refs/heads/main'", deploy.get("if"));
    assertEquals(Map.of("contents", "read", "id-token", "write"), deploy.get("permissions"));
    jobs.forEach((name, job) -> {
      if (!name.equals("deploy")) {
        assertEquals(null, job.get("permissions"), name + " keeps the workflow's read-only token");
      }
    });
    List<Map<String, Object>> steps = (List<Map<String, Object>>) deploy.get("steps");
    Map<String, Object> auth = steps.stream().filter(s -> String.valueOf(s.get("uses")).startsWith(
        "google-github-actions/auth@")).findFirst().orElseThrow();
    assertEquals(Map.of("workload_identity_provider", "${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}",
        "service_account", "${{ vars.GCP_DEPLOY_SERVICE_ACCOUNT }}"), auth.get("with"));
    assertTrue(runCommands().contains("./segflow deploy $DEFINITIONS --env prod --tag \"$GITHUB_SHA\""),
        runCommands().toString());
    assertTrue(Files.readString(Path.of("pipelines/environments/prod.yaml")).contains("region: europe-west1"),
        "the registry the workflow logs Docker in to is prod's region");
  }

  private static List<String> runCommands() throws IOException {
    List<String> out = new ArrayList<>();
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> jobs = (Map<String, Map<String, Object>>) workflow().get("jobs");
    for (Map<String, Object> job : jobs.values()) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> steps = (List<Map<String, Object>>) job.get("steps");
      for (Map<String, Object> step : steps) {
        if (step.get("run") instanceof String run) {
          Arrays.stream(run.split("\n|&&|\\|\\|")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> workflow() throws IOException {
    return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(WORKFLOW));
  }
}
