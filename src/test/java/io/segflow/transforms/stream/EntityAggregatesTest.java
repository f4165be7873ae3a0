package io.segflow.transforms.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segflow.transforms.stream.EntityAggregates.Aggregate;
import io.segflow.transforms.stream.EntityAggregates.Kind;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Aggregates kept per customer as purchase events arrive, redeliveries counted once, state that forgets. */
@ExtendWith(TestPipelineExtension.class)
class EntityAggregatesTest {
  static final Schema EVENTS = Schema.builder().addStringField("event_id").addStringField("customer_id")
      .addStringField("order_id").addNullableField("amount", Schema.FieldType.DOUBLE)
      .addDateTimeField("at").build();
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final List<Aggregate> AGGREGATES = List.of(Aggregate.countAll("events"),
      Aggregate.of(Kind.COUNT, "amount", "priced"), Aggregate.of(Kind.SUM, "amount", "spend"),
      Aggregate.of(Kind.MIN, "amount", "smallest"), Aggregate.of(Kind.MAX, "at", "last_at"),
      Aggregate.of(Kind.AVG, "amount", "average"), Aggregate.of(Kind.COUNT_DISTINCT, "order_id", "orders"));
  static final EntityAggregates KEEP = EntityAggregates.of(EVENTS, AGGREGATES, "event_id", Duration.standardHours(1));

  static TimestampedValue<KV<String, Row>> event(String id, String customer, String order, Double amount,
      int minutes) {
    Instant at = T0.plus(Duration.standardMinutes(minutes));
    return TimestampedValue.of(KV.of(customer, Row.withSchema(EVENTS).addValues(id, customer, order, amount, at)
        .build()), at);
  }

  static Row kept(long events, long priced, double spend, Double smallest, int lastMinutes, Double average, long orders) {
    return Row.withSchema(KEEP.outputSchema()).addValues(events, priced, spend, smallest,
        T0.plus(Duration.standardMinutes(lastMinutes)), average, orders).build();
  }

  static TestStream<KV<String, Row>> purchases() {
    return TestStream.create(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(EVENTS)))
        .advanceWatermarkTo(T0)
        .addElements(event("e1", "c1", "o1", 10.0, 0), event("e2", "c1", "o1", 30.0, 5),
            event("e3", "c2", "o9", null, 7))
        // e2 delivered again (Pub/Sub delivers at least once): not counted.
        .addElements(event("e2", "c1", "o1", 30.0, 5))
        .advanceWatermarkTo(T0.plus(Duration.standardMinutes(30)))
        .addElements(event("e4", "c1", "o2", 20.0, 40))
        // Within the hour's lateness of c1's latest (40): a copy of e1 (0) is still known, and not counted.
        .addElements(event("e1", "c1", "o1", 10.0, 0))
        // Three hours on, e1 is more than the lateness behind c1's latest: it is forgotten, and a copy is late.
        .addElements(event("e5", "c1", "o3", 1.0, 180))
        .advanceWatermarkTo(T0.plus(Duration.standardHours(4)))
        .addElements(event("e1", "c1", "o1", 10.0, 0))
        .advanceWatermarkToInfinity();
  }

  @Test
  void eachEventUpdatesItsCustomersAggregatesAndARedeliveryIsCountedOnce(TestPipeline p) {
    PCollection<KV<String, Row>> out = p.apply(purchases()).apply(KEEP).updates();

    PAssert.that(out).containsInAnyOrder(UPDATES);
    p.run().waitUntilFinish();
  }

  /** What {@link #purchases()} make of c1 and c2. */
  static final List<KV<String, Row>> UPDATES = List.of(
      KV.of("c1", kept(1, 1, 10.0, 10.0, 0, 10.0, 1)),
      KV.of("c1", kept(2, 2, 40.0, 10.0, 5, 20.0, 1)),
      // NULL amounts are left out of COUNT(amount), SUM, MIN and AVG, and counted by COUNT(*).
      KV.of("c2", Row.withSchema(KEEP.outputSchema()).addValues(1L, 0L, 0.0, null,
          T0.plus(Duration.standardMinutes(7)), null, 1L).build()),
      KV.of("c1", kept(3, 3, 60.0, 10.0, 40, 20.0, 2)),
      KV.of("c1", kept(4, 4, 61.0, 1.0, 180, 15.25, 3)));

  /** The copy of e1 that {@link #purchases()} deliver after c1's purchase three hours on. */
  static final Row LATE_COPY = Row.withSchema(KEEP.lateSchema()).addValues("c1",
      event("e1", "c1", "o1", 10.0, 0).getValue().getValue(), "event at 2026-12-01T10:00:00.000Z came after one at "
          + "2026-12-01T13:00:00.000Z: more than the allowed lateness (1h) behind it").build();

  @Test
  void anEventMoreThanTheAllowedLatenessBehindItsCustomersLatestIsLateWithTheReasonAndCountsForNothing(
      TestPipeline p) {
    EntityAggregates.Result out = p.apply(purchases()).apply(KEEP);

    PAssert.that(out.late()).containsInAnyOrder(LATE_COPY);
    p.run().waitUntilFinish();
  }

  @Test
  void withoutIdsAnyEventWithinTheLatenessCountsAndAnOlderOneIsLate(TestPipeline p) {
    EntityAggregates keep = EntityAggregates.withoutIds(EVENTS, AGGREGATES).withAllowedLateness(Duration.standardMinutes(30));
    EntityAggregates.Result out = p.apply(TestStream.create(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(EVENTS)))
            .advanceWatermarkTo(T0)
            .addElements(event("e1", "c1", "o1", 10.0, 60))
            .addElements(event("e2", "c1", "o2", 5.0, 30)) // exactly the lateness behind: counted
            .addElements(event("e3", "c1", "o3", 3.0, 29)) // a minute more: late
            .addElements(event("e4", "c2", "o4", 2.0, 0)) // another customer's clock: counted
            .advanceWatermarkToInfinity())
        .apply(keep);

    PAssert.that(out.updates()).containsInAnyOrder(
        KV.of("c1", kept(1, 1, 10.0, 10.0, 60, 10.0, 1)),
        KV.of("c1", kept(2, 2, 15.0, 5.0, 60, 7.5, 2)),
        KV.of("c2", kept(1, 1, 2.0, 2.0, 0, 2.0, 1)));
    PAssert.that(out.late().apply(org.apache.beam.sdk.transforms.MapElements.into(
            org.apache.beam.sdk.values.TypeDescriptors.strings()).via((Row r) -> r.getString("reason"))))
        .containsInAnyOrder("event at 2026-12-01T10:29:00.000Z came after one at 2026-12-01T11:00:00.000Z: more than "
            + "the allowed lateness (30m) behind it");
    p.run().waitUntilFinish();
  }

  @Test
  void anEventArrivingAfterALaterOneMovesTheAggregatesButNotTheCustomersTime(TestPipeline p) {
    PCollection<KV<String, Row>> out = p.apply(TestStream.create(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(EVENTS)))
            .advanceWatermarkTo(T0)
            .addElements(event("e1", "c1", "o1", 10.0, 40))
            .addElements(event("e2", "c1", "o2", 5.0, 10)) // bought at 10, delivered after the purchase at 40
            .addElements(event("e3", "c1", "o3", 3.0, 50))
            .advanceWatermarkToInfinity())
        .apply(KEEP).updates();

    PAssert.that(out.apply(org.apache.beam.sdk.transforms.Reify.timestamps())).containsInAnyOrder(
        TimestampedValue.of(KV.of("c1", kept(1, 1, 10.0, 10.0, 40, 10.0, 1)), T0.plus(Duration.standardMinutes(40))),
        TimestampedValue.of(KV.of("c1", kept(2, 2, 15.0, 5.0, 40, 7.5, 2)), T0.plus(Duration.standardMinutes(40))),
        TimestampedValue.of(KV.of("c1", kept(3, 3, 18.0, 3.0, 50, 6.0, 3)), T0.plus(Duration.standardMinutes(50))));
    p.run().waitUntilFinish();
  }

  /**
   * Re-evaluation: a quiet customer's aggregates come again every hour after their latest update, at that
   * time, until three hours after their latest event; an event in between starts the count again.
   */
  @Test
  void aQuietCustomerIsReevaluatedEveryIntervalUntilTheHorizonAfterTheirLatestEvent(TestPipeline p) {
    PCollection<KV<String, Row>> out = p.apply(quiet()).apply(HOURLY).updates();

    PAssert.that(out.apply(org.apache.beam.sdk.transforms.Reify.timestamps())).containsInAnyOrder(QUIET_UPDATES);
    p.run().waitUntilFinish();
  }

  /**
   * An event older than a re-evaluation already sent (its timer fired before the event arrived) is evaluated
   * at that re-evaluation's time, not its own: an entity's updates never go back in time, so the step that
   * writes changes can tell one delivered out of order. The next re-evaluation counts from there.
   */
  @Test
  void anEventArrivingAfterAReevaluationPastItIsEvaluatedAtThatReevaluationsTime(TestPipeline p) {
    PCollection<KV<String, Row>> out = p.apply(TestStream.create(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(EVENTS)))
            .advanceWatermarkTo(T0)
            .addElements(event("e1", "c1", "o1", 10.0, 0))
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(90)))
            // Within the hour's lateness of c1's latest event (0), but the timer at 60 has fired.
            .addElements(event("e2", "c1", "o2", 5.0, 30))
            .advanceWatermarkToInfinity())
        .apply(HOURLY).updates();

    PAssert.that(out.apply(org.apache.beam.sdk.transforms.Reify.timestamps())).containsInAnyOrder(
        TimestampedValue.of(KV.of("c1", kept(1, 1, 10.0, 10.0, 0, 10.0, 1)), T0),
        TimestampedValue.of(KV.of("c1", kept(1, 1, 10.0, 10.0, 0, 10.0, 1)), T0.plus(Duration.standardMinutes(60))),
        TimestampedValue.of(KV.of("c1", kept(2, 2, 15.0, 5.0, 30, 7.5, 2)), T0.plus(Duration.standardMinutes(60))),
        TimestampedValue.of(KV.of("c1", kept(2, 2, 15.0, 5.0, 30, 7.5, 2)), T0.plus(Duration.standardMinutes(120))),
        TimestampedValue.of(KV.of("c1", kept(2, 2, 15.0, 5.0, 30, 7.5, 2)), T0.plus(Duration.standardMinutes(180))));
    p.run().waitUntilFinish();
  }

  /** Re-evaluated every hour, until three hours after the latest event. */
  static final EntityAggregates HOURLY = KEEP.withReevaluation(new EntityAggregates.Reevaluation(
      Duration.standardHours(1), Duration.standardHours(3)));

  /** c1 buys at 0, is quiet past 60, and buys again at 100. */
  static TestStream<KV<String, Row>> quiet() {
    return TestStream.create(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(EVENTS)))
        .advanceWatermarkTo(T0)
        .addElements(event("e1", "c1", "o1", 10.0, 0))
        // The watermark passes 60: c1 is evaluated again then, with the same aggregates.
        .advanceWatermarkTo(T0.plus(Duration.standardMinutes(90)))
        .addElements(event("e2", "c1", "o2", 5.0, 100))
        .advanceWatermarkToInfinity();
  }

  /** What {@link #HOURLY} makes of {@link #quiet()}: every hour after 100, up to 100 + 3 hours, then no more. */
  static final List<TimestampedValue<KV<String, Row>>> QUIET_UPDATES = List.of(
      TimestampedValue.of(KV.of("c1", kept(1, 1, 10.0, 10.0, 0, 10.0, 1)), T0),
      TimestampedValue.of(KV.of("c1", kept(1, 1, 10.0, 10.0, 0, 10.0, 1)), T0.plus(Duration.standardMinutes(60))),
      TimestampedValue.of(KV.of("c1", kept(2, 2, 15.0, 5.0, 100, 7.5, 2)), T0.plus(Duration.standardMinutes(100))),
      TimestampedValue.of(KV.of("c1", kept(2, 2, 15.0, 5.0, 100, 7.5, 2)), T0.plus(Duration.standardMinutes(160))),
      TimestampedValue.of(KV.of("c1", kept(2, 2, 15.0, 5.0, 100, 7.5, 2)), T0.plus(Duration.standardMinutes(220))),
      TimestampedValue.of(KV.of("c1", kept(2, 2, 15.0, 5.0, 100, 7.5, 2)), T0.plus(Duration.standardMinutes(280))));

  @Test
  void whatCannotBeKeptIsRefusedWhenTheTransformIsMade() {
    assertEquals("spend: SUM needs a numeric field, order_id is STRING", assertThrows(IllegalArgumentException.class,
        () -> EntityAggregates.of(EVENTS, List.of(Aggregate.of(Kind.SUM, "order_id", "spend")), "event_id",
            Duration.ZERO)).getMessage());
    assertEquals("x: the events have no field nope", assertThrows(IllegalArgumentException.class,
        () -> EntityAggregates.of(EVENTS, List.of(Aggregate.of(Kind.MAX, "nope", "x")), "event_id", Duration.ZERO))
        .getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> EntityAggregates.of(EVENTS, List.of(new Aggregate(Kind.SUM, null, "s")), "event_id",
            Duration.ZERO));
  }

  static final Schema MARKED = Schema.builder().addFields(EVENTS.getFields()).addBooleanField("past").build();

  static TimestampedValue<KV<String, Row>> marked(boolean past, String id, String customer, Double amount, int minutes) {
    TimestampedValue<KV<String, Row>> e = event(id, customer, "o-" + id, amount, minutes);
    return TimestampedValue.of(KV.of(customer, Row.withSchema(MARKED).addValues(e.getValue().getValue().getValues())
        .addValue(past).build()), e.getTimestamp());
  }

  /**
   * A stream started from its customers' history: the past changes nothing visible until the customer's
   * first event of the stream, whose update counts it; a past event coming after that updates as any
   * event does; and the past is never late, however old.
   */
  @Test
  void pastEventsAreCountedSilentlyUntilTheCustomersFirstStreamedEvent(TestPipeline p) {
    List<Aggregate> aggregates = List.of(Aggregate.countAll("events"), Aggregate.of(Kind.SUM, "amount", "spend"));
    EntityAggregates keep = EntityAggregates.withoutIds(MARKED, aggregates).withAllowedLateness(Duration.standardHours(1))
        .withPastEventsMarkedBy("past");
    EntityAggregates.Result out = p.apply(TestStream.create(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(MARKED)))
            .advanceWatermarkTo(T0)
            .addElements(marked(true, "h1", "c1", 10.0, 0), marked(true, "h2", "c1", 20.0, 600),
                marked(true, "h3", "c2", 5.0, 60))
            .addElements(marked(false, "s1", "c1", 1.0, 900))
            // Days older than c1's latest, far beyond the hour's lateness: the past is not late.
            .addElements(marked(true, "h4", "c1", 100.0, -5000))
            // A streamed event that is late is still late.
            .addElements(marked(false, "s2", "c1", 2.0, 0))
            .advanceWatermarkToInfinity())
        .apply(keep);

    Schema row = keep.outputSchema();
    Instant c1Latest = T0.plus(Duration.standardMinutes(900));
    PAssert.that(out.updates()).containsInAnyOrder(
        KV.of("c1", Row.withSchema(row).addValues(3L, 31.0).build()),
        KV.of("c1", Row.withSchema(row).addValues(4L, 131.0).build()));
    PAssert.that(out.updates().apply(org.apache.beam.sdk.transforms.Reify.timestamps())
            .apply("KeyAtTime", org.apache.beam.sdk.transforms.MapElements.into(org.apache.beam.sdk.values.TypeDescriptors.strings())
                .via(t -> t.getValue().getKey() + "@" + t.getTimestamp())))
        .containsInAnyOrder("c1@" + c1Latest, "c1@" + c1Latest);
    PAssert.that(out.late().apply("LateIds", org.apache.beam.sdk.transforms.MapElements.into(
            org.apache.beam.sdk.values.TypeDescriptors.strings()).via((Row r) -> r.getRow("event").getString("event_id"))))
        .containsInAnyOrder("s2");
    p.run().waitUntilFinish();
  }
}
