package io.segflow.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Cloud CLI's Pub/Sub emulator, started by {@code pipelines/pubsub/emulator.sh} on a port and folder of
 * its own for a test class ({@code @RegisterExtension static}); the class is skipped, saying why, on a
 * machine without the emulator. Topics, publishing and pulling go through the emulator's REST API.
 */
final class PubsubEmulator implements BeforeAllCallback, AfterAllCallback {
  static final String PROJECT = "segflow-local";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final int port;
  private final Path folder;
  private final HttpClient http = HttpClient.newHttpClient();
  private boolean started;

  /** A message as published and as pulled. */
  record Message(String data, Map<String, String> attributes) {}

  PubsubEmulator(int port, String folder) {
    this.port = port;
    this.folder = Path.of(folder).toAbsolutePath();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    int exit = script("start");
    Assumptions.assumeTrue(exit != 3, "the Pub/Sub emulator is not installed here (Google Cloud CLI package "
        + "google-cloud-cli-pubsub-emulator, or PUBSUB_EMULATOR_JAR): the Pub/Sub stream tests are skipped");
    if (exit != 0) {
      throw new IllegalStateException("emulator.sh start exited " + exit + "; see " + folder.resolve("emulator.log"));
    }
    started = true;
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (started) {
      script("stop");
    }
  }

  /** host:port, as PUBSUB_EMULATOR_HOST holds it. */
  String host() {
    return "localhost:" + port;
  }

  /** A topic and its subscriptions, created through the script users run. */
  void topic(String topic, String... subscriptions) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("topic", topic));
    args.addAll(List.of(subscriptions));
    int exit = script(args.toArray(String[]::new));
    if (exit != 0) {
      throw new IllegalStateException("emulator.sh topic " + topic + " exited " + exit);
    }
  }

  void publish(String topic, List<Message> messages) throws IOException, InterruptedException {
    for (int from = 0; from < messages.size(); from += 1000) {
      ArrayNode batch = JSON.createArrayNode();
      for (Message m : messages.subList(from, Math.min(messages.size(), from + 1000))) {
        ObjectNode node = batch.addObject();
        node.put("data", Base64.getEncoder().encodeToString(m.data().getBytes(StandardCharsets.UTF_8)));
        m.attributes().forEach(node.putObject("attributes")::put);
      }
      post("topics/" + topic + ":publish", JSON.createObjectNode().set("messages", batch));
    }
  }

  /** What the subscription holds now (up to 1,000), acknowledged. */
  List<Message> pull(String subscription) throws IOException, InterruptedException {
    JsonNode pulled = post("subscriptions/" + subscription + ":pull",
        JSON.createObjectNode().put("maxMessages", 1000).put("returnImmediately", true));
    List<Message> out = new ArrayList<>();
    ArrayNode acks = JSON.createArrayNode();
    for (JsonNode received : pulled.path("receivedMessages")) {
      JsonNode m = received.path("message");
      Map<String, String> attributes = new java.util.TreeMap<>();
      m.path("attributes").fields().forEachRemaining(a -> attributes.put(a.getKey(), a.getValue().asText()));
      out.add(new Message(new String(Base64.getDecoder().decode(m.path("data").asText()), StandardCharsets.UTF_8),
          attributes));
      acks.add(received.path("ackId").asText());
    }
    if (!acks.isEmpty()) {
      post("subscriptions/" + subscription + ":acknowledge", JSON.createObjectNode().set("ackIds", acks));
    }
    return out;
  }

  private JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://" + host() + "/v1/projects/" + PROJECT + "/" + path))
        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("POST " + path + ": HTTP " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
  }

  private int script(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", "pipelines/pubsub/emulator.sh"));
    command.addAll(List.of(args));
    Files.createDirectories(folder);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("script.log").toFile()));
    pb.environment().put("PUBSUB_PORT", String.valueOf(port));
    pb.environment().put("PUBSUB_DIR", folder.toString());
    Process process = pb.start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("emulator.sh " + String.join(" ", args) + " did not finish in 90 s");
    }
    return process.exitValue();
  }
}
