package io.segflow.transforms.io;

import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A source's rows from the messages of a Pub/Sub subscription (unbounded), each message's data one JSON
 * object typed as a JSON lines file's records are ({@link RecordTyper}). A message that is not a row goes
 * to the rejects with the subscription in place of the file and the message id in the reason. Built from
 * {@link SourceIO.Read#fromSubscription}; every {@code withX} returns a new one.
 */
public final class PubsubRead extends PTransform<PBegin, SourceIO.Result> {
  private final SourceIO.Settings settings;
  private final String subscription;
  private final @Nullable String idAttribute;
  private final @Nullable String timestampAttribute;

  PubsubRead(SourceIO.Settings settings, String subscription, @Nullable String idAttribute,
      @Nullable String timestampAttribute) {
    this.settings = settings;
    this.subscription = subscription;
    this.idAttribute = idAttribute;
    this.timestampAttribute = timestampAttribute;
  }

  /** The attribute a publisher repeats when it sends an event again: the runner keeps one message per value. */
  public PubsubRead withIdAttribute(String attribute) {
    return new PubsubRead(settings, subscription, attribute, timestampAttribute);
  }

  /** The attribute holding each event's time (milliseconds since the epoch, or RFC 3339); else publish time. */
  public PubsubRead withTimestampAttribute(String attribute) {
    return new PubsubRead(settings, subscription, idAttribute, attribute);
  }

  @Override
  public SourceIO.Result expand(PBegin begin) {
    PubsubIO.Read<PubsubMessage> messages = PubsubIO.readMessagesWithAttributesAndMessageId().fromSubscription(subscription);
    messages = idAttribute == null ? messages : messages.withIdAttribute(idAttribute);
    messages = timestampAttribute == null ? messages : messages.withTimestampAttribute(timestampAttribute);
    PCollectionTuple read = begin.apply("Messages", messages)
        .apply("Records", ParDo.of(new ReadMessagesFn(settings, subscription))
            .withOutputTags(ReadMessagesFn.ROWS, TupleTagList.of(ReadMessagesFn.REJECTS)));
    return SourceIO.Result.of(read.get(ReadMessagesFn.ROWS).setRowSchema(settings.schema()),
        read.get(ReadMessagesFn.REJECTS).setRowSchema(SourceRejects.SCHEMA));
  }

  /** One message, one row or one reject; counted as a file's records are. */
  static final class ReadMessagesFn extends DoFn<PubsubMessage, Row> {
    static final TupleTag<Row> ROWS = new TupleTag<>("segflow.pubsub.rows") {};
    static final TupleTag<Row> REJECTS = new TupleTag<>("segflow.pubsub.rejects") {};
    private final String source;
    private final String subscription;
    private final SourceCounters counters;
    private final RecordTyper typer;

    ReadMessagesFn(SourceIO.Settings settings, String subscription) {
      this.source = settings.name();
      this.subscription = subscription;
      this.counters = new SourceCounters(settings.name());
      this.typer = new RecordTyper(settings);
    }

    @ProcessElement
    public void process(@Element PubsubMessage message, MultiOutputReceiver out) {
      counters.read.inc();
      // Malformed UTF-8 becomes U+FFFD, which typing a field names as bytes that are not UTF-8.
      RecordTyper.Typed typed = typer.json(new String(message.getPayload(), StandardCharsets.UTF_8));
      if (typed.rejected()) {
        counters.rejected.inc();
        out.get(REJECTS).output(SourceRejects.of(source, subscription, null, typed.record(),
            "message " + message.getMessageId() + ": " + typed.reason()));
      } else {
        counters.rows.inc();
        out.get(ROWS).output(typed.row());
      }
    }

    @FinishBundle
    public void finishBundle() {
      counters.flush();
    }
  }
}
