package io.segflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutures;
import com.google.api.gax.batching.BatchingSettings;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.api.services.pubsub.Pubsub;
import com.google.api.services.pubsub.model.AcknowledgeRequest;
import com.google.api.services.pubsub.model.PullRequest;
import com.google.api.services.pubsub.model.ReceivedMessage;
import com.google.cloud.pubsub.v1.AckReplyConsumer;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.segflow.transforms.io.CsvRecords;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.threeten.bp.Duration;

/**
 * The Pub/Sub side of {@code bench/stream.sh}, against the emulator and a {@code segflow stream} already
 * running: measures what a bare subscriber pulls and acknowledges from the emulator, then publishes a CSV
 * file's rows as JSON events (as fast as the emulator takes them), receives the stream's changes from their
 * topic until none has come for a while, and prints the lines the issue asks for. The first WARMUP events
 * are published and their changes received before the rest are timed: a stream runs for days, and in the
 * first seconds of a fresh JVM the JIT's C2 thread took more than half a core (measured on 2026-12-06 from
 * /proc during a 50,000-event run), which a measure of the first seconds only would count as the job's cost.
 *
 * <pre>
 * events/s: N                      events timed / (last change received - first timed event published)
 * p99 event-to-change: X ms        a change's arrival - the publish of the newest event of its customer
 * parity: A/B                      customers whose last streamed segment is the replay's at their last event
 * emulator pull/s: M               a one-thread synchronous REST pull of 1,000 at a time, acknowledged
 * </pre>
 *
 * Before the stream's events, it also prints the p99 of a bare subscriber's publish-to-pull latency with the
 * timed events published to it alike: on a burst, the floor the emulator puts under any subscriber's p99.
 *
 * Usage: {@code StreamBench HOST PROJECT CSV BARE_MESSAGES COLUMNS ENTITY_COLUMN TIME_COLUMN TIME_FORMAT ZONE
 * EXPECTED_CHANGES WARMUP}
 * where COLUMNS are the source's declared columns (comma-separated) and EXPECTED_CHANGES is the replay's
 * changes.csv of the same file (its changes at as_of, which a live stream has no timer for yet, left out).
 * Topics: events (subscription of the stream), changes + changes-bench, bare + bare-bench.
 */
public final class StreamBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long IDLE_MILLIS = 15_000;
  /** How a change's event_time is written (Joda's ISO form, milliseconds always). */
  private static final DateTimeFormatter CHANGE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

  private StreamBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 12) {
      System.err.println("usage: StreamBench HOST PROJECT CSV BARE_MESSAGES COLUMNS ENTITY_COLUMN TIME_COLUMN "
          + "TIME_FORMAT ZONE EXPECTED_CHANGES WARMUP RATE");
      System.exit(2);
    }
    String host = args[0];
    String project = args[1];
    int bareMessages = Integer.parseInt(args[3]);
    List<String> columns = Arrays.asList(args[4].split(","));
    ManagedChannel channel = ManagedChannelBuilder.forTarget(host).usePlaintext().build();
    TransportChannelProvider channels = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    try {
      double pullRate = barePullRate(channels, host, project, bareMessages);
      List<ObjectNode> events = events(Path.of(args[2]), columns);
      int warmup = Math.min(Integer.parseInt(args[10]), events.size());
      long bareP99 = bareP99(channels, host, project, events.subList(warmup, events.size()),
          Integer.parseInt(args[11]));
      System.out.printf("bare subscriber p99 publish-to-pull, the timed events published alike: %d ms%n", bareP99);
      Map<String, String> expected = expected(Path.of(args[9]));
      run(channels, project, events, args[5], args[6], DateTimeFormatter.ofPattern(args[7]).withZone(ZoneId.of(args[8])),
          expected, pullRate, Integer.parseInt(args[10]), Integer.parseInt(args[11]));
    } finally {
      channel.shutdownNow();
    }
  }

  private static void run(TransportChannelProvider channels, String project, List<ObjectNode> events, String entity,
      String timeColumn, DateTimeFormatter times, Map<String, String> expected, double pullRate, int warmup,
      int rate) throws Exception {
    Map<String, Long> publishedAt = new ConcurrentHashMap<>(); // customer|event time -> publish millis
    ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
    List<JsonNode> changes = java.util.Collections.synchronizedList(new ArrayList<>());
    long[] lastChange = {0};
    Subscriber subscriber = Subscriber.newBuilder(ProjectSubscriptionName.of(project, "changes-bench"),
            (PubsubMessage m, AckReplyConsumer ack) -> {
              long now = System.currentTimeMillis();
              try {
                JsonNode change = JSON.readTree(m.getData().toStringUtf8());
                changes.add(change);
                Long sent = publishedAt.get(change.path("customer_id").asText() + "|" + change.path("event_time").asText());
                if (sent != null) {
                  latencies.add(new long[] {now - sent});
                }
              } catch (java.io.IOException e) {
                throw new IllegalStateException("a change that is not JSON: " + m.getData().toStringUtf8(), e);
              }
              synchronized (lastChange) {
                lastChange[0] = now;
              }
              ack.ack();
            })
        .setChannelProvider(channels).setCredentialsProvider(NoCredentialsProvider.create()).build();
    subscriber.startAsync().awaitRunning();
    Publisher publisher = publisher(channels, project, "events");
    // The newest event of each customer so far: a change is at its customer's newest event time.
    Map<String, Long> newest = new HashMap<>();
    int warm = Math.min(warmup, events.size());
    if (warm > 0) {
      long started = System.currentTimeMillis();
      long published = publish(publisher, events, 0, warm, entity, timeColumn, times, newest, publishedAt, 0);
      long done = awaitQuiet(lastChange, published);
      System.out.printf("warm-up: %,d events and their changes in %.1f s, not timed%n", warm, (done - started) / 1000.0);
      latencies.clear();
    }
    long first = System.currentTimeMillis();
    long published = publish(publisher, events, warm, events.size(), entity, timeColumn, times, newest, publishedAt,
        rate);
    publisher.shutdown();
    publisher.awaitTermination(30, TimeUnit.SECONDS);
    awaitQuiet(lastChange, published);
    subscriber.stopAsync().awaitTerminated();
    long end;
    synchronized (lastChange) {
      end = lastChange[0];
    }
    long[] sorted = latencies.stream().mapToLong(l -> l[0]).sorted().toArray();
    Map<String, String> streamed = finalSegments(changes);
    long agree = expected.entrySet().stream().filter(e -> e.getValue().equals(streamed.get(e.getKey()))).count();
    int timed = events.size() - warm;
    System.out.printf("published %,d timed events in %.1f s (%,.0f/s); %,d changes received in all%n", timed,
        (published - first) / 1000.0, timed * 1000.0 / Math.max(1, published - first), changes.size());
    System.out.printf("events/s: %.0f%n", timed * 1000.0 / Math.max(1, end - first));
    System.out.printf("p99 event-to-change: %d ms%n", p99(sorted));
    System.out.printf("parity: %d/%d%n", agree, expected.size());
    System.out.printf("emulator pull/s: %.0f%n", pullRate);
  }

  /** CustomerID 17850.0 in the file, 17850 in the changes (the features cast it to BIGINT). */
  private static String customerId(String text) {
    return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
  }

  /**
   * Publishes events [from, to), at {@code rate} a second (0: as fast as the emulator takes them), and
   * returns when the emulator has them all; notes when each customer's newest event so far was published.
   */
  private static long publish(Publisher publisher, List<ObjectNode> events, int from, int to, String entity,
      String timeColumn, DateTimeFormatter times, Map<String, Long> newest, Map<String, Long> publishedAt, int rate)
      throws Exception {
    List<ApiFuture<String>> sent = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = from; i < to; i++) {
      awaitSlot(start, i - from, rate);
      ObjectNode event = events.get(i);
      String customer = customerId(event.path(entity).asText());
      long at = LocalDateTime.parse(event.path(timeColumn).asText(), times).atZone(times.getZone()).toInstant().toEpochMilli();
      if (at >= newest.getOrDefault(customer, Long.MIN_VALUE)) {
        newest.put(customer, at);
        publishedAt.putIfAbsent(customer + "|" + CHANGE_TIME.format(java.time.Instant.ofEpochMilli(at)),
            System.currentTimeMillis());
      }
      sent.add(publisher.publish(PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8(event.toString()))
          .putAttributes("event_id", "e" + i).build()));
    }
    ApiFutures.allAsList(sent).get();
    return System.currentTimeMillis();
  }

  /** Waits until no change has come for {@link #IDLE_MILLIS} since {@code published}; returns the last one's time. */
  private static long awaitQuiet(long[] lastChange, long published) throws InterruptedException {
    while (true) {
      long last;
      synchronized (lastChange) {
        last = lastChange[0];
      }
      if (System.currentTimeMillis() - Math.max(last, published) > IDLE_MILLIS) {
        return Math.max(last, published);
      }
      Thread.sleep(500);
    }
  }

  /** A publisher to the topic that sends a batch at 1,000 messages, 1 MB or 5 ms, whichever comes first. */
  private static Publisher publisher(TransportChannelProvider channels, String project, String topic)
      throws java.io.IOException {
    return Publisher.newBuilder(TopicName.of(project, topic)).setChannelProvider(channels)
        .setCredentialsProvider(NoCredentialsProvider.create())
        .setBatchingSettings(BatchingSettings.newBuilder().setElementCountThreshold(1000L)
            .setRequestByteThreshold(1_000_000L).setDelayThreshold(Duration.ofMillis(5)).build())
        .build();
  }

  /**
   * Pub/Sub's REST API through Google's client, which Beam's PubsubIO uses to pull (its gRPC client insists
   * on TLS, which the emulator does not speak).
   */
  private static Pubsub rest(String host) {
    return new Pubsub.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(), request -> { })
        .setRootUrl("http://" + host + "/").setApplicationName("segflow-bench").build();
  }

  /** A bare subscriber's rate: publish that many small messages, then pull and acknowledge them, one thread. */
  private static double barePullRate(TransportChannelProvider channels, String host, String project, int messages)
      throws Exception {
    Publisher publisher = publisher(channels, project, "bare");
    List<ApiFuture<String>> sent = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      sent.add(publisher.publish(PubsubMessage.newBuilder()
          .setData(ByteString.copyFromUtf8("{\"n\":" + i + ",\"payload\":\"" + "x".repeat(80) + "\"}")).build()));
    }
    ApiFutures.allAsList(sent).get();
    publisher.shutdown();
    publisher.awaitTermination(30, TimeUnit.SECONDS);
    Pubsub rest = rest(host); // pulled as the stream pulls
    String subscription = ProjectSubscriptionName.format(project, "bare-bench");
    long start = System.nanoTime();
    int pulled = 0;
    while (pulled < messages) {
      pulled += pullAndAcknowledge(rest, subscription).size();
    }
    return pulled / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * What the emulator alone gives a subscriber that does nothing: the timed events published to the bare
   * topic as the timed phase publishes them (as fast as the emulator takes them, or at {@code rate} a
   * second), pulled and acknowledged meanwhile by one REST thread as {@link #barePullRate} pulls; the 99th
   * percentile of each message's pull time after its publish. The floor under the stream's p99 on a burst.
   */
  private static long bareP99(TransportChannelProvider channels, String host, String project, List<ObjectNode> events,
      int rate) throws Exception {
    Pubsub rest = rest(host);
    String subscription = ProjectSubscriptionName.format(project, "bare-bench");
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
    Thread puller = new Thread(() -> {
      try {
        while (latencies.size() < events.size()) {
          List<ReceivedMessage> received = pullAndAcknowledge(rest, subscription);
          long now = System.currentTimeMillis();
          received.forEach(m -> latencies.add(now - Long.parseLong(m.getMessage().getAttributes().get("sent"))));
        }
      } catch (java.io.IOException | RuntimeException e) {
        failed.set(e);
      }
    }, "bare-puller");
    puller.setDaemon(true);
    puller.start();
    Publisher publisher = publisher(channels, project, "bare");
    List<ApiFuture<String>> sent = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < events.size(); i++) {
      awaitSlot(start, i, rate);
      sent.add(publisher.publish(PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8(events.get(i).toString()))
          .putAttributes("sent", Long.toString(System.currentTimeMillis())).build()));
    }
    ApiFutures.allAsList(sent).get();
    publisher.shutdown();
    publisher.awaitTermination(30, TimeUnit.SECONDS);
    puller.join(TimeUnit.MINUTES.toMillis(5));
    if (failed.get() != null) {
      throw new IllegalStateException("the bare subscriber failed", failed.get());
    }
    if (puller.isAlive()) {
      throw new IllegalStateException("the bare subscriber pulled " + latencies.size() + " of " + events.size()
          + " messages in 5 minutes");
    }
    return p99(latencies.stream().mapToLong(Long::longValue).sorted().toArray());
  }

  /** Up to 1,000 messages pulled and acknowledged in one synchronous round trip each; none is an empty list. */
  private static List<ReceivedMessage> pullAndAcknowledge(Pubsub rest, String subscription) throws java.io.IOException {
    List<ReceivedMessage> received = rest.projects().subscriptions()
        .pull(subscription, new PullRequest().setMaxMessages(1000)).execute().getReceivedMessages();
    if (received == null || received.isEmpty()) {
      return List.of();
    }
    rest.projects().subscriptions().acknowledge(subscription, new AcknowledgeRequest()
        .setAckIds(received.stream().map(ReceivedMessage::getAckId).toList())).execute();
    return received;
  }

  /** Waits for the n-th message's turn at {@code rate} a second from {@code start} (nanos); 0 waits for none. */
  private static void awaitSlot(long start, int n, int rate) {
    if (rate > 0) {
      long wait = start + (long) (n * 1e9 / rate) - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
    }
  }

  /** The 99th percentile of sorted values (nearest rank), -1 of none. */
  private static long p99(long[] sorted) {
    return sorted.length == 0 ? -1 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
  }

  /** The file's rows as the JSON objects a producer would publish: the declared columns, as text. */
  private static List<ObjectNode> events(Path csv, List<String> columns) throws Exception {
    List<ObjectNode> out = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(csv.toString().endsWith(".gz")
        ? new GZIPInputStream(Files.newInputStream(csv)) : Files.newInputStream(csv), StandardCharsets.UTF_8))) {
      CsvRecords records = new CsvRecords(in, ',');
      List<String> header = records.next().fields();
      int[] index = columns.stream().mapToInt(header::indexOf).toArray();
      for (CsvRecords.Record r = records.next(); r != null; r = records.next()) {
        ObjectNode event = JSON.createObjectNode();
        for (int c = 0; c < index.length; c++) {
          event.put(columns.get(c), r.fields().get(index[c]));
        }
        out.add(event);
      }
    }
    return out;
  }

  /** Each customer's last segment in the replay's changes, before the replay's evaluation at as_of. */
  private static Map<String, String> expected(Path changesCsv) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(changesCsv)) {
      CsvRecords records = new CsvRecords(in, ',');
      List<String> header = records.next().fields();
      if (!header.subList(1, 5).equals(List.of("from_segment", "to_segment", "event_time", "sequence"))) {
        throw new IllegalStateException(changesCsv + " has unexpected columns: " + header);
      }
      for (CsvRecords.Record r = records.next(); r != null; r = records.next()) {
        rows.add(r.fields());
      }
    }
    // ISO instants of one width order as text; the latest of all is as_of's evaluation.
    String asOf = rows.stream().map(r -> r.get(3)).max(String::compareTo).orElse(null);
    Map<String, String> segment = new TreeMap<>();
    Map<String, Long> sequence = new HashMap<>();
    for (List<String> r : rows) {
      long number = Long.parseLong(r.get(4));
      if (!r.get(3).equals(asOf) && sequence.getOrDefault(r.get(0), 0L) < number) {
        segment.put(r.get(0), r.get(2));
        sequence.put(r.get(0), number);
      }
    }
    return segment;
  }


  /** Each customer's segment after their changes: the one their last change, by its sequence, led to. */
  public static Map<String, String> finalSegments(List<JsonNode> changes) {
    Map<String, JsonNode> last = new HashMap<>();
    synchronized (changes) {
      changes.forEach(c -> last.merge(c.path("customer_id").asText(), c,
          (a, b) -> a.path("sequence").asLong() >= b.path("sequence").asLong() ? a : b));
    }
    Map<String, String> out = new HashMap<>();
    last.forEach((customer, change) -> out.put(customer, change.path("to_segment").asText()));
    return out;
  }

}
