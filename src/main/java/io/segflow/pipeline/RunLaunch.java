package io.segflow.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segflow.dsl.env.Environment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * What a run launched on Dataflow needs to be published by another process once its job is done: the run's
 * id and time (every staged row carries that time), the published run it follows (its segment ids were
 * kept from that run), the parameter values it was compiled with, a digest of the definition's text, and
 * the job. A launcher that returns without waiting (a Flex Template) writes it beside the environment's
 * temp location; {@code segflow publish} reads it back.
 *
 * @param definitionDigest SHA-256 of the definition file's text, so a publish from an edited definition is refused
 */
public record RunLaunch(String definition, String runId, Instant runTime, Optional<String> previousRunId,
    Map<String, String> parameters, String definitionDigest, String jobId) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public RunLaunch {
    parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** {@code <temp_location>/segflow/launches/<definition>/<run id>.json}: where the environment keeps the run's launch. */
  public static String location(Environment env, String definition, String runId) {
    String temp = env.gcp().orElseThrow(() -> new IllegalArgumentException("environment " + env.name()
        + " has no gcp.temp_location, where launches are kept")).tempLocation();
    return temp.replaceAll("/+$", "") + "/segflow/launches/" + definition + "/" + runId + ".json";
  }

  /** SHA-256 of a definition's text, as the launch records it. */
  public static String digest(String definitionText) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(definitionText.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("definition", definition);
    root.put("run_id", runId);
    root.put("run_time", runTime.toString());
    root.put("previous_run_id", previousRunId.orElse(null));
    root.set("parameters", JSON.valueToTree(parameters));
    root.put("definition_sha256", definitionDigest);
    root.put("job_id", jobId);
    return root.toPrettyString();
  }

  /**
   * The launch in {@code json}, read from {@code where} (named in messages).
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  public static RunLaunch parse(String json, String where) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(where + " is not JSON: " + e.getOriginalMessage());
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    root.path("parameters").fields().forEachRemaining(p -> parameters.put(p.getKey(), p.getValue().asText()));
    Instant runTime;
    try {
      runTime = Instant.parse(text(root, "run_time", where));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(where + ": run_time is not an instant: " + root.get("run_time").asText());
    }
    return new RunLaunch(text(root, "definition", where), text(root, "run_id", where), runTime,
        root.path("previous_run_id").isTextual() ? Optional.of(root.get("previous_run_id").asText()) : Optional.empty(),
        parameters, text(root, "definition_sha256", where), text(root, "job_id", where));
  }

  private static String text(JsonNode root, String field, String where) {
    JsonNode value = root.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": " + field + " is missing");
    }
    return value.asText();
  }

  /** Writes the launch to {@code location} (gs:// or a local path) with Beam's file systems. */
  public void write(String location) throws IOException {
    ResourceId file = FileSystems.matchNewResource(location, false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.TEXT))) {
      out.write(toJson().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The launch kept at {@code location}; empty when there is none. */
  public static Optional<RunLaunch> read(String location) throws IOException {
    org.apache.beam.sdk.io.fs.MatchResult match = FileSystems.match(location);
    if (match.status() != org.apache.beam.sdk.io.fs.MatchResult.Status.OK || match.metadata().isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(match.metadata().get(0).resourceId()))) {
      return Optional.of(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), location));
    }
  }
}
