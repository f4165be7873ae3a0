package io.segflow.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A Flink session cluster's jobs, from its REST API: Beam's detached result does not say which job it
 * submitted, and a user who hands a stream over to the cluster needs its id to cancel it.
 */
public final class FlinkSessionJobs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FlinkSessionJobs() {}

  /** The id of the running (or starting) job named {@code name} on the cluster at {@code master} (host:port). */
  public static Optional<String> runningJob(String master, String name) throws IOException, InterruptedException {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://" + master + "/jobs/overview")).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IOException("the Flink cluster at " + master + " answered " + answer.statusCode() + " to /jobs/overview");
    }
    for (JsonNode job : JSON.readTree(answer.body()).path("jobs")) {
      String state = job.path("state").asText();
      if (job.path("name").asText().equals(name)
          && (state.equals("RUNNING") || state.equals("CREATED") || state.equals("INITIALIZING"))) {
        return Optional.of(job.path("jid").asText());
      }
    }
    return Optional.empty();
  }
}
