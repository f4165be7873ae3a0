package io.segflow.deploy;

import io.segflow.dsl.env.Environment;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.validate.CronSchedule;
import io.segflow.pipeline.RunOptions;
import io.segflow.pipeline.SegflowRun;
import io.segflow.pipeline.StreamRun;
import io.segflow.pipeline.StreamingSegments;
import io.segflow.pipeline.methods.SegmentationMethods;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The commands that deploy definitions to Dataflow as the segflow Flex Template: build the jar and its
 * libraries, build and push the launcher image, write the template's spec, then per definition: for a
 * {@code schedule:}, a Cloud Run job that refreshes it (segflow run, which publishes) and a Cloud Scheduler job
 * that starts it; when asked (or when it has no schedule), a launch of the template now, which
 * {@code segflow publish} finishes; a definition the environment streams from Pub/Sub gets its streaming job,
 * started or updated. Every setting comes from the environment, as {@code segflow run --runner dataflow} takes
 * them.
 */
public final class DataflowDeployment {
  static final String METADATA = "pipelines/flex-template/metadata.json";
  static final String DOCKERFILE = "pipelines/flex-template/Dockerfile";

  /**
   * What to deploy.
   *
   * @param definitions each definition with its path in the repository (and so in the launcher image)
   * @param environment its name in pipelines/environments (and so in the image)
   * @param tag the launcher image's tag, e.g. the commit
   * @param runNow also launch each definition now (a definition without a schedule always is)
   * @param parameterValues values for the definitions' parameters, as {@code --param} gives them
   */
  public record Request(Map<String, SegmentDefinition> definitions, Environment env, String environment, String tag,
      boolean runNow, Map<String, String> parameterValues, Instant now) {}

  private DataflowDeployment() {}

  public static List<DeployStep> plan(Request request) {
    Environment env = request.env();
    Environment.Gcp gcp = env.gcp().orElseThrow();
    Environment.Dataflow df = env.dataflow().orElseThrow();
    String image = df.launcherImage().orElse(df.region() + "-docker.pkg.dev/" + gcp.project() + "/segflow/launcher")
        + ":" + request.tag();
    String spec = templateFile(env);
    List<DeployStep> steps = new ArrayList<>();
    steps.add(DeployStep.of("the jar and its libraries, which the image packages",
        List.of("mvn", "-B", "-q", "-Pflex-template", "-DskipTests", "package")));
    steps.add(DeployStep.of("the launcher image: the jar, its libraries, the definitions and the environments",
        List.of("docker", "build", "-f", DOCKERFILE, "-t", image, ".")));
    steps.add(DeployStep.of("pushed to Artifact Registry (gcloud auth configure-docker " + image.split("/")[0]
        + " once)", List.of("docker", "push", image)));
    steps.add(DeployStep.of("the template's spec, with its parameters from " + METADATA,
        List.of("gcloud", "dataflow", "flex-template", "build", spec, "--image", image, "--sdk-language", "JAVA",
            "--metadata-file", METADATA, "--project", gcp.project())));
    request.definitions().forEach((path, def) -> {
      if (StreamRun.pubsubSource(def, env).isPresent()) {
        if (def.schedule().isPresent()) {
          throw new IllegalArgumentException(def.name() + " streams from Pub/Sub in environment " + env.name()
              + ", and a stream runs without end: a schedule has nothing to launch. Remove its schedule, or deploy "
              + "it with an environment that reads its sources whole");
        }
        if (!SegmentationMethods.of(def.segmentation()).segmentsEachRowAlone()
            && !StreamingSegments.assignsWithPublishedModel(def.segmentation())) {
          throw new IllegalArgumentException(def.name() + " streams from Pub/Sub in environment " + env.name()
              + ", and its method fits a model that a stream cannot assign with (rules and k-means stream)");
        }
        steps.add(stream(request, path, def, spec));
        return;
      }
      def.schedule().ifPresent(schedule -> steps.addAll(schedule(request, path, def, image)));
      if (request.runNow() || def.schedule().isEmpty()) {
        steps.add(runNow(request, path, def, spec));
      }
    });
    return steps;
  }

  /** The spec's gs:// path: the environment's, or segflow/templates/ in the temp location's bucket. */
  static String templateFile(Environment env) {
    String temp = env.gcp().orElseThrow().tempLocation();
    String bucket = temp.substring("gs://".length()).split("/", 2)[0];
    return env.dataflow().orElseThrow().templateFile().orElse("gs://" + bucket + "/segflow/templates/segflow.json");
  }

  /**
   * A stream's job, {@code segflow-<name>-stream}: started when no job of that name runs, otherwise
   * replaced in place with {@code --update}, which keeps its state (each customer's aggregates and segment)
   * and needs the new pipeline's steps to keep their names. Draining it is {@code gcloud dataflow jobs drain}.
   */
  private static DeployStep stream(Request request, String path, SegmentDefinition def, String spec) {
    Environment env = request.env();
    String job = RunOptions.jobName(def.name(), RunOptions.STREAM);
    List<String> start = flexTemplateRun(request, job, spec, parameters(request, path));
    List<String> update = new ArrayList<>(start);
    update.add("--update");
    String list = DeployStep.shell(List.of("gcloud", "dataflow", "jobs", "list", "--project",
        env.gcp().orElseThrow().project(), "--region", env.dataflow().orElseThrow().region(), "--status", "active",
        "--filter", "name=" + job, "--format", "value(id)"));
    return new DeployStep("the stream of " + def.name() + ": job " + job + ", replaced in place (--update, its state "
        + "kept) when it runs, started otherwise", start,
        Optional.of(List.of("sh", "-c", "test -n \"$(" + list + ")\"")), Optional.of(update));
  }

  private static DeployStep runNow(Request request, String path, SegmentDefinition def, String spec) {
    String runId = SegflowRun.runId(request.now());
    Map<String, String> parameters = parameters(request, path);
    parameters.put("runId", runId);
    return DeployStep.of("a run of " + def.name() + " now, as run " + runId + "; publish it when its job is done "
        + "with: segflow publish " + path + " --env " + request.environment() + " --run-id " + runId,
        flexTemplateRun(request, RunOptions.jobName(def.name(), runId), spec, parameters));
  }

  /** {@code gcloud dataflow flex-template run} of the template as job {@code job}, with the environment's settings. */
  private static List<String> flexTemplateRun(Request request, String job, String spec, Map<String, String> parameters) {
    Environment env = request.env();
    List<String> command = new ArrayList<>(List.of("gcloud", "dataflow", "flex-template", "run",
        job, "--template-file-gcs-location", spec));
    command.addAll(List.of("--project", env.gcp().orElseThrow().project(), "--region",
        env.dataflow().orElseThrow().region()));
    environment(env).forEach((flag, value) -> {
      command.add("--" + flag);
      if (value != null) {
        command.add(value);
      }
    });
    command.add("--parameters");
    command.add(list(parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    return command;
  }

  /**
   * A scheduled definition refreshes as a Cloud Run job that runs {@code segflow run --runner dataflow} from
   * the launcher image: it waits for its Dataflow job, then checks and publishes the run as {@code segflow run}
   * always does. (A Flex Template launch returns before its job ends, so a scheduler that launched the template
   * would leave every refresh unpublished.) Cloud Scheduler starts an execution of that job on the schedule.
   */
  private static List<DeployStep> schedule(Request request, String path, SegmentDefinition def, String image) {
    Environment env = request.env();
    CronSchedule cron = CronSchedule.of(def.schedule().orElseThrow());
    String project = env.gcp().orElseThrow().project();
    Environment.Dataflow df = env.dataflow().orElseThrow();
    // Cloud Run runs the refresh, and Cloud Scheduler calls the Cloud Run API, as this account.
    String account = df.serviceAccount().orElseThrow(() -> new IllegalArgumentException(def.name() + " has a "
        + "schedule, and its refreshes run and are started as dataflow.service_account, which environment "
        + env.name() + " (" + env.displayPath() + ") does not set"));
    String refresh = refreshJob(def);
    List<String> segflowRun = new ArrayList<>(List.of("-cp", IMAGE_CLASSPATH, "io.segflow.cli.SegflowCli", "run", path,
        "--env", request.environment(), "--runner", "dataflow"));
    request.parameterValues().forEach((name, value) -> segflowRun.addAll(List.of("--param", name + "=" + value)));
    List<String> deployJob = new ArrayList<>(List.of("gcloud", "run", "jobs", "deploy", refresh, "--image", image,
        "--project", project, "--region", df.region(), "--service-account", account,
        // A refresh waits for its Dataflow job. It is not retried: a run its checks refused would be refused again.
        "--task-timeout", REFRESH_TIMEOUT, "--max-retries", "0", "--cpu", "1", "--memory", "2Gi",
        // '=' joins the value, which starts with '-' and would otherwise be read as a flag.
        "--command", "java", "--args=" + list(segflowRun)));
    DeployStep job = DeployStep.of("the refresh of " + def.name() + ": Cloud Run job " + refresh + " runs segflow "
        + "run --runner dataflow in the launcher image, which waits for its Dataflow job and publishes the run "
        + "(created, or updated in place)", deployJob);

    String name = schedulerJob(def);
    String uri = "https://run.googleapis.com/v2/projects/" + project + "/locations/" + df.region() + "/jobs/"
        + refresh + ":run";
    List<String> flags = new ArrayList<>(List.of(name, "--project", project, "--location", df.region(),
        "--schedule", cron.spec().cron(), "--time-zone", cron.spec().timeZone(), "--uri", uri, "--http-method", "POST",
        "--oauth-service-account-email", account));
    List<String> create = new ArrayList<>(List.of("gcloud", "scheduler", "jobs", "create", "http"));
    create.addAll(flags);
    List<String> update = new ArrayList<>(List.of("gcloud", "scheduler", "jobs", "update", "http"));
    update.addAll(flags);
    String next = cron.next(request.now().atZone(ZoneOffset.UTC), 3).stream().map(Object::toString)
        .collect(Collectors.joining(", "));
    DeployStep scheduler = new DeployStep("starts " + refresh + " on '" + cron.spec().cron() + "' ("
        + cron.spec().timeZone() + "); next: " + next + "; updated in place when it exists", create,
        Optional.of(List.of("gcloud", "scheduler", "jobs", "describe", name, "--project", project, "--location",
            df.region())), Optional.of(update));
    return List.of(job, scheduler);
  }

  /** Where the launcher image keeps segflow's jar and libraries (pipelines/flex-template/Dockerfile). */
  static final String IMAGE_CLASSPATH = "/template/segflow.jar:/template/lib/*";

  /** How long a scheduled refresh may run, its Dataflow job included. */
  static final String REFRESH_TIMEOUT = "24h";

  /** A gcloud list flag's value: ',' separates, unless '^~^' makes '~' the separator for values with a ','. */
  private static String list(List<String> values) {
    boolean plain = values.stream().noneMatch(v -> v.contains(",") || v.contains("~"));
    return (plain ? "" : "^~^") + String.join(plain ? "," : "~", values);
  }

  /** The Cloud Run job that refreshes a scheduled definition. */
  private static String refreshJob(SegmentDefinition def) {
    return schedulerJob(def) + "-refresh";
  }

  /** The Cloud Scheduler job of a definition. */
  private static String schedulerJob(SegmentDefinition def) {
    return "segflow-" + def.name().replace('_', '-');
  }

  /** The environment's staging folder, by default under its temp location, as a run on Dataflow uses. */
  private static String stagingLocation(Environment env) {
    return env.dataflow().orElseThrow().stagingLocation().orElse(env.gcp().orElseThrow().tempLocation() + "/staging");
  }

  /** The template's parameters for one definition (the names of SegflowTemplateOptions). */
  private static Map<String, String> parameters(Request request, String path) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("definition", path);
    out.put("environment", request.environment());
    if (!request.parameterValues().isEmpty()) {
      out.put("parameterValues", request.parameterValues().entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";")));
    }
    return out;
  }

  /** gcloud's flags for the job's settings from the environment; a null value is a flag alone. */
  private static Map<String, String> environment(Environment env) {
    Environment.Gcp gcp = env.gcp().orElseThrow();
    Environment.Dataflow df = env.dataflow().orElseThrow();
    Map<String, String> out = new LinkedHashMap<>();
    out.put("temp-location", gcp.tempLocation());
    out.put("staging-location", stagingLocation(env));
    df.serviceAccount().ifPresent(a -> out.put("service-account-email", a));
    df.maxWorkers().ifPresent(n -> out.put("max-workers", n.toString()));
    df.machineType().ifPresent(m -> out.put("worker-machine-type", m));
    df.subnetwork().ifPresent(s -> {
      out.put("subnetwork", s);
      out.put("disable-public-ips", null);
    });
    return out;
  }
}
