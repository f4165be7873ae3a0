package io.segflow.cli;

import io.segflow.deploy.DataflowDeployment;
import io.segflow.deploy.DeployStep;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.OutputBinding;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.pipeline.Versions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code segflow deploy}: validates definitions, then puts them on Dataflow as the segflow Flex Template
 * (with a Cloud Run refresh job and its Cloud Scheduler job for each scheduled one), or runs them (and
 * submits their streams) on a Flink session cluster.
 */
@Command(
    name = "deploy",
    header = "Deploys definitions to Dataflow (template, scheduled refreshes) or Flink.",
    mixinStandardHelpOptions = true,
    description = "Validates the definitions, then deploys them. On Dataflow (the default): builds and pushes the "
        + "Flex Template's launcher image, writes the template's spec, creates or updates a Cloud Run "
        + "refresh job and its Cloud Scheduler job for each definition with a schedule, and launches the "
        + "others now. On Flink: runs each definition on the session cluster, and submits each stream "
        + "there. --dry-run prints the commands and needs no credentials.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:deployed (or printed)", "1:a definition is invalid, or a command of the deployment failed",
        "2:the command line is wrong"})
final class DeployCommand implements Callable<Integer> {
  /** Where {@code segflow deploy} can deploy to. */
  enum Target { DATAFLOW, FLINK }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DEFINITION", arity = "1..*",
      description = "Definition files under segment-definitions/ (the launcher image ships that folder).")
  List<String> definitions;

  @Mixin EnvironmentOption environment;

  @Mixin ParameterOption parameters;

  @Option(names = "--target", paramLabel = "TARGET", defaultValue = "dataflow",
      description = "${COMPLETION-CANDIDATES} (any case). Default: ${DEFAULT-VALUE}.")
  Target target;

  @Option(names = "--dry-run", description = "Print the commands, run nothing.")
  boolean dryRun;

  @Option(names = "--run-now", description = "Also launch the scheduled definitions now (the others always are).")
  boolean runNow;

  @Option(names = "--tag", paramLabel = "TAG",
      description = "Tag of the launcher image, e.g. the commit. Default: segflow's version.")
  String tag;

  @Option(names = "--flink-master", paramLabel = "HOST:PORT", defaultValue = "localhost:8081",
      description = "The Flink session cluster's REST address (--target flink). Default: ${DEFAULT-VALUE}.")
  String flinkMaster;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (tag != null && !tag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--tag must be a Docker tag (letters, digits, "
          + "'_', '.', '-', at most 128), got '" + tag + "'");
    }
    Path home = Path.of(Optional.ofNullable(System.getenv("SEGFLOW_HOME")).orElse("")).toAbsolutePath().normalize();
    Map<String, SegmentDefinition> valid = new LinkedHashMap<>();
    Environment env = null;
    for (String definition : definitions) {
      Optional<ValidatedDefinition> validated = ValidatedDefinition.of(spec, definition, environment.name, parameters,
          out);
      if (validated.isEmpty()) {
        err.printf("segflow deploy: %s is not valid; nothing was deployed%n", definition);
        return ExitCodes.INVALID_INPUT;
      }
      env = validated.get().environment();
      valid.put(definition, validated.get().compiled().definition());
    }
    if (target == Target.FLINK) {
      return flink(valid, env, out, err);
    }
    Map<String, SegmentDefinition> inImage = new LinkedHashMap<>();
    valid.forEach((definition, def) -> inImage.put(inRepository(home, definition), def));
    return dataflow(inImage, env, home, out, err);
  }

  /** The definition's path from the repository's root, where the launcher image has it too. */
  private String inRepository(Path home, String definition) {
    Path file = Path.of(definition).toAbsolutePath().normalize();
    if (!file.startsWith(home.resolve("segment-definitions"))) {
      throw new CommandLine.ParameterException(spec.commandLine(), definition + " is not under " + home.resolve(
          "segment-definitions") + ", the folder the launcher image ships");
    }
    return home.relativize(file).toString().replace('\\', '/');
  }

  private int dataflow(Map<String, SegmentDefinition> valid, Environment env, Path home, PrintWriter out,
      PrintWriter err) throws IOException, InterruptedException {
    if (!env.hasDataflowSettings() || !(env.output() instanceof OutputBinding.BigQuery)) {
      err.println("segflow deploy: --target dataflow needs an environment with gcp: and dataflow: settings and a "
          + "BigQuery output; " + env.name() + " (" + env.displayPath() + ") is not one (pipelines/environments/prod.yaml "
          + "is an example)");
      return ExitCodes.INVALID_INPUT;
    }
    // The image carries no data: a file binding would name a file the launcher and the workers do not have.
    List<String> files = valid.values().stream().flatMap(def -> def.sources().keySet().stream())
        .filter(source -> env.sources().get(source) instanceof io.segflow.dsl.env.SourceBinding.Files
            || env.sources().get(source) instanceof io.segflow.dsl.env.SourceBinding.PubSub pubsub
                && pubsub.history().orElse(null) instanceof io.segflow.dsl.env.SourceBinding.Files).distinct()
        .toList();
    if (!files.isEmpty()) {
      err.println("segflow deploy: environment " + env.name() + " binds " + String.join(", ", files) + " to files, "
          + "which the launcher image does not carry; bind them to BigQuery tables or queries to deploy to Dataflow");
      return ExitCodes.INVALID_INPUT;
    }
    if (!env.file().toAbsolutePath().normalize().startsWith(home.resolve("pipelines/environments"))) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--env " + environment.name + " is not in "
          + home.resolve("pipelines/environments") + ", the folder the launcher image ships");
    }
    List<DeployStep> steps;
    try {
      steps = DataflowDeployment.plan(new DataflowDeployment.Request(valid, env, env.name(),
          tag == null ? Versions.of().get("segflow") : tag, runNow, parameters.overrides, Instant.now()));
    } catch (IllegalArgumentException e) {
      err.println("segflow deploy: " + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
    if (dryRun) {
      out.println("# segflow deploy --dry-run: what a deploy would run, from " + home + " (nothing was run)");
      for (DeployStep step : steps) {
        out.println("# " + step.why());
        out.println(DeployStep.shell(step.command()));
      }
      return ExitCodes.OK;
    }
    List<String> missing = steps.stream().map(s -> s.command().get(0)).distinct().filter(p -> !onPath(p)).toList();
    if (!missing.isEmpty()) {
      err.println("segflow deploy: " + String.join(" and ", missing) + " not on the PATH; nothing was run (--dry-run "
          + "prints the commands without running them)");
      return ExitCodes.INVALID_INPUT;
    }
    return new StepRunner(home, err).run(steps);
  }

  /**
   * The same run as segflow run --runner flink, on the session cluster: batch runs wait and publish. A
   * definition the environment streams from Pub/Sub is submitted as a stream and left running there.
   */
  private int flink(Map<String, SegmentDefinition> valid, Environment env, PrintWriter out, PrintWriter err) {
    List<List<String>> runs = new ArrayList<>();
    for (String definition : definitions) {
      boolean streams = io.segflow.pipeline.StreamRun.pubsubSource(valid.get(definition), env).isPresent();
      List<String> run = new ArrayList<>(List.of(streams ? "stream" : "run", definition, "--env", environment.name,
          "--runner", "flink", "--flink-master", flinkMaster));
      if (streams) {
        run.add("--detach");
      }
      parameters.overrides.forEach((name, value) -> run.addAll(List.of("--param", name + "=" + value)));
      runs.add(run);
    }
    if (dryRun) {
      out.println("# segflow deploy --dry-run --target flink: each definition runs on the session cluster at "
          + flinkMaster + " (pipelines/flink/cluster.sh start), a stream from Pub/Sub is submitted and left running "
          + "there; a schedule is Cloud Scheduler's, so on Flink a cron job or a Kubernetes CronJob runs the same "
          + "command (docs/deploy.md)");
      runs.forEach(run -> out.println("./segflow " + DeployStep.shell(run)));
      return ExitCodes.OK;
    }
    for (List<String> run : runs) {
      int code = SegflowCli.execute(out, err, run.toArray(String[]::new));
      if (code != ExitCodes.OK) {
        return code;
      }
    }
    return ExitCodes.OK;
  }

  /** Runs the steps in order, in the repository's root, and stops at the first that fails. */
  record StepRunner(Path home, PrintWriter err) {
    int run(List<DeployStep> steps) throws IOException, InterruptedException {
      for (DeployStep step : steps) {
        List<String> command = step.command();
        if (step.exists().isPresent() && quietly(step.exists().get()) == 0) {
          command = step.whenExists().orElseThrow();
        }
        err.println("segflow deploy: " + step.why());
        err.println("$ " + DeployStep.shell(command));
        err.flush();
        int code = new ProcessBuilder(command).directory(home.toFile()).inheritIO().start().waitFor();
        if (code != 0) {
          err.println("segflow deploy: '" + command.get(0) + "' exited with " + code + "; the steps after it were not run");
          return ExitCodes.INVALID_INPUT;
        }
      }
      return ExitCodes.OK;
    }

    private int quietly(List<String> command) throws IOException, InterruptedException {
      return new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
  }

  private static boolean onPath(String program) {
    return Optional.ofNullable(System.getenv("PATH")).stream().flatMap(p -> List.of(p.split(":")).stream())
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }
}
