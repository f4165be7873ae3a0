package io.segflow.transforms.io;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutures;
import com.google.api.gax.batching.BatchingSettings;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.auth.Credentials;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Messages published to a Pub/Sub topic as they come, with Google's Pub/Sub client: a message waits at
 * most {@value #BATCH_MILLIS} ms for others to share its request, and a bundle finishes only once Pub/Sub
 * has taken every message of it, so a failed publish fails the bundle and the runner retries it (at least
 * once). PubsubIO's sink on the Direct and Flink runners holds a message up to 2 s to fill a batch
 * ({@code PubsubUnboundedSink}'s latency, which it does not let a caller set): most of a live stream's
 * event-to-change time. Against an emulator ({@code http://} root URL in {@link PubsubOptions}) it speaks
 * gRPC in plain text without credentials, as Google's clients do; otherwise with the pipeline's.
 */
public final class PubsubPublish extends PTransform<PCollection<PubsubMessage>, PDone> {
  static final int BATCH_MILLIS = 10;
  private final String topic;

  private PubsubPublish(String topic) {
    this.topic = topic;
  }

  /** @param topic {@code projects/PROJECT/topics/NAME} */
  public static PubsubPublish to(String topic) {
    TopicName.parse(Objects.requireNonNull(topic, "topic"));
    return new PubsubPublish(topic);
  }

  @Override
  public PDone expand(PCollection<PubsubMessage> messages) {
    messages.apply("Publish", ParDo.of(new PublishFn(topic)));
    return PDone.in(messages.getPipeline());
  }

  private static final class PublishFn extends DoFn<PubsubMessage, Void> {
    private final String topic;
    private transient Publisher publisher;
    private transient ManagedChannel channel;
    private transient List<ApiFuture<String>> pending;

    PublishFn(String topic) {
      this.topic = topic;
    }

    @StartBundle
    public void startBundle(StartBundleContext context) throws IOException {
      if (publisher == null) {
        publisher = publisher(context.getPipelineOptions());
      }
      pending = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element PubsubMessage message) {
      com.google.pubsub.v1.PubsubMessage.Builder out = com.google.pubsub.v1.PubsubMessage.newBuilder()
          .setData(ByteString.copyFrom(message.getPayload()));
      if (message.getAttributeMap() != null) {
        out.putAllAttributes(message.getAttributeMap());
      }
      pending.add(publisher.publish(out.build()));
    }

    @FinishBundle
    public void finishBundle() throws InterruptedException, ExecutionException {
      publisher.publishAllOutstanding();
      ApiFutures.allAsList(pending).get();
      pending = null;
    }

    @Teardown
    public void teardown() throws InterruptedException {
      if (publisher != null) {
        publisher.shutdown();
        publisher.awaitTermination(10, TimeUnit.SECONDS);
      }
      if (channel != null) {
        channel.shutdownNow();
      }
    }

    private Publisher publisher(PipelineOptions options) throws IOException {
      Publisher.Builder builder = Publisher.newBuilder(TopicName.parse(topic))
          .setBatchingSettings(BatchingSettings.newBuilder()
              .setDelayThreshold(org.threeten.bp.Duration.ofMillis(BATCH_MILLIS))
              .setElementCountThreshold(1_000L)
              .setRequestByteThreshold(1_000_000L)
              .build());
      String root = options.as(PubsubOptions.class).getPubsubRootUrl();
      if (root.startsWith("http://")) {
        channel = ManagedChannelBuilder.forTarget(root.substring("http://".length())).usePlaintext().build();
        return builder.setChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
            .setCredentialsProvider(NoCredentialsProvider.create()).build();
      }
      Credentials credentials = options.as(GcpOptions.class).getGcpCredential();
      return credentials == null ? builder.build()
          : builder.setCredentialsProvider(FixedCredentialsProvider.create(credentials)).build();
    }
  }
}
