package io.segflow.pipeline;

import io.segflow.compile.CompiledDefinition;
import io.segflow.compile.StreamingPlan;
import io.segflow.compile.SegflowSql;
import io.segflow.dsl.model.DbscanSpec;
import io.segflow.dsl.model.SegmentationSpec;
import io.segflow.dsl.validate.ParameterValues;
import io.segflow.pipeline.methods.LabelWords;
import io.segflow.pipeline.methods.MethodContext;
import io.segflow.pipeline.methods.SegmentationMethods;
import io.segflow.pipeline.refresh.PreviousSegments;
import io.segflow.transforms.io.RowText;
import io.segflow.transforms.kmeans.KMeans;
import io.segflow.transforms.points.PerModel;
import io.segflow.transforms.points.PointReading;
import io.segflow.transforms.quality.EntityRejects;
import io.segflow.transforms.stream.EntityAggregates;
import io.segflow.transforms.stream.InTimeOrder;
import io.segflow.transforms.values.MultiOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A definition's segments kept up to date as its events arrive: the features query cut at its GROUP BY
 * ({@link StreamingPlan}), the aggregates kept per entity in state ({@link EntityAggregates}), the rest of
 * the query and the definition's rules applied at each update, and each customer whose segment changes
 * emitted as a change: entity, from, to, at the event's time. Input: the sources by name, the event
 * source's rows each at its event time; bounded (a history replayed) or not (a stream). Rules segment each
 * update alone; k-means (flat or bisecting) assigns it with the latest published run's model, a side input
 * ({@link #withModel}) that a live stream refreshes when a batch run publishes a new one.
 */
public final class StreamingSegments extends PTransform<PCollectionTuple, StreamingSegments.Result> {
  /** The namespace of the stream's counters, and the count of changes a live stream has written. */
  public static final String METRICS = "segflow.stream";
  public static final String CHANGES = "changes";
  /** The changes' column that orders an entity's changes. */
  public static final String SEQUENCE = "sequence";
  /** How late an event with an id column may be when no lateness is declared: its id is remembered that long. */
  private static final Duration DEFAULT_LATENESS = Duration.standardDays(1);

  private final CompiledDefinition compiled;
  private final StreamingPlan plan;
  private final Optional<Duration> allowedLateness;
  private final Optional<PCollectionView<StreamModel>> model;
  private final Optional<EntityAggregates.Reevaluation> reevaluation;
  private final Optional<PCollectionView<Map<String, String>>> publishedSegments;

  private StreamingSegments(CompiledDefinition compiled, StreamingPlan plan, Optional<Duration> allowedLateness,
      Optional<PCollectionView<StreamModel>> model, Optional<EntityAggregates.Reevaluation> reevaluation,
      Optional<PCollectionView<Map<String, String>>> publishedSegments) {
    this.compiled = compiled;
    this.plan = plan;
    this.allowedLateness = allowedLateness;
    this.model = model;
    this.reevaluation = reevaluation;
    this.publishedSegments = publishedSegments;
  }

  /**
   * @throws IllegalArgumentException when the definition's method fits a model that a stream cannot assign
   *     with (DBSCAN, RFM scores)
   */
  public static StreamingSegments of(CompiledDefinition compiled, StreamingPlan plan) {
    SegmentationSpec method = compiled.definition().segmentation();
    if (!SegmentationMethods.of(method).segmentsEachRowAlone() && !assignsWithPublishedModel(method)) {
      throw new IllegalArgumentException("segflow streams rules and k-means definitions: "
          + compiled.definition().name() + "'s method (" + (method instanceof DbscanSpec ? "dbscan" : "rfm") + ") fits a model on all the customers "
          + "that a stream cannot assign its updates with yet");
    }
    return new StreamingSegments(compiled, plan, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  /**
   * Whether a stream of this method assigns each update with the latest published run's model ({@link
   * #withModel}): k-means, flat or bisecting.
   */
  public static boolean assignsWithPublishedModel(SegmentationSpec method) {
    return SegmentationMethods.of(method).assignsWithPublishedModel();
  }

  /** A live stream's: an event more than {@code lateness} behind its customer's latest is a reject. */
  public StreamingSegments withAllowedLateness(java.time.Duration lateness) {
    return new StreamingSegments(compiled, plan, Optional.of(Duration.millis(lateness.toMillis())), model,
        reevaluation, publishedSegments);
  }

  /**
   * The model a k-means stream assigns with: a view of the same pipeline, fixed for a replay or polled
   * ({@link io.segflow.transforms.stream.PolledView}) for a live stream. Each change names the run whose
   * model made it.
   */
  public StreamingSegments withModel(PCollectionView<StreamModel> model) {
    return new StreamingSegments(compiled, plan, allowedLateness, Optional.of(model), reevaluation,
        publishedSegments);
  }

  /**
   * A live stream's: each entity's segment in the latest published run (entity, as text, to label), which
   * its first update is compared with. So the stream's first change of a customer says where they came from,
   * and a customer still in their published segment makes no change. The replay of a history starts from
   * nothing instead.
   */
  public StreamingSegments withPublishedSegments(PCollectionView<Map<String, String>> segments) {
    return new StreamingSegments(compiled, plan, allowedLateness, model, reevaluation, Optional.of(segments));
  }

  /**
   * A live stream's: a quiet customer is re-evaluated {@code every} so long after their latest update, until
   * {@code horizon} after their latest event, at that time ({@link EntityAggregates#withReevaluation}), and
   * a change is written when time alone moved them.
   *
   * @throws IllegalArgumentException when the features read no time parameter: time alone moves no one
   */
  public StreamingSegments withReevaluation(java.time.Duration every, java.time.Duration horizon) {
    if (plan.timeParameters().isEmpty()) {
      throw new IllegalArgumentException("the features of " + compiled.definition().name() + " read no time parameter "
          + "(such as @as_of in a recency), so time alone moves no customer: there is nothing to re-evaluate");
    }
    return new StreamingSegments(compiled, plan, allowedLateness, model, Optional.of(new EntityAggregates.Reevaluation(
        Duration.millis(every.toMillis()), Duration.millis(horizon.toMillis()))), publishedSegments);
  }

  /**
   * The changes' columns: the entity as the features type it, the segments' labels, the event's time, the
   * change's number among its entity's changes (from 1) and the model's run. Events arrive out of order, so
   * several changes of one entity can share an event time: the number says which was made last.
   */
  public static Schema changesSchema(Schema.Field entity) {
    return Schema.builder()
        .addField(entity.withNullable(false))
        .addNullableField("from_segment", Schema.FieldType.STRING)
        .addStringField("to_segment")
        .addDateTimeField("event_time")
        .addInt64Field(SEQUENCE)
        .addNullableField("model_run_id", Schema.FieldType.STRING)
        .build();
  }

  /**
   * The tag under which the input may hold the event source's history: its rows before the stream's, each
   * at its event time, which the stream's state starts from ({@link EntityAggregates#withPastEventsMarkedBy}).
   * The stream's own events wait until the history has been read.
   */
  public static String historyOf(String eventSource) {
    return eventSource + "@history";
  }

  @Override
  public Result expand(PCollectionTuple sources) {
    String entity = compiled.definition().entity();
    String history = historyOf(plan.eventSource());
    PCollection<Row> events;
    if (sources.has(history)) {
      PCollection<Row> past = sources.get(history);
      PCollectionView<Long> read = past.apply("HistoryRead", Count.globally()).apply("HistoryReadView", View.asSingleton());
      PCollection<Row> live = sources.<Row>get(plan.eventSource());
      live = live.apply("AfterHistory", ParDo.of(new AfterHistoryFn(read)).withSideInputs(read))
          .setRowSchema(live.getSchema());
      PCollection<Row> streamed = marked(events(sources, plan.eventSource(), live, ""), false, "Streamed");
      events = PCollectionList.of(streamed)
          .and(marked(events(sources, plan.eventSource(), past, "History"), true, "Past"))
          .apply("WithHistory", Flatten.pCollections()).setRowSchema(streamed.getSchema());
    } else {
      events = events(sources, plan.eventSource(), sources.get(plan.eventSource()), "");
    }
    Schema eventSchema = events.getSchema();
    List<EntityAggregates.Aggregate> aggregates = new ArrayList<>();
    // The entity's own value rides along as the MAX of a value that never changes for a key.
    aggregates.add(EntityAggregates.Aggregate.of(EntityAggregates.Kind.MAX, StreamingPlan.ENTITY, StreamingPlan.ENTITY));
    for (StreamingPlan.Aggregate a : plan.aggregates()) {
      EntityAggregates.Kind kind = EntityAggregates.Kind.valueOf(a.kind());
      aggregates.add(a.input().map(in -> EntityAggregates.Aggregate.of(kind, in, a.output()))
          .orElseGet(() -> EntityAggregates.Aggregate.countAll(a.output())));
    }
    EntityAggregates keep = eventSchema.hasField(StreamingPlan.EVENT_ID)
        ? EntityAggregates.of(eventSchema, aggregates, StreamingPlan.EVENT_ID, allowedLateness.orElse(DEFAULT_LATENESS))
        : EntityAggregates.withoutIds(eventSchema, aggregates);
    if (eventSchema.hasField(PAST)) {
      keep = keep.withPastEventsMarkedBy(PAST);
    }
    if (allowedLateness.isPresent()) {
      keep = keep.withAllowedLateness(allowedLateness.get());
    }
    if (reevaluation.isPresent()) {
      keep = keep.withReevaluation(reevaluation.get());
    }
    Optional<Instant> end = historyEnd();
    if (end.isPresent()) {
      keep = keep.historyUntil(end.get());
    }
    Schema withNow = withTime(keep.outputSchema(), StreamingPlan.NOW);
    EntityAggregates.Result aggregated = events
        .apply("ByEntity", WithKeys.<String, Row>of(row -> String.valueOf((Object) row.getValue(StreamingPlan.ENTITY)))
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), events.getCoder()))
        .apply("Aggregates", keep);
    PCollection<Row> late = aggregated.late()
        .apply("LateRejects", ParDo.of(new LateRejectFn(plan.eventSource()))).setRowSchema(SegflowPipeline.REJECTS);
    PCollection<Row> kept = aggregated.updates()
        .apply("Kept", Values.create())
        .setRowSchema(keep.outputSchema())
        .apply("AtUpdateTime", ParDo.of(new WithTimeFn(withNow)))
        .setRowSchema(withNow);
    PCollection<Row> computed = kept.apply("Features", query(plan.featuresSql()));
    PCollectionTuple checked = computed.apply("CheckFeatures", ParDo.of(new FeatureRowsFn(computed.getSchema(), entity))
        .withOutputTags(FeatureRowsFn.ROWS, TupleTagList.of(FeatureRowsFn.REJECTS)));
    PCollection<Row> features = checked.get(FeatureRowsFn.ROWS).setRowSchema(computed.getSchema());
    List<PCollection<Row>> rejected = new ArrayList<>();
    rejected.add(checked.get(FeatureRowsFn.REJECTS).setRowSchema(SegflowPipeline.REJECTS));
    rejected.add(late);
    PCollection<Row> assignments;
    if (assignsWithPublishedModel(compiled.definition().segmentation())) {
      PCollectionView<StreamModel> view = model.orElseThrow(() -> new IllegalStateException(
          "a k-means stream needs its published model: StreamingSegments.withModel"));
      Schema assigned = Schema.builder().addField(features.getSchema().getField(entity).withNullable(false))
          .addStringField("segment_label").addStringField(MODEL_RUN_ID).build();
      PCollectionTuple out = features.apply("Assign[published model]", ParDo.of(new AssignFn(view, entity, assigned))
          .withSideInputs(view).withOutputTags(AssignFn.ASSIGNED, TupleTagList.of(AssignFn.REJECTS)));
      assignments = out.get(AssignFn.ASSIGNED).setRowSchema(assigned);
      rejected.add(out.get(AssignFn.REJECTS).setRowSchema(EntityRejects.SCHEMA)
          .apply("AssignRejects", ParDo.of(new SegflowPipeline.FromMethodRejects())).setRowSchema(SegflowPipeline.REJECTS));
    } else {
      assignments = SegmentationMethods.of(compiled.definition().segmentation())
          .segment(features, new MethodContext(entity, compiled.literals(), PreviousSegments.NONE,
              LabelWords.of(compiled.definition().features().columnWords())))
          .assignments();
    }
    Schema changes = changesSchema(features.getSchema().getField(entity));
    PCollection<Row> changed = assignments
        .apply("BySegmentedEntity", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.rows()))
            .via(row -> KV.of(String.valueOf((Object) row.getValue(entity)), row)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), assignments.getCoder()))
        .apply("Changes", changes(entity, changes));
    PCollection<Row> rejects = PCollectionList.of(rejected).apply("Rejects", Flatten.pCollections())
        .setRowSchema(SegflowPipeline.REJECTS);
    return new Result(changed, rejects);
  }

  private static final String MODEL_RUN_ID = "model_run_id";

  /**
   * Assigns each update with the side input's model, read and prepared as its fit read its points: the
   * entity, the cluster's label and the model's run, read together from one model. A row the model cannot
   * read (a NULL feature under the reject policy) is a reject.
   */
  private static final class AssignFn extends DoFn<Row, Row> {
    static final TupleTag<Row> ASSIGNED = new TupleTag<>("segflow.stream.assigned") {};
    static final TupleTag<Row> REJECTS = new TupleTag<>("segflow.stream.unassigned") {};
    private final PCollectionView<StreamModel> model;
    private final String entity;
    private final Schema assigned;
    private transient PerModel<StreamModel, PointReading> readings;

    AssignFn(PCollectionView<StreamModel> model, String entity, Schema assigned) {
      this.model = model;
      this.entity = entity;
      this.assigned = assigned;
    }

    @Setup
    public void setup() {
      readings = new PerModel<>(m -> PointReading.of(entity, m.model(), KMeans.STORED.assigner().apply(m.model())));
    }

    @ProcessElement
    public void process(@Element Row row, ProcessContext context) {
      StreamModel current = context.sideInput(model);
      PointReading r = readings.of(current);
      String problem = r.read(row);
      if (problem != null) {
        context.output(REJECTS, EntityRejects.of(r.entity(), problem, row));
        return;
      }
      int cluster = r.assign();
      context.output(Row.withSchema(assigned).attachValues(r.entity(), current.labels().get(cluster),
          current.runId()));
    }
  }

  private static final String PAST = "__past";

  /**
   * The query per event over {@code eventRows} as the event source, the other sources as they are: each
   * event's entity, the aggregates' inputs and its time. {@code prefix} names the steps apart.
   */
  private PCollection<Row> events(PCollectionTuple sources, String eventSource, PCollection<Row> eventRows,
      String prefix) {
    PCollectionTuple timed = PCollectionTuple.empty(sources.getPipeline());
    for (Map.Entry<TupleTag<?>, PValue> source : sources.expand().entrySet()) {
      String tag = source.getKey().getId();
      if (tag.equals(eventSource)) {
        Schema withEventTime = withTime(eventRows.getSchema(), StreamingPlan.EVENT_TIME);
        timed = timed.and(tag, eventRows.apply(prefix + "WithEventTime", ParDo.of(new WithTimeFn(withEventTime)))
            .setRowSchema(withEventTime));
      } else if (!tag.equals(historyOf(eventSource))) {
        @SuppressWarnings("unchecked")
        PCollection<Row> rows = (PCollection<Row>) source.getValue();
        timed = timed.and(tag, rows);
      }
    }
    PCollection<Row> selected = timed.apply(prefix + "Events", query(plan.eventsSql()));
    // Each event back at its time, which a JOIN in the query leaves at the end of the window.
    return selected.apply(prefix + "AtEventTime", ParDo.of(new AtTimeFn(StreamingPlan.EVENT_TIME)))
        .setRowSchema(selected.getSchema());
  }

  /** The events with one more column saying whether they are the past (the history) or the stream's. */
  private static PCollection<Row> marked(PCollection<Row> events, boolean past, String name) {
    Schema schema = Schema.builder().addFields(events.getSchema().getFields()).addBooleanField(PAST).build();
    return events.apply(name, MapElements.into(TypeDescriptors.rows())
            .via(row -> Row.withSchema(schema).addValues(row.getValues()).addValue(past).build()))
        .setRowSchema(schema);
  }

  /** Passes the stream's events once the history has been read: a side input is ready only then. */
  private static final class AfterHistoryFn extends DoFn<Row, Row> {
    private final PCollectionView<Long> historyRead;

    AfterHistoryFn(PCollectionView<Long> historyRead) {
      this.historyRead = historyRead;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      c.sideInput(historyRead);
      c.output(c.element());
    }
  }

  /**
   * Where a replayed history ends: the latest value of the time parameters the features read as the time
   * of an update (the run's {@code as_of}), so the last update of each customer is computed as the batch
   * run computes it. None when the features read no time.
   */
  private Optional<Instant> historyEnd() {
    return plan.timeParameters().stream()
        .map(name -> new Instant(ParameterValues.instant(compiled.definition().parameters().get(name).type(),
            compiled.parameters().get(name)).toEpochMilli()))
        .max(java.util.Comparator.naturalOrder());
  }

  private static Schema withTime(Schema schema, String field) {
    return Schema.builder().addFields(schema.getFields()).addDateTimeField(field).build();
  }

  /**
   * A row with its element's time as one more column: an event's, which the query per event passes on, or
   * an update's, which the query per update reads as "now".
   */
  private static final class WithTimeFn extends DoFn<Row, Row> {
    private final Schema withTime;

    WithTimeFn(Schema withTime) {
      this.withTime = withTime;
    }

    @ProcessElement
    public void process(@Element Row row, @Timestamp Instant at, OutputReceiver<Row> out) {
      out.output(Row.withSchema(withTime).addValues(row.getValues()).addValue(at).build());
    }
  }

  /** A late event as a reject of the stream's stage, with its source, customer and why it is late. */
  private static final class LateRejectFn extends DoFn<Row, Row> {
    private final String source;

    LateRejectFn(String source) {
      this.source = source;
    }

    @ProcessElement
    public void process(@Element Row late, OutputReceiver<Row> out) {
      out.output(Row.withSchema(SegflowPipeline.REJECTS).attachValues("stream", source, null, null,
          late.getString("entity"), RowText.of(late.getRow("event")), late.getString("reason")));
    }
  }

  /** A row output at the time its column holds. */
  private static final class AtTimeFn extends DoFn<Row, Row> {
    private final String field;

    AtTimeFn(String field) {
      this.field = field;
    }

    @Override
    @SuppressWarnings("deprecation") // the time a JOIN moved to the end of the window is restored
    public Duration getAllowedTimestampSkew() {
      return InTimeOrder.outputsAtEachValuesTime();
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Row> out) {
      out.outputWithTimestamp(row, row.getDateTime(field).toInstant());
    }
  }

  private static SqlTransform query(String sql) {
    return SegflowSql.transformOfRewritten(sql);
  }

  /**
   * Each update's segment compared with the entity's one before: a change when they differ. A bounded
   * history is taken per entity in event-time order, a stream as it arrives (as its aggregates were).
   */
  private PTransform<PCollection<KV<String, Row>>, PCollection<Row>> changes(String entity, Schema changes) {
    return new PTransform<>() {
      @Override
      public PCollection<Row> expand(PCollection<KV<String, Row>> updates) {
        if (updates.isBounded() == PCollection.IsBounded.BOUNDED) {
          return updates.apply("InTimeOrder", InTimeOrder.of(new InTimeOrder.RowsByText()))
              .apply("HistoryChanges", ParDo.of(new HistoryChangesFn(entity, changes))).setRowSchema(changes);
        }
        ParDo.SingleOutput<KV<String, Row>, Row> changesFn = ParDo.of(new ChangesFn(entity, changes,
            publishedSegments.orElse(null)));
        if (publishedSegments.isPresent()) {
          changesFn = changesFn.withSideInputs(publishedSegments.get());
        }
        return updates.apply("Changes", changesFn).setRowSchema(changes);
      }
    };
  }

  /** An entity's updates in event-time order: a change each time its segment differs from the one before. */
  private static final class HistoryChangesFn extends DoFn<KV<String, List<TimestampedValue<Row>>>, Row> {
    private final String entity;
    private final Schema changes;

    HistoryChangesFn(String entity, Schema changes) {
      this.entity = entity;
      this.changes = changes;
    }

    @Override
    @SuppressWarnings("deprecation") // the documented way to output at times before the input's
    public Duration getAllowedTimestampSkew() {
      return InTimeOrder.outputsAtEachValuesTime();
    }

    @ProcessElement
    public void process(@Element KV<String, List<TimestampedValue<Row>>> updates, OutputReceiver<Row> out) {
      String from = null;
      long sequence = 0;
      for (TimestampedValue<Row> update : updates.getValue()) {
        String to = update.getValue().getString("segment_label");
        if (!to.equals(from)) {
          out.outputWithTimestamp(change(changes, update.getValue(), entity, from, to,
              update.getTimestamp(), ++sequence), update.getTimestamp());
          from = to;
        }
      }
    }
  }

  /** A change of {@code update}'s entity, made by the model its update names (none for rules). */
  static Row change(Schema changes, Row update, String entity, String from, String to, Instant at, long sequence) {
    String modelRun = update.getSchema().hasField(MODEL_RUN_ID) ? update.getString(MODEL_RUN_ID) : null;
    return Row.withSchema(changes).attachValues(update.getValue(entity), from, to, at, sequence, modelRun);
  }

  /**
   * A stream's updates as they arrive, the entity's segment and count of changes kept in state. With the
   * published segments (a side input: entity to label), an entity's first update is compared with its
   * segment in the published run: no change when it is the same, else a change from it.
   *
   * <p>An entity's updates leave its kept aggregates in time order, but the runner need not deliver them
   * here in that order (the features step between is not keyed): an update older than one already taken
   * is stale, since the newer one holds everything it does, and is counted and skipped. Taken, it would
   * move the entity back to where it was (lapsed, then active again, then lapsed) and could leave it there.
   */
  static final class ChangesFn extends DoFn<KV<String, Row>, Row> {
    /** The counter of stale updates, in {@link #METRICS}. */
    static final String STALE = "stale updates";

    private final String entity;
    private final Schema changes;
    private final PCollectionView<Map<String, String>> published;
    private final org.apache.beam.sdk.metrics.Counter written =
        org.apache.beam.sdk.metrics.Metrics.counter(METRICS, CHANGES);
    private final org.apache.beam.sdk.metrics.Counter stale =
        org.apache.beam.sdk.metrics.Metrics.counter(METRICS, STALE);

    @StateId("segment")
    private final StateSpec<ValueState<String>> segmentSpec = StateSpecs.value(StringUtf8Coder.of());
    @StateId("sequence")
    private final StateSpec<ValueState<Long>> sequenceSpec = StateSpecs.value(VarLongCoder.of());
    @StateId("taken")
    private final StateSpec<ValueState<Instant>> takenSpec = StateSpecs.value(
        org.apache.beam.sdk.coders.InstantCoder.of());

    /** @param published null for none */
    ChangesFn(String entity, Schema changes, PCollectionView<Map<String, String>> published) {
      this.entity = entity;
      this.changes = changes;
      this.published = published;
    }

    @ProcessElement
    public void process(ProcessContext c, @StateId("segment") ValueState<String> segment,
        @StateId("sequence") ValueState<Long> sequence, @StateId("taken") ValueState<Instant> taken) {
      Instant latest = taken.read();
      if (latest != null && c.timestamp().isBefore(latest)) {
        stale.inc();
        return;
      }
      taken.write(c.timestamp());
      KV<String, Row> update = c.element();
      String to = update.getValue().getString("segment_label");
      String from = segment.read();
      if (from == null && published != null) {
        from = c.sideInput(published).get(update.getKey());
        segment.write(to); // the published segment is where the entity was: it is in its new one now
      }
      if (!to.equals(from)) {
        Long before = sequence.read();
        long number = (before == null ? 0 : before) + 1;
        segment.write(to);
        sequence.write(number);
        written.inc();
        c.output(change(changes, update.getValue(), entity, from, to, c.timestamp(), number));
      }
    }
  }

  /** The changes, and the rejects: the features' (a NULL entity, a NaN feature) and the late events. */
  public static final class Result extends MultiOutput {
    private final PCollection<Row> changes;
    private final PCollection<Row> rejects;

    Result(PCollection<Row> changes, PCollection<Row> rejects) {
      super(changes.getPipeline());
      this.changes = part("changes", changes);
      this.rejects = part("rejects", rejects);
    }

    public PCollection<Row> changes() {
      return changes;
    }

    public PCollection<Row> rejects() {
      return rejects;
    }
  }
}
