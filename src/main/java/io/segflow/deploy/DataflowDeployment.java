package io.segflow.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * libraries, build and push the launcher image, write the template's spec, then per definition a Cloud
 * Scheduler job that launches it on its {@code schedule:} and, when asked (or when it has no schedule), a
 * run now; a definition the environment streams from Pub/Sub gets its streaming job, started or updated. Every setting comes from the environment, as {@code segflow run --runner dataflow} takes them.
 */
public final class DataflowDeployment {
  static final String METADATA = "pipelines/flex-template/metadata.json";
  static final String DOCKERFILE = "pipelines/flex-template/Dockerfile";
  private static final ObjectMapper JSON = new ObjectMapper();

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
      def.schedule().ifPresent(schedule -> steps.add(schedule(request, path, def, spec)));
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
    return DeployStep.of("a run of " + def.name() + " now, as run " + runId,
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
    // gcloud splits --parameters at ','; '~' (^~^) keeps a ';' or ',' in a value whole.
    boolean plain = parameters.values().stream().noneMatch(v -> v.contains(",") || v.contains("~"));
    command.add("--parameters");
    command.add((plain ? "" : "^~^") + parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(plain ? "," : "~")));
    return command;
  }

  private static DeployStep schedule(Request request, String path, SegmentDefinition def, String spec) {
    Environment env = request.env();
    CronSchedule cron = CronSchedule.of(def.schedule().orElseThrow());
    String project = env.gcp().orElseThrow().project();
    Environment.Dataflow df = env.dataflow().orElseThrow();
    String name = schedulerJob(def);
    String uri = "https://dataflow.googleapis.com/v1b3/projects/" + project + "/locations/" + df.region()
        + "/flexTemplates:launch";
    List<String> flags = new ArrayList<>(List.of(name, "--project", project, "--location", df.region(),
        "--schedule", cron.spec().cron(), "--time-zone", cron.spec().timeZone(), "--uri", uri, "--http-method", "POST",
        "--message-body", launchBody(request, path, def, spec)));
    // The scheduler calls the Dataflow API as this account, which must be allowed to launch the template.
    flags.addAll(List.of("--oauth-service-account-email", df.serviceAccount().orElseThrow(() -> new IllegalArgumentException(
        def.name() + " has a schedule, and Cloud Scheduler launches it as dataflow.service_account, which environment "
            + env.name() + " (" + env.displayPath() + ") does not set"))));
    // gcloud names the headers flag differently when it creates and when it updates a job.
    List<String> create = new ArrayList<>(List.of("gcloud", "scheduler", "jobs", "create", "http"));
    create.addAll(flags);
    create.addAll(List.of("--headers", "Content-Type=application/json"));
    List<String> update = new ArrayList<>(List.of("gcloud", "scheduler", "jobs", "update", "http"));
    update.addAll(flags);
    update.addAll(List.of("--update-headers", "Content-Type=application/json"));
    String next = cron.next(request.now().atZone(ZoneOffset.UTC), 3).stream().map(Object::toString)
        .collect(Collectors.joining(", "));
    return new DeployStep("launches " + def.name() + " on '" + cron.spec().cron() + "' (" + cron.spec().timeZone()
        + "); next: " + next + "; updated in place when it exists", create,
        Optional.of(List.of("gcloud", "scheduler", "jobs", "describe", name, "--project", project, "--location",
            df.region())), Optional.of(update));
  }

  /** The flexTemplates.launch request the scheduler sends: the template, its parameters, the job's settings. */
  static String launchBody(Request request, String path, SegmentDefinition def, String spec) {
    Environment env = request.env();
    Environment.Gcp gcp = env.gcp().orElseThrow();
    Environment.Dataflow df = env.dataflow().orElseThrow();
    ObjectNode body = JSON.createObjectNode();
    ObjectNode launch = body.putObject("launchParameter");
    // A fixed name: Dataflow refuses a second running job of that name, so a refresh still running when the
    // next one is due makes the next one fail rather than run twice at once. Each launch has its own run id.
    launch.put("jobName", schedulerJob(def) + "-scheduled");
    launch.put("containerSpecGcsPath", spec);
    ObjectNode parameters = launch.putObject("parameters");
    parameters(request, path).forEach(parameters::put);
    ObjectNode environment = launch.putObject("environment");
    environment.put("tempLocation", gcp.tempLocation());
    environment.put("stagingLocation", stagingLocation(env));
    df.serviceAccount().ifPresent(a -> environment.put("serviceAccountEmail", a));
    df.maxWorkers().ifPresent(n -> environment.put("maxWorkers", n));
    df.machineType().ifPresent(m -> environment.put("machineType", m));
    df.subnetwork().ifPresent(s -> {
      environment.put("subnetwork", s);
      environment.put("ipConfiguration", "WORKER_IP_PRIVATE");
    });
    return body.toString();
  }

  /** The Cloud Scheduler job of a definition; its launches' Dataflow job is named after it. */
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
