package io.segflow.transforms.stream;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import io.segflow.transforms.values.MultiOutput;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Aggregates kept per entity as its events arrive, with Beam's state API: each accepted event updates the
 * entity's aggregates and emits them whole. The aggregates are the ones whose state merges event by event
 * (COUNT, SUM, MIN, MAX, AVG, COUNT DISTINCT), with SQL's treatment of NULL (ignored, except by COUNT(*)).
 *
 * <p>Late events: a stream delivers in no promised order. An event older than the entity's latest one by
 * no more than the allowed lateness updates the aggregates (their time does not go back); an older one is
 * {@linkplain Result#late() late}, with the reason, and changes nothing. A redelivered event (same id) is
 * counted once: an id is remembered while its event could still be applied, that is until the entity's
 * latest event is more than the allowed lateness after it, and a copy arriving after that is late itself.
 * So no event is counted twice, and the ids kept per entity are bounded by the events of one lateness.
 * Lateness is measured against the entity's own events, not the watermark: what is late does not depend
 * on how the runner batches the stream.
 *
 * <p>Input: the events keyed by entity, each with its event time as the element's timestamp, in the global
 * window. Output: the entity and a row of {@link #outputSchema()}, at the entity's latest event time.
 */
public final class EntityAggregates extends PTransform<PCollection<KV<String, Row>>, EntityAggregates.Result> {

  /** What an aggregate computes. */
  public enum Kind { COUNT, SUM, MIN, MAX, AVG, COUNT_DISTINCT }

  /** One aggregate: {@code field} is the event's field it reads, null for COUNT(*); {@code output} its column. */
  public record Aggregate(Kind kind, String field, String output) implements Serializable {
    public static Aggregate countAll(String output) {
      return new Aggregate(Kind.COUNT, null, output);
    }

    public static Aggregate of(Kind kind, String field, String output) {
      return new Aggregate(kind, Objects.requireNonNull(field, "field"), output);
    }

    /** The field it reads; empty for COUNT(*). (A field rather than an Optional: the DoFn is serialized.) */
    public Optional<String> input() {
      return Optional.ofNullable(field);
    }
  }

  private final Schema events;
  private final List<Aggregate> aggregates;
  private final String idField;
  private final Duration allowedLateness;
  private final Instant historyUntil;
  private final String pastField;
  private final Reevaluation reevaluation;

  /** How often a quiet entity's aggregates are emitted again, and for how long after its latest event. */
  public record Reevaluation(Duration every, Duration horizon) implements Serializable {
    public Reevaluation {
      if (every == null || horizon == null || !every.isLongerThan(Duration.ZERO) || horizon.isShorterThan(every)) {
        throw new IllegalArgumentException("a re-evaluation needs a positive interval and a horizon of at least one "
            + "interval: every " + every + ", for " + horizon);
      }
    }
  }

  private EntityAggregates(Schema events, List<Aggregate> aggregates, String idField, Duration allowedLateness,
      Instant historyUntil, String pastField, Reevaluation reevaluation) {
    this.events = events;
    this.aggregates = List.copyOf(aggregates);
    this.idField = idField;
    this.allowedLateness = allowedLateness;
    this.historyUntil = historyUntil;
    this.pastField = pastField;
    this.reevaluation = reevaluation;
    for (Aggregate a : aggregates) {
      if (a.input().isEmpty() && a.kind() != Kind.COUNT) {
        throw new IllegalArgumentException(a.output() + ": only COUNT has no input field");
      }
      a.input().ifPresent(field -> {
        if (!events.hasField(field)) {
          throw new IllegalArgumentException(a.output() + ": the events have no field " + field);
        }
        boolean numeric = events.getField(field).getType().getTypeName().isNumericType();
        if ((a.kind() == Kind.SUM || a.kind() == Kind.AVG) && !numeric) {
          throw new IllegalArgumentException(a.output() + ": " + a.kind() + " needs a numeric field, " + field + " is "
              + events.getField(field).getType().getTypeName());
        }
      });
    }
    if (idField != null && !events.hasField(idField)) {
      throw new IllegalArgumentException("the events have no id field " + idField);
    }
    if (pastField != null && (!events.hasField(pastField)
        || events.getField(pastField).getType().getTypeName() != Schema.TypeName.BOOLEAN)) {
      throw new IllegalArgumentException("the events have no BOOLEAN field " + pastField);
    }
    if (allowedLateness != null && allowedLateness.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("the allowed lateness is negative: " + allowedLateness);
    }
  }

  /**
   * @param idField the event's id: a second event with the same id is a redelivery
   * @param allowedLateness how far behind the entity's latest event an event may be and still count
   */
  public static EntityAggregates of(Schema events, List<Aggregate> aggregates, String idField, Duration allowedLateness) {
    return new EntityAggregates(events, aggregates, Objects.requireNonNull(idField, "idField"),
        Objects.requireNonNull(allowedLateness, "allowedLateness"), null, null, null);
  }

  /**
   * Events without an id (a source that cannot deliver one twice, such as a file, or that de-duplicates
   * them itself, as PubsubIO does by an id attribute): every event counts, however late.
   */
  public static EntityAggregates withoutIds(Schema events, List<Aggregate> aggregates) {
    return new EntityAggregates(events, aggregates, null, null, null, null, null);
  }

  /** Events more than {@code lateness} behind their entity's latest are late: rejected, not counted. */
  public EntityAggregates withAllowedLateness(Duration lateness) {
    return new EntityAggregates(events, aggregates, idField, Objects.requireNonNull(lateness, "lateness"),
        historyUntil, pastField, reevaluation);
  }

  /**
   * A bounded history ends at {@code until}: each entity's aggregates are emitted once more at that time,
   * after its last event, so what is computed from the time of an update (a recency) is computed to the
   * history's end, as a stream's timer would. Default: no update without an event.
   */
  public EntityAggregates historyUntil(Instant until) {
    return new EntityAggregates(events, aggregates, idField, allowedLateness, Objects.requireNonNull(until, "until"),
        pastField, reevaluation);
  }

  /**
   * In a stream, the events whose BOOLEAN {@code field} is true are the entity's past (its history, read
   * when the stream starts): they update its aggregates but emit no update until the entity's first event
   * of the stream, whose update then counts them, and they are never late. One arriving after that
   * first event updates as any event does. So a stream starts from each entity's history without a burst
   * of updates for the past.
   */
  public EntityAggregates withPastEventsMarkedBy(String field) {
    return new EntityAggregates(events, aggregates, idField, allowedLateness, historyUntil,
        Objects.requireNonNull(field, "field"), reevaluation);
  }

  /**
   * In a stream, an entity's aggregates are emitted again {@code every} after its latest update, at that
   * time, until {@code horizon} after its latest event: what is computed from the time of an update (days
   * since the last purchase) moves on while the entity is quiet, so a rule or model that reads it can move
   * the entity (to lapsed) when the time comes, not at its next event. An event-time timer per entity: it
   * fires as the watermark passes, which on a live stream follows the events' arrival. A bounded history
   * is evaluated at its end instead ({@link #historyUntil}).
   */
  public EntityAggregates withReevaluation(Reevaluation reevaluation) {
    return new EntityAggregates(events, aggregates, idField, allowedLateness, historyUntil, pastField,
        Objects.requireNonNull(reevaluation, "reevaluation"));
  }

  /** The aggregates' row: INT64 counts, DOUBLE sums and averages, MIN and MAX of their field's type; nullable. */
  public Schema outputSchema() {
    Schema.Builder b = Schema.builder();
    for (Aggregate a : aggregates) {
      switch (a.kind()) {
        case COUNT, COUNT_DISTINCT -> b.addInt64Field(a.output());
        case SUM -> b.addDoubleField(a.output());
        case AVG -> b.addNullableField(a.output(), Schema.FieldType.DOUBLE);
        case MIN, MAX -> b.addNullableField(a.output(),
            events.getField(a.input().orElseThrow()).getType().withNullable(true));
      }
    }
    return b.build();
  }

  /**
   * Unbounded events (a stream) are taken as they arrive, in Beam state. Bounded ones (a history replayed)
   * are taken per entity in event-time order ({@link InTimeOrder}), one update per instant: the updates a
   * stream delivering them in order would have made, without a timer per event, which the DirectRunner
   * handles one bundle at a time.
   */
  @Override
  public Result expand(PCollection<KV<String, Row>> input) {
    Schema output = outputSchema();
    Update update = new Update(aggregates, output);
    KvCoder<String, Row> coder = KvCoder.of(StringUtf8Coder.of(), RowCoder.of(output));
    Schema late = lateSchema();
    if (input.isBounded() == PCollection.IsBounded.BOUNDED) {
      // In event-time order per entity, nothing is late.
      PCollection<KV<String, Row>> kept = input.apply("InTimeOrder", InTimeOrder.of(new InTimeOrder.RowsByText()))
          .apply("KeepHistory", ParDo.of(new HistoryFn(update, idField, historyUntil))).setCoder(coder);
      return new Result(kept, input.getPipeline().apply("NoneLate", Create.empty(RowCoder.of(late))));
    }
    PCollectionTuple kept = input.apply("KeepPerEntity", ParDo.of(new KeepFn(update, idField, allowedLateness, pastField,
        reevaluation, output, late)).withOutputTags(KeepFn.UPDATES, TupleTagList.of(KeepFn.LATE)));
    return new Result(kept.get(KeepFn.UPDATES).setCoder(coder), kept.get(KeepFn.LATE).setRowSchema(late));
  }

  /** A late event: its entity, the event, and why it is late. */
  public Schema lateSchema() {
    return Schema.builder().addStringField("entity").addRowField("event", events).addStringField("reason").build();
  }

  /** Each update of an entity's aggregates, and the events that came too late to count. */
  public static final class Result extends MultiOutput {
    private final PCollection<KV<String, Row>> updates;
    private final PCollection<Row> late;

    Result(PCollection<KV<String, Row>> updates, PCollection<Row> late) {
      super(updates.getPipeline());
      this.updates = part("updates", updates);
      this.late = part("late", late);
    }

    public PCollection<KV<String, Row>> updates() {
      return updates;
    }

    /** Rows of {@link #lateSchema()}. */
    public PCollection<Row> late() {
      return late;
    }
  }

  /**
   * How one event changes an entity's aggregates. What AVG and COUNT DISTINCT remember besides the row (how
   * many values an average is of, which values were seen) is the caller's: Beam state, or a map.
   */
  static final class Update implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What the aggregates remember besides their row. */
    interface Memory {
      long averaged(String output);

      void averaged(String output, long values);

      /** Whether this is the first time the value is seen; remembers it. */
      boolean firstTime(String key);
    }

    private final List<Aggregate> aggregates;
    private final Schema output;

    Update(List<Aggregate> aggregates, Schema output) {
      this.aggregates = aggregates;
      this.output = output;
    }

    Row apply(Row before, Row event, Memory memory) {
      Row from = before == null ? empty(output) : before;
      Row.FieldValueBuilder after = Row.fromRow(from);
      for (Aggregate a : aggregates) {
        Object value = a.input().map(event::getValue).orElse(null);
        Object current = from.getValue(a.output());
        after = after.withFieldValue(a.output(), switch (a.kind()) {
          case COUNT -> (Long) current + (a.input().isEmpty() || value != null ? 1 : 0);
          case SUM -> (Double) current + (value == null ? 0 : ((Number) value).doubleValue());
          case MIN -> value == null ? current : current == null || compare(value, current) < 0 ? value : current;
          case MAX -> value == null ? current : current == null || compare(value, current) > 0 ? value : current;
          case AVG -> average(a.output(), (Double) current, (Number) value, memory);
          case COUNT_DISTINCT -> (Long) current + (value != null && memory.firstTime(a.output() + '\u0000' + value) ? 1 : 0);
        });
      }
      return after.build();
    }

    private static Double average(String output, Double current, Number value, Memory memory) {
      if (value == null) {
        return current;
      }
      long n = memory.averaged(output);
      memory.averaged(output, n + 1);
      return current == null ? value.doubleValue() : current + (value.doubleValue() - current) / (n + 1);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
      if (a instanceof Number x && b instanceof Number y && !Objects.equals(a.getClass(), b.getClass())) {
        return Double.compare(x.doubleValue(), y.doubleValue());
      }
      return ((Comparable) a).compareTo(b);
    }

    private static Row empty(Schema output) {
      List<Object> values = new ArrayList<>();
      for (Schema.Field f : output.getFields()) {
        values.add(switch (f.getType().getTypeName()) {
          case INT64 -> f.getType().getNullable() ? null : 0L;
          case DOUBLE -> f.getType().getNullable() ? null : 0.0;
          default -> null;
        });
      }
      return Row.withSchema(output).addValues(values).build();
    }
  }

  /** An entity's whole history, in event-time order: its aggregates after each instant of it. */
  private static final class HistoryFn extends DoFn<KV<String, List<TimestampedValue<Row>>>, KV<String, Row>> {
    private final Update update;
    private final String idField;
    private final Instant until;
    private final Counter redelivered = Metrics.counter(EntityAggregates.class, "events redelivered");

    HistoryFn(Update update, String idField, Instant until) {
      this.update = update;
      this.idField = idField;
      this.until = until;
    }

    @Override
    @SuppressWarnings("deprecation") // the documented way to output at times before the input's
    public Duration getAllowedTimestampSkew() {
      return InTimeOrder.outputsAtEachValuesTime();
    }

    @ProcessElement
    public void process(@Element KV<String, List<TimestampedValue<Row>>> history, OutputReceiver<KV<String, Row>> out) {
      Map<String, Long> averaged = new java.util.HashMap<>();
      java.util.Set<String> seen = new java.util.HashSet<>();
      java.util.Set<String> ids = new java.util.HashSet<>();
      Update.Memory memory = new Update.Memory() {
        @Override
        public long averaged(String output) {
          return averaged.getOrDefault(output, 0L);
        }

        @Override
        public void averaged(String output, long values) {
          averaged.put(output, values);
        }

        @Override
        public boolean firstTime(String key) {
          return seen.add(key);
        }
      };
      Row kept = null;
      List<TimestampedValue<Row>> events = history.getValue();
      for (int i = 0; i < events.size(); i++) {
        Row event = events.get(i).getValue();
        Object id = idField == null ? null : event.getValue(idField);
        if (id != null && !ids.add(id.toString())) {
          redelivered.inc();
        } else {
          kept = update.apply(kept, event, memory);
        }
        Instant at = events.get(i).getTimestamp();
        boolean lastOfInstant = i + 1 == events.size() || events.get(i + 1).getTimestamp().isAfter(at);
        if (lastOfInstant && kept != null) {
          out.outputWithTimestamp(KV.of(history.getKey(), kept), at);
        }
      }
      Instant last = events.get(events.size() - 1).getTimestamp();
      if (until != null && kept != null && until.isAfter(last)) {
        out.outputWithTimestamp(KV.of(history.getKey(), kept), until);
      }
    }
  }

  /**
   * The per-entity state: the aggregates' row, an AVG's count, COUNT DISTINCT's values, the remembered ids,
   * the latest event's time and whether an event of the stream (not of the past) has come.
   */
  private static final class KeepFn extends DoFn<KV<String, Row>, KV<String, Row>> {
    static final TupleTag<KV<String, Row>> UPDATES = new TupleTag<>("segflow.aggregates.updates") {};
    static final TupleTag<Row> LATE = new TupleTag<>("segflow.aggregates.late") {};

    private final Update update;
    private final String idField;
    private final Duration allowedLateness;
    private final String pastField;
    private final Reevaluation reevaluation;
    private final Schema late;
    private final Counter redelivered = Metrics.counter(EntityAggregates.class, "events redelivered");
    private final Counter reevaluated = Metrics.counter(EntityAggregates.class, "re-evaluations");
    private final Counter tooLate = Metrics.counter(EntityAggregates.class, "events late");
    private final Counter withoutId = Metrics.counter(EntityAggregates.class, "events without an id");

    @StateId("aggregates")
    private final StateSpec<ValueState<Row>> aggregatesSpec;

    @StateId("averaged")
    private final StateSpec<MapState<String, Long>> averagedSpec = StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

    @StateId("distinct")
    private final StateSpec<MapState<String, Boolean>> distinctSpec =
        StateSpecs.map(StringUtf8Coder.of(), BooleanCoder.of());

    @StateId("ids")
    private final StateSpec<MapState<String, Instant>> idsSpec = StateSpecs.map(StringUtf8Coder.of(), InstantCoder.of());

    @StateId("latest")
    private final StateSpec<ValueState<Instant>> latestSpec = StateSpecs.value(InstantCoder.of());

    @StateId("streamed")
    private final StateSpec<ValueState<Boolean>> streamedSpec = StateSpecs.value(BooleanCoder.of());

    /** The time of the latest update sent: an entity's updates never go back in time (see process). */
    @StateId("evaluated")
    private final StateSpec<ValueState<Instant>> evaluatedSpec = StateSpecs.value(InstantCoder.of());

    @TimerId("reevaluate")
    private final TimerSpec reevaluateSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    KeepFn(Update update, String idField, Duration allowedLateness, String pastField, Reevaluation reevaluation,
        Schema output, Schema late) {
      this.update = update;
      this.idField = idField;
      this.allowedLateness = allowedLateness;
      this.pastField = pastField;
      this.reevaluation = reevaluation;
      this.late = late;
      this.aggregatesSpec = StateSpecs.value(RowCoder.of(output));
    }

    @ProcessElement
    public void process(@Element KV<String, Row> event, @Timestamp Instant time,
        @StateId("aggregates") ValueState<Row> kept, @StateId("averaged") MapState<String, Long> averaged,
        @StateId("distinct") MapState<String, Boolean> distinct, @StateId("ids") MapState<String, Instant> ids,
        @StateId("latest") ValueState<Instant> latest, @StateId("streamed") ValueState<Boolean> streamed,
        @StateId("evaluated") ValueState<Instant> evaluated, @TimerId("reevaluate") Timer reevaluate,
        MultiOutputReceiver out) {
      Instant before = latest.read();
      boolean past = pastField != null && Boolean.TRUE.equals(event.getValue().getBoolean(pastField));
      if (!past && allowedLateness != null && before != null && time.isBefore(before.minus(allowedLateness))) {
        tooLate.inc();
        out.get(LATE).output(Row.withSchema(late).addValues(event.getKey(), event.getValue(), "event at " + time
            + " came after one at " + before + ": more than the allowed lateness (" + lateness(allowedLateness)
            + ") behind it").build());
        return;
      }
      if (idField != null) {
        Object id = event.getValue().getValue(idField);
        if (id == null) {
          withoutId.inc(); // counted, and taken: it cannot be told from a redelivery
        } else if (ids.get(id.toString()).read() != null) {
          redelivered.inc();
          return;
        } else {
          ids.put(id.toString(), time);
        }
      }
      Row row = update.apply(kept.read(), event.getValue(), new Update.Memory() {
        @Override
        public long averaged(String output) {
          return Optional.ofNullable(averaged.get(output).read()).orElse(0L);
        }

        @Override
        public void averaged(String output, long values) {
          averaged.put(output, values);
        }

        @Override
        public boolean firstTime(String key) {
          if (distinct.get(key).read() != null) {
            return false;
          }
          distinct.put(key, true);
          return true;
        }
      });
      kept.write(row);
      // An older event updates the aggregates, but the entity's time does not go back: the update is at
      // its latest event's time, which features that read the time (days since the last purchase) count to.
      Instant at = before != null && before.isAfter(time) ? before : time;
      latest.write(at);
      if (idField != null && (before == null || at.isAfter(before))) {
        forgetIdsBefore(at.minus(allowedLateness), ids);
      }
      if (past && streamed.read() == null) {
        return; // the entity's first event of the stream emits the aggregates with its past in them
      }
      if (!past && pastField != null) {
        streamed.write(true);
      }
      // An event older than a re-evaluation already sent (its timer fired first) is evaluated at that
      // re-evaluation's time: each entity's updates go forward in time, so a later step can tell an update
      // delivered out of order (stale) by its time alone.
      Instant sentBefore = evaluated.read();
      Instant sendAt = sentBefore != null && sentBefore.isAfter(at) ? sentBefore : at;
      out.get(UPDATES).outputWithTimestamp(KV.of(event.getKey(), row), sendAt);
      evaluated.write(sendAt);
      if (reevaluation != null) {
        reevaluate.set(sendAt.plus(reevaluation.every()));
      }
    }

    /** The quiet entity's aggregates again, at the timer's time, and the next timer while within the horizon. */
    @OnTimer("reevaluate")
    public void reevaluate(OnTimerContext timer, @Key String entity, @StateId("aggregates") ValueState<Row> kept,
        @StateId("latest") ValueState<Instant> latest, @StateId("evaluated") ValueState<Instant> evaluated,
        @TimerId("reevaluate") Timer reevaluate, MultiOutputReceiver out) {
      Instant at = timer.timestamp();
      Instant until = latest.read().plus(reevaluation.horizon());
      if (at.isAfter(until)) {
        return;
      }
      reevaluated.inc();
      out.get(UPDATES).outputWithTimestamp(KV.of(entity, kept.read()), at);
      evaluated.write(at);
      if (!at.plus(reevaluation.every()).isAfter(until)) {
        reevaluate.set(at.plus(reevaluation.every()));
      }
    }

    /** A lateness as an environment writes it: 1d rather than 24h, 90m rather than 5400s. */
    static String lateness(Duration lateness) {
      long seconds = lateness.getStandardSeconds();
      for (Map.Entry<String, Long> unit : List.of(Map.entry("d", 86_400L), Map.entry("h", 3_600L), Map.entry("m", 60L))) {
        if (seconds > 0 && seconds % unit.getValue() == 0) {
          return seconds / unit.getValue() + unit.getKey();
        }
      }
      return seconds + "s";
    }

    /** The ids of events that are late now: a copy of one would be rejected as late before its id is looked up. */
    private static void forgetIdsBefore(Instant cutoff, MapState<String, Instant> ids) {
      for (Map.Entry<String, Instant> remembered : ids.entries().read()) {
        if (remembered.getValue().isBefore(cutoff)) {
          ids.remove(remembered.getKey());
        }
      }
    }
  }
}
