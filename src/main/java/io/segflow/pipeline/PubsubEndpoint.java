package io.segflow.pipeline;

import java.util.Optional;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where a stream reaches Pub/Sub. {@code PUBSUB_EMULATOR_HOST} is how Google's client libraries and the
 * Cloud CLI are pointed at the emulator; Beam's PubsubIO does not read it, so segflow turns it into
 * PubsubIO's root URL, without credentials (the emulator takes none).
 */
public final class PubsubEndpoint {
  /** The variable Google's client libraries read: host:port of the emulator. */
  public static final String EMULATOR_VARIABLE = "PUBSUB_EMULATOR_HOST";

  private PubsubEndpoint() {}

  /** The options pointed at the emulator {@code PUBSUB_EMULATOR_HOST} names, if it is set. */
  public static PipelineOptions configure(PipelineOptions options) {
    return configure(options, Optional.ofNullable(System.getenv(EMULATOR_VARIABLE)).filter(h -> !h.isBlank()));
  }

  /** The options pointed at an emulator at {@code host:port}, or left at Google's service. */
  public static PipelineOptions configure(PipelineOptions options, Optional<String> emulatorHost) {
    emulatorHost.ifPresent(host -> {
      options.as(PubsubOptions.class).setPubsubRootUrl("http://" + host);
      options.as(GcpOptions.class).setCredentialFactoryClass(NoopCredentialFactory.class);
    });
    return options;
  }
}
