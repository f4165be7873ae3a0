package io.segflow.pipeline;

import io.segflow.compile.CompiledDefinition;
import io.segflow.compile.StreamingPlan;
import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.validate.DefinitionChecks;
import io.segflow.dsl.env.OutputBinding;
import io.segflow.dsl.env.Runner;
import io.segflow.dsl.env.SourceBinding;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.model.SourceSpec;
import io.segflow.transforms.io.CsvRecords;
import io.segflow.transforms.io.PubsubPublish;
import io.segflow.transforms.io.RowText;
import io.segflow.transforms.io.SourceCounters;
import io.segflow.transforms.io.SourceIO;
import io.segflow.transforms.stream.PolledView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * {@code segflow stream} with a file: the source whose binding names its {@code event_time} is replayed as
 * a stream of events, in the order of that column, through {@link StreamingSegments}; the other sources are
 * read whole. Writes each change of segment and the rejects as CSV files in the run's folder.
 */
public final class StreamRun {
  private final CompiledDefinition compiled;
  private final Environment env;
  private final String events;
  private final Optional<BigQueryServices> bigQuery;
  private final java.time.Duration modelPoll;

  private StreamRun(CompiledDefinition compiled, Environment env, String events, Optional<BigQueryServices> bigQuery,
      java.time.Duration modelPoll) {
    this.compiled = compiled;
    this.env = env;
    this.events = events;
    this.bigQuery = bigQuery;
    this.modelPoll = modelPoll;
  }

  /** The stream of {@code compiled} in {@code env}: refused when the environment binds no one event source. */
  public static StreamRun of(CompiledDefinition compiled, Environment env) throws Refused {
    return new StreamRun(compiled, env, eventSource(compiled, env), Optional.empty(), MODEL_POLL);
  }

  /** The same stream reading and writing BigQuery through {@code services} (Beam's fakes, in tests). */
  public StreamRun withBigQueryServices(BigQueryServices services) {
    return new StreamRun(compiled, env, events, Optional.of(services), modelPoll);
  }

  /** The same stream looking for a newly published model this often (a k-means stream). */
  public StreamRun withModelPoll(java.time.Duration every) {
    return new StreamRun(compiled, env, events, bigQuery, every);
  }

  /** Where a live stream writes: the folder's files, or the BigQuery tables. */
  public String outputs(Path folder) {
    return env.output() instanceof OutputBinding.BigQuery bq
        ? BigQueryStreamOutput.tables(bq.dataset(), compiled.definition().name())
        : folder + " (changes/, rejects/: a file each " + PANE_SECONDS + " seconds with what arrived)";
  }

  /** The source whose rows or messages are the events. */
  public String eventSource() {
    return events;
  }

  /**
   * What a replay wrote: its folder, its changes, each customer's last segment counted by segment, and the
   * warehouse objects its changes were appended to.
   */
  public record Outcome(Path folder, long changes, long customers, Map<String, Long> segments, long rejects,
      String warehouse) {}

  /** Why a replay cannot start: the diagnostics, located in the environment file. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Diagnostic> diagnostics;

    Refused(String message, List<Diagnostic> diagnostics) {
      super(message);
      this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
      return diagnostics;
    }
  }

  /** The one source bound with an {@code event_time} or to Pub/Sub, checked against the definition's columns. */
  private static String eventSource(CompiledDefinition compiled, Environment env) throws Refused {
    List<String> bound = compiled.definition().sources().keySet().stream()
        .filter(s -> env.sources().get(s) != null && env.sources().get(s).isEventSource()).toList();
    if (bound.size() != 1) {
      throw new Refused(bound.isEmpty()
          ? "environment " + env.name() + " (" + env.displayPath() + ") binds no source of "
              + compiled.definition().name() + " with an event_time or to Pub/Sub: add event_time: COLUMN to the "
              + "binding of the source whose rows are the events, or bind it to a subscription (kind: pubsub)"
          : "environment " + env.name() + " binds several sources with an event_time (" + String.join(", ", bound)
              + "): a stream has one source of events", List.of());
    }
    List<Diagnostic> misfits = DefinitionChecks.eventTimes(compiled.definition(), env);
    if (!misfits.isEmpty()) {
      throw new Refused("the event_time of " + bound.get(0) + " does not fit the definition", misfits);
    }
    return bound.get(0);
  }

  /** Whether the events come from Pub/Sub: a stream with no end, which {@link #start} runs. */
  public boolean isLive() {
    return env.sources().get(events) instanceof SourceBinding.PubSub;
  }

  /**
   * Replays the event source (a file) through the definition's streaming pipeline and waits for it.
   *
   * @param folder where changes.csv and rejects.csv go
   */
  public Outcome replay(PipelineOptions options, Path folder) throws Refused, IOException {
    if (isLive()) {
      throw new IllegalArgumentException("the events of " + compiled.definition().name() + " come from Pub/Sub: start the stream");
    }
    java.time.Instant started = java.time.Instant.now();
    build(options, folder).run().waitUntilFinish();
    return outcome(folder, compiled.definition().entity(), keepChanges(folder, started).orElseThrow());
  }

  /**
   * Appends the changes a stream whose output is files wrote in {@code folder} (a replay's changes.csv, a
   * live stream's panes) to the warehouse's {@code <name>_stream_changes}, as the stream named by the
   * folder, and makes the view {@code <name>_stream_segments}: each customer's current streamed segment.
   *
   * @return the warehouse and its objects, for messages; empty for a stream into BigQuery, which appended
   *     them as they came
   */
  public Optional<String> keepChanges(Path folder, java.time.Instant started) throws IOException {
    if (!(env.output() instanceof OutputBinding.Files output)) {
      return Optional.empty();
    }
    String name = compiled.definition().name();
    Path warehouse = output.warehouse();
    List<Path> files;
    if (Files.exists(folder.resolve("changes.csv"))) {
      files = List.of(folder.resolve("changes.csv"));
    } else {
      try (java.util.stream.Stream<Path> panes = Files.exists(folder.resolve("changes"))
          ? Files.list(folder.resolve("changes")) : java.util.stream.Stream.empty()) {
        files = panes.filter(f -> f.toString().endsWith(".csv") && f.toFile().length() > 0).sorted().toList();
      }
    }
    Schema.Field entity = compiled.features().schema().getField(compiled.definition().entity());
    try {
      DuckDbWarehouse.appendStreamChanges(warehouse, name,
          OutputTables.streamChanges(name, StreamingSegments.changesSchema(entity)), files,
          folder.getFileName().toString(), started);
    } catch (java.sql.SQLException e) {
      throw new IOException("cannot append the stream's changes to " + warehouse + ": " + e.getMessage(), e);
    }
    return Optional.of(warehouse + " (" + name + "_stream_changes, " + name + "_stream_segments)");
  }

  /**
   * Starts the definition's stream from its Pub/Sub subscription and returns while it runs; it runs until
   * cancelled. Changes and rejects go to files in {@code folder} every {@value #PANE_SECONDS} seconds, and
   * each change to the output's changes topic when it names one.
   */
  public PipelineResult start(PipelineOptions options, Path folder) throws Refused, IOException {
    if (!isLive()) {
      throw new IllegalArgumentException("the events of " + compiled.definition().name() + " are a file: replay it");
    }
    if (onDataflow(options) && env.output() instanceof OutputBinding.Files) {
      throw new Refused("a stream on Dataflow writes its changes into BigQuery; environment " + env.name()
          + " writes files, which Dataflow's workers would keep to themselves: bind output to kind: bigquery",
          List.of());
    }
    // Beam's clients would retry for minutes without credentials; the fakes of a test need none.
    Optional<String> noCredentials = bigQuery.isEmpty() && (env.usesBigQuery() || onDataflow(options))
        ? BigQueryRun.missingCredentials() : Optional.empty();
    if (noCredentials.isPresent()) {
      throw new Refused("environment " + env.name() + " uses Google Cloud, but there are " + noCredentials.get()
          + "; nothing was run", List.of());
    }
    options.as(StreamingOptions.class).setStreaming(true);
    options.as(DirectOptions.class).setBlockOnRun(false);
    options.as(FlinkPipelineOptions.class).setAttachedMode(false);
    // Flink acknowledges Pub/Sub messages when a checkpoint completes: without checkpoints none would be.
    options.as(FlinkPipelineOptions.class).setCheckpointingInterval(CHECKPOINT_MILLIS);
    PipelineOptions pubsub = PubsubEndpoint.configure(options);
    List<Diagnostic> missing = PubsubPreflight.check(env, events, pubsub);
    if (!missing.isEmpty()) {
      throw new Refused("the stream's Pub/Sub subscription or topic does not exist", missing);
    }
    if (env.output() instanceof OutputBinding.BigQuery bq) {
      BigQueryStreamOutput.checkDataset(env, bq, bigQuery, pubsub);
      BigQueryStreamOutput.prepareTables(bq, compiled.definition().name(), pubsub.getJobName(),
          StreamingSegments.changesSchema(compiled.features().schema().getField(compiled.definition().entity())),
          bigQuery, pubsub);
    }
    return build(pubsub, folder).run();
  }

  /** A live stream's counts so far: the events (and history rows) read, used and rejected, and the changes written. */
  public String progress(PipelineResult stream) {
    Map<String, Long> counts = new TreeMap<>();
    MetricQueryResults results = stream.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(SourceCounters.NAMESPACE + events))
        .addNameFilter(MetricNameFilter.named(StreamingSegments.METRICS, StreamingSegments.CHANGES)).build());
    for (MetricResult<Long> counter : results.getCounters()) {
      counts.merge(counter.getName().getName(), counter.getAttempted(), Long::sum);
    }
    if (counts.isEmpty()) {
      return "running; no counts reported yet (a Flink job started detached reports none while it runs)";
    }
    // The history is read as the same source, so its rows are in the counts.
    boolean history = env.sources().get(events) instanceof SourceBinding.PubSub pubsub && pubsub.history().isPresent();
    return String.format("%s read %,d, used %,d, rejected %,d; changes %,d",
        history ? "history and events" : "events", counts.getOrDefault("read", 0L),
        counts.getOrDefault("rows", 0L), counts.getOrDefault("rejected", 0L),
        counts.getOrDefault(StreamingSegments.CHANGES, 0L));
  }

  /**
   * The options of a stream on {@code runner}: the environment's project and temp location for BigQuery;
   * on Dataflow its streaming job ({@link RunOptions#dataflowStream}), replacing the running one when
   * {@code update}.
   */
  public static PipelineOptions options(Environment env, String definition, Runner runner, String flinkMaster,
      boolean update) {
    return switch (runner) {
      case DATAFLOW -> {
        DataflowPipelineOptions dataflow = PipelineOptionsFactory.as(DataflowPipelineOptions.class);
        dataflow.setUpdate(update);
        yield RunOptions.dataflowStream(env, definition, dataflow, java.util.Set.of());
      }
      case FLINK -> BigQueryRun.withGcp(RunOptions.flink(flinkMaster), env);
      case DIRECT -> BigQueryRun.withGcp(RunOptions.direct(), env);
    };
  }

  private static boolean onDataflow(PipelineOptions options) {
    return options.getRunner().getSimpleName().equals("DataflowRunner");
  }

  /**
   * The first source of {@code def} that {@code env} binds to Pub/Sub, if any: its run is then a stream,
   * which a batch run refuses and the template and deploy launch as one.
   */
  public static Optional<String> pubsubSource(SegmentDefinition def, Environment env) {
    return def.sources().keySet().stream()
        .filter(source -> env.sources().get(source) instanceof SourceBinding.PubSub).findFirst();
  }

  /** How often a live stream's files get the changes and rejects since the last ones. */
  public static final int PANE_SECONDS = 10;
  private static final long CHECKPOINT_MILLIS = 10_000;

  Pipeline build(PipelineOptions options, Path folder) throws Refused, IOException {
    if (!isLive() && !(env.output() instanceof OutputBinding.Files)) {
      throw new Refused("a replay writes its changes as files; " + env.name() + " publishes into BigQuery: "
          + "replay with an environment whose output is files, or stream from Pub/Sub", List.of());
    }
    StreamingPlan plan;
    StreamingSegments segments;
    try {
      plan = StreamingPlan.of(compiled, events);
      segments = StreamingSegments.of(compiled, plan);
      if (env.sources().get(events) instanceof SourceBinding.PubSub pubsub) {
        if (pubsub.allowedLateness().isPresent()) {
          segments = segments.withAllowedLateness(pubsub.allowedLateness().get());
        }
        if (pubsub.reevaluate().isPresent()) {
          segments = segments.withReevaluation(pubsub.reevaluate().get().every(), pubsub.reevaluate().get().horizon());
        }
      }
    } catch (IllegalArgumentException e) {
      throw new Refused(e.getMessage(), List.of());
    }
    if (env.output() instanceof OutputBinding.Files) {
      Files.createDirectories(folder);
    }
    Instant started = Instant.now();
    Pipeline p = Pipeline.create(options);
    if (StreamingSegments.assignsWithPublishedModel(compiled.definition().segmentation())) {
      segments = segments.withModel(model(p));
    }
    List<PCollection<Row>> rejects = new ArrayList<>();
    if (isLive()) {
      Optional<PCollectionView<Map<String, String>>> published = env.output() instanceof OutputBinding.Files files
          ? publishedSegments(p, files)
          : BigQueryStreamOutput.publishedSegments(p, (OutputBinding.BigQuery) env.output(),
              compiled.definition().name(), compiled.features().schema().getField(compiled.definition().entity()),
              bigQuery, rejects);
      if (published.isPresent()) {
        segments = segments.withPublishedSegments(published.get());
      }
    }
    PCollectionTuple sources = PCollectionTuple.empty(p);
    for (SourceSpec source : compiled.definition().sources().values()) {
      SourceBinding binding = env.sources().get(source.name());
      Optional<String> eventTime = source.name().equals(events) ? binding.eventTime() : Optional.empty();
      sources = sources.and(new TupleTag<Row>(source.name()), read(p, "", source, binding, eventTime, rejects));
      if (source.name().equals(events) && binding instanceof SourceBinding.PubSub pubsub && pubsub.history().isPresent()) {
        // Read once as the stream starts, each row at the binding's event_time (which a history requires).
        sources = sources.and(new TupleTag<Row>(StreamingSegments.historyOf(events)),
            read(p, "History", source, pubsub.history().get(), pubsub.eventTime(), rejects));
      }
    }
    StreamingSegments.Result result = sources.apply("Stream[" + compiled.definition().name() + "]", segments);
    rejects.add(result.rejects());
    PCollection<Row> allRejects = PCollectionList.of(rejects).apply("AllRejects", Flatten.pCollections())
        .setRowSchema(SegflowPipeline.REJECTS);
    if (result.changes().isBounded() == PCollection.IsBounded.BOUNDED) {
      SegflowPipeline.write(result.changes(), folder.resolve("changes"), "WriteChanges");
      SegflowPipeline.write(allRejects, folder.resolve("rejects"), "WriteRejects");
    } else if (env.output() instanceof OutputBinding.BigQuery bq) {
      BigQueryStreamOutput.write(bq.dataset(), compiled.definition().name(), options.getJobName(),
          java.time.Instant.ofEpochMilli(started.getMillis()), result.changes(), allRejects, bigQuery);
    } else {
      StreamFiles.write(result.changes(), folder.resolve("changes"), "WriteChanges", PANE_SECONDS);
      StreamFiles.write(allRejects, folder.resolve("rejects"), "WriteRejects", PANE_SECONDS);
    }
    env.output().changesTopic().ifPresent(topic -> {
      PCollection<PubsubMessage> messages = result.changes()
          .apply("ChangeMessages", ChangeMessages.of(compiled.definition().name(), compiled.definition().entity()));
      // Dataflow replaces PubsubIO's write with the service's own sink; elsewhere PubsubIO holds a change up
      // to 2 s to fill a batch, which PubsubPublish does not.
      if (onDataflow(options)) {
        messages.apply("PublishChanges", PubsubIO.writeMessages().to(topic));
      } else {
        messages.apply("PublishChanges", PubsubPublish.to(topic));
      }
    });
    return p;
  }

  /**
   * Each customer's segment in the latest run published into the DuckDB warehouse, which a live stream's
   * first changes start from; empty when nothing is published ({@link BigQueryStreamOutput#publishedSegments}
   * for a stream into BigQuery).
   */
  private Optional<PCollectionView<Map<String, String>>> publishedSegments(Pipeline p, OutputBinding.Files files)
      throws Refused {
    Map<String, String> published;
    try {
      published = DuckDbWarehouse.currentSegments(files.warehouse(), compiled.definition().name(),
          compiled.definition().entity());
    } catch (java.sql.SQLException e) {
      throw new Refused("cannot read the published segments of " + compiled.definition().name() + " from "
          + files.warehouse() + ": " + e.getMessage(), List.of());
    }
    if (published.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(p.apply("PublishedSegments", Create.of(published)
            .withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply("PublishedSegmentsView", View.asMap()));
  }

  /** How often a live k-means stream looks for a newly published model. */
  public static final java.time.Duration MODEL_POLL = java.time.Duration.ofMinutes(1);

  /**
   * The latest published run's model, which a k-means stream assigns with: fixed for a replay; for a live
   * stream polled every {@link #modelPoll} and replaced when a batch run publishes a new one.
   *
   * @throws Refused when no run is published, its model is not k-means or reads features the definition
   *     no longer computes, or the warehouse cannot be read
   */
  private PCollectionView<StreamModel> model(Pipeline p) throws Refused {
    SegmentDefinition def = compiled.definition();
    PublishedModels published = PublishedModels.of(def, env, compiled.features().schema().getFieldNames());
    StreamModel initial;
    try {
      initial = published.current().orElseThrow(() -> new Refused("a k-means stream assigns each update with the "
          + "model of the latest published run, and " + published.location() + " has no published run of "
          + def.name() + ": publish one first (segflow run " + def.name() + " --env " + env.name() + ")", List.of()));
    } catch (Refused e) {
      throw e;
    } catch (Exception e) {
      throw new Refused("cannot read the latest published model of " + def.name() + " from " + published.location()
          + ": " + e.getMessage(), List.of());
    }
    Coder<StreamModel> coder = SerializableCoder.of(StreamModel.class);
    if (!isLive()) {
      return p.apply("Model", Create.of(initial).withCoder(coder)).apply("ModelView", View.asSingleton());
    }
    return p.apply("LatestModel", PolledView.of(published, initial, coder, modelPoll));
  }

  /**
   * A source's rows as {@code binding} reads them, each at its {@code eventTime} when one is given; the
   * rows the reader rejects, and those without a time, added to {@code rejects}. {@code prefix} names the
   * steps of a second read of one source (its history) apart.
   */
  private PCollection<Row> read(Pipeline p, String prefix, SourceSpec source, SourceBinding binding,
      Optional<String> eventTime, List<PCollection<Row>> rejects) {
    SourceIO.Result read = p.apply(prefix + "Read[" + source.name() + "]",
        SegflowPipeline.read(source, binding, bigQuery));
    rejects.add(read.rejects().apply(prefix + "Rejects[" + source.name() + "]",
        ParDo.of(new SegflowPipeline.FromSourceRejects())).setRowSchema(SegflowPipeline.REJECTS));
    if (eventTime.isEmpty()) {
      return read.rows();
    }
    PCollectionTuple timed = read.rows().apply(prefix + "AtEventTime", ParDo.of(
            new AtEventTimeFn(source.name(), eventTime.get()))
        .withOutputTags(AtEventTimeFn.EVENTS, TupleTagList.of(AtEventTimeFn.REJECTS)));
    rejects.add(timed.get(AtEventTimeFn.REJECTS).setRowSchema(SegflowPipeline.REJECTS));
    return timed.get(AtEventTimeFn.EVENTS).setRowSchema(read.rows().getSchema());
  }

  /** Reads back what the replay wrote: each customer's last change is where they are now. */
  private static Outcome outcome(Path folder, String entity, String warehouse) throws IOException {
    Map<String, List<String>> last = new LinkedHashMap<>();
    long changes = 0;
    try (java.io.BufferedReader in = Files.newBufferedReader(folder.resolve("changes.csv"))) {
      CsvRecords records = new CsvRecords(in, ',');
      List<String> header = records.next().fields();
      int id = header.indexOf(entity);
      int at = header.indexOf("event_time");
      for (CsvRecords.Record r = records.next(); r != null; r = records.next()) {
        changes++;
        List<String> before = last.get(r.fields().get(id));
        // ISO instants of one width: their text orders as their time.
        if (before == null || r.fields().get(at).compareTo(before.get(at)) >= 0) {
          last.put(r.fields().get(id), r.fields());
        }
      }
      int to = header.indexOf("to_segment");
      Map<String, Long> now = new TreeMap<>();
      last.values().forEach(f -> now.merge(f.get(to), 1L, Long::sum));
      return new Outcome(folder, changes, last.size(), now, records(folder.resolve("rejects.csv")), warehouse);
    }
  }

  /** Records after the header; a reject's record may span lines. */
  private static long records(Path csv) throws IOException {
    try (java.io.BufferedReader in = Files.newBufferedReader(csv)) {
      CsvRecords records = new CsvRecords(in, ',');
      long n = -1;
      while (records.next() != null) {
        n++;
      }
      return n;
    }
  }

  /** Stamps each row with its event time; a row without one is a reject: it cannot be placed in the stream. */
  static final class AtEventTimeFn extends DoFn<Row, Row> {
    static final TupleTag<Row> EVENTS = new TupleTag<>("segflow.stream.events") {};
    static final TupleTag<Row> REJECTS = new TupleTag<>("segflow.stream.rejects") {};
    private final String source;
    private final String column;

    AtEventTimeFn(String source, String column) {
      this.source = source;
      this.column = column;
    }

    @Override
    @SuppressWarnings("deprecation") // a file's rows carry no time until here, where they are given theirs
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }

    @ProcessElement
    public void process(@Element Row row, MultiOutputReceiver out) {
      Object value = row.getValue(column);
      if (value == null) {
        out.get(REJECTS).output(Row.withSchema(SegflowPipeline.REJECTS).attachValues("events", source, null, null,
            null, RowText.of(row), "the event time " + column + " is NULL: the event cannot be placed in the stream"));
        return;
      }
      Instant at = value instanceof java.time.LocalDate date
          ? Instant.ofEpochMilli(date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli())
          : value instanceof Long seconds ? Instant.ofEpochSecond(seconds)
          : ((org.joda.time.ReadableInstant) value).toInstant();
      out.get(EVENTS).outputWithTimestamp(row, at);
    }
  }
}
