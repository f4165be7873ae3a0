package io.segflow.pipeline;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.services.pubsub.Pubsub;
import com.google.auth.Credentials;
import com.google.auth.http.HttpCredentialsAdapter;
import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.EnvironmentLoader;
import io.segflow.dsl.env.SourceBinding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.extensions.gcp.util.Transport;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A stream's subscription and changes topic looked up before it starts. Without this a subscription that
 * does not exist makes the source retry its pull for ever and a missing topic fails only at the first
 * change, both far from the line to fix. Only "not found" refuses the start: an account may publish to a
 * topic it may not look up (Pub/Sub Publisher has no topics.get), and then the runner reports what fails.
 */
final class PubsubPreflight {
  private static final int TIMEOUT_MILLIS = 10_000;
  private static final int UNAUTHORIZED = 401;
  private static final int FORBIDDEN = 403;
  private static final int NOT_FOUND = 404;

  private PubsubPreflight() {}

  /** What does not exist, located in the environment file; empty when both do. */
  static List<Diagnostic> check(Environment env, String source, PipelineOptions options) throws StreamRun.Refused {
    SourceBinding.PubSub binding = (SourceBinding.PubSub) env.sources().get(source);
    List<Diagnostic> missing = new ArrayList<>();
    String endpoint = options.as(PubsubOptions.class).getPubsubRootUrl();
    Pubsub client = client(options);
    try {
      if (!exists(() -> client.projects().subscriptions().get(binding.subscription()).execute() != null)) {
        missing.add(located(env, List.of("sources", source, "subscription"), "sources." + source + ".subscription",
            "subscription " + binding.subscription() + " does not exist at " + endpoint + ": create it on the topic "
                + "the events are published to (gcloud pubsub subscriptions create), or name one that exists"));
      }
      Optional<String> topic = env.output().changesTopic();
      if (topic.isPresent() && !exists(() -> client.projects().topics().get(topic.get()).execute() != null)) {
        missing.add(located(env, List.of("output", "changes_topic"), "output.changes_topic", "topic " + topic.get()
            + " does not exist at " + endpoint + ": create it (gcloud pubsub topics create), or name one that exists"));
      }
    } catch (IOException e) {
      throw new StreamRun.Refused("cannot reach Pub/Sub at " + endpoint + " to look up " + binding.subscription()
          + ": " + e.getMessage() + (endpoint.startsWith("http://") ? " (is the emulator running?)" : ""), List.of());
    }
    return missing;
  }

  /**
   * Google's Pub/Sub client, asking once: Beam's PubsubClient retries an unreachable endpoint with backoff
   * for minutes (measured: 230 s before it gave up on a closed port), which a check before a start must not.
   */
  private static Pubsub client(PipelineOptions options) {
    Credentials credentials = options.as(GcpOptions.class).getGcpCredential();
    HttpRequestInitializer once = request -> {
      if (credentials != null) {
        new HttpCredentialsAdapter(credentials).initialize(request);
      }
      request.setConnectTimeout(TIMEOUT_MILLIS).setReadTimeout(TIMEOUT_MILLIS).setNumberOfRetries(0);
    };
    return new Pubsub.Builder(Transport.getTransport(), Transport.getJsonFactory(), once)
        .setRootUrl(options.as(PubsubOptions.class).getPubsubRootUrl()).setApplicationName("segflow").build();
  }

  private interface Lookup {
    boolean found() throws IOException;
  }

  /** What the lookup says, or false on a 404; true when the account may not look (401, 403): the runner's to report. */
  private static boolean exists(Lookup lookup) throws IOException {
    try {
      return lookup.found();
    } catch (GoogleJsonResponseException e) {
      if (e.getStatusCode() == NOT_FOUND) {
        return false;
      }
      if (e.getStatusCode() == UNAUTHORIZED || e.getStatusCode() == FORBIDDEN) {
        return true;
      }
      throw e;
    }
  }

  private static Diagnostic located(Environment env, List<String> path, String field, String message) {
    return Diagnostic.error(env.displayPath(), EnvironmentLoader.positionOf(env, path), DiagnosticCode.PUBSUB_NOT_FOUND,
        field, message);
  }
}
