package io.segflow.pipeline;

import io.segflow.compile.BeamSchemas;
import io.segflow.compile.CompiledDefinition;
import io.segflow.dsl.model.ConsentSpec;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.OutputBinding;
import io.segflow.dsl.env.SourceBinding;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.model.SourceSpec;
import io.segflow.pipeline.methods.MethodContext;
import io.segflow.pipeline.methods.SegmentationMethod;
import io.segflow.pipeline.methods.Segmented;
import io.segflow.pipeline.methods.SegmentationMethods;
import io.segflow.pipeline.refresh.AssignSegmentIds;
import io.segflow.pipeline.refresh.FeatureBinsJson;
import io.segflow.pipeline.refresh.PreviousSegments;
import io.segflow.pipeline.refresh.SegmentIds;
import io.segflow.transforms.aggregate.GloballyOrDefault;
import io.segflow.transforms.batching.BundleLists;
import io.segflow.transforms.batching.Regroup;
import io.segflow.transforms.batching.ShardingOptions;
import io.segflow.transforms.coders.UserTypeSerializableCoder;
import io.segflow.transforms.io.BigQuerySourceIO;
import io.segflow.transforms.io.CsvFile;
import io.segflow.transforms.io.LineFile;
import io.segflow.transforms.io.PubsubRead;
import io.segflow.transforms.io.SourceIO;
import io.segflow.transforms.model.FittedModel;
import io.segflow.transforms.metrics.DeferredCounter;
import io.segflow.transforms.profile.FeatureDrift;
import io.segflow.transforms.profile.SegmentProfiles;
import io.segflow.transforms.profile.SegmentSummary;
import io.segflow.transforms.progress.StageProgress;
import io.segflow.transforms.quality.RequireUniqueKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A definition and an environment become one Beam pipeline: read each source through its binding, compute
 * the features with the definition's SQL over the sources' logical names, segment (by the definition's method),
 * label the members, profile the segments, and write members, segments, model and rejects.
 */
public final class SegflowPipeline {
  /** Beam metric namespace of the run's counts. */
  public static final String METRICS = "segflow";

  /** Beam metric namespace of the rejects' counts, named by stage and reason. */
  public static final String REJECT_REASONS = "segflow.rejects";

  /** Beam metric namespace of the segments' sizes (a distribution per segment; its sum is the size). */
  public static final String SEGMENT_SIZES = "segflow.segment.size";
  /** Each kept k-means segment's centroid shift, in millionths. */
  public static final String SEGMENT_SHIFTS = "segflow.segment.centroid_shift";
  /** Each feature's population stability index against the previous run, in millionths. */
  public static final String FEATURE_PSI = "segflow.feature.psi";
  /** Beam distributions count in longs: shifts and indexes go through them in millionths. */
  static final double SHIFT_UNITS = 1e6;

  static final Schema REJECTS = Schema.builder()
      .addStringField("stage")
      .addNullableField("source", Schema.FieldType.STRING)
      .addNullableField("file", Schema.FieldType.STRING)
      .addNullableField("line", Schema.FieldType.INT64)
      .addNullableField("entity", Schema.FieldType.STRING)
      .addStringField("record")
      .addStringField("reason")
      .build();

  private SegflowPipeline() {}

  /**
   * The pipeline's outputs, for callers that want more than the files; {@code catalogue} describes the
   * tables they are published to (members, segments, rejects, and the model's where there is one), which
   * types the files when a warehouse loads them; {@code bigQueryTables} are the tables a BigQuery output
   * publishes to (empty for files), for {@link BigQueryWarehouse}.
   */
  public record Graph(PCollection<Row> features, PCollection<Row> members, PCollection<Row> segments,
      PCollection<Row> rejects, Optional<PCollection<FittedModel>> model, List<OutputTables.Table> catalogue,
      List<BigQueryTables.OutputTable> bigQueryTables) {
    public Graph {
      catalogue = List.copyOf(catalogue);
      bigQueryTables = List.copyOf(bigQueryTables);
    }

    /** The catalogue's table with this suffix ("members", "segments", ...). */
    public OutputTables.Table table(String suffix) {
      return OutputTables.find(catalogue, suffix);
    }
  }

  /** Where the pipeline writes: files in the run's folder, or BigQuery staging tables in a dataset. */
  private sealed interface Sink {
    record Files() implements Sink {}

    record BigQuery(String dataset, Optional<BigQueryServices> testServices) implements Sink {}
  }

  /** Reads each logical source; how depends on who builds the pipeline (an environment, a test). */
  @FunctionalInterface
  public interface Sources {
    SourceIO.Result read(Pipeline p, SourceSpec source);
  }

  public static Graph build(Pipeline p, CompiledDefinition def, Environment env, RunContext run) {
    return build(p, def, env, run, Optional.empty());
  }

  /** @param bigQuery Beam's BigQuery test doubles, used for BigQuery sources and output; empty for the service */
  public static Graph build(Pipeline p, CompiledDefinition def, Environment env, RunContext run,
      Optional<BigQueryServices> bigQuery) {
    Sink sink = env.output() instanceof OutputBinding.BigQuery bq ? new Sink.BigQuery(bq.dataset(), bigQuery)
        : new Sink.Files();
    return build(p, def, (pipeline, source) -> pipeline.apply("Read[" + source.name() + "]", read(source, env, bigQuery)),
        run, sink);
  }

  /** Sources as the reader gives them; results written as files. */
  public static Graph build(Pipeline p, CompiledDefinition def, Sources reader, RunContext run) {
    return build(p, def, reader, run, new Sink.Files());
  }

  private static Graph build(Pipeline p, CompiledDefinition compiled, Sources reader, RunContext run, Sink sink) {
    SegmentDefinition def = compiled.definition();
    // 1. Sources, each under its logical name.
    PCollectionTuple sources = PCollectionTuple.empty(p);
    List<PCollection<Row>> rejects = new ArrayList<>();
    Map<SourceSpec, PCollection<Row>> readRejects = new java.util.LinkedHashMap<>();
    Set<String> readInChunks = new java.util.HashSet<>();
    for (SourceSpec source : def.sources().values()) {
      SourceIO.Result read = reader.read(p, source);
      if (read.inChunks()) {
        readInChunks.add(source.name());
      }
      String stage = "read " + source.name();
      read.chunkRows().ifPresentOrElse(
          counts -> counts.apply("Progress[" + stage + "]", progressCounted(run, def, stage)),
          () -> read.rows().apply("Progress[" + stage + "]", progress(run, def, stage)));
      sources = sources.and(new TupleTag<Row>(source.name()), read.rows());
      readRejects.put(source, read.rejects());
    }
    for (Map.Entry<SourceSpec, PCollection<Row>> read : readRejects.entrySet()) {
      SourceSpec source = read.getKey();
      Optional<ConsentSpec> consent = def.consent();
      rejects.add(consent.isPresent() && namesCustomers(compiled, consent.get(), source.name())
          // With consent declared, what a bad row of a customer shows depends on that customer's consent.
          ? read.getValue().apply("Rejects[" + source.name() + "]", new ConsentOfRejects(consent.get(),
              sources.get(new TupleTag<Row>(consent.get().source())), BeamSchemas.of(source.columns()),
              personalColumns(source), customerColumn(compiled, consent.get(), source.name())))
          : read.getValue().apply("Rejects[" + source.name() + "]", ParDo.of(new FromSourceRejects()))
              .setRowSchema(REJECTS));
    }

    // 2. Features: the definition's SQL, with its parameters' values, as validation planned it.
    PCollection<Row> computed = sources.apply("Features[" + def.name() + "]", compiled.features().transform());
    // On the DirectRunner (shards), regrouped so the stages after the SQL see large bundles whatever came
    // before. GROUP BY and JOIN already leave shard-sized bundles, but not every source and SQL shape does:
    // without this the BigQuery run test (Beam's BigQuery test services) took 134 s instead of 21 s, and set
    // operators group per row. A file's rows as they were read are in chunks already, and so are they after
    // a projection that picks their columns; regrouping them cost two passes over every row (4 s of worker
    // time for 1M rows). Other runners need no more.
    int shards = p.getOptions().as(ShardingOptions.class).getShards();
    boolean inChunks = compiled.features().tableGivenRowForRow().filter(readInChunks::contains).isPresent();
    PCollection<Row> grouped = shards > 0 && !inChunks ? computed.apply("Regroup", Regroup.intoShards(shards))
        : computed;
    PCollectionTuple checked = grouped.apply("CheckFeatures", ParDo.of(FeatureRowsFn.countingBundles(computed.getSchema(),
        def.entity())).withOutputTags(FeatureRowsFn.ROWS, TupleTagList.of(FeatureRowsFn.REJECTS)
            .and(FeatureRowsFn.COUNTS)));
    PCollection<Row> checkedRows = checked.get(FeatureRowsFn.ROWS).setRowSchema(computed.getSchema());
    PCollectionTuple read = sources;
    PCollection<Row> features = def.consent().map(c -> checkedRows.apply("Consent",
        new ConsentFilter(c, def.entity(), read.get(new TupleTag<Row>(c.source()))))).orElse(checkedRows);
    rejects.add(checked.get(FeatureRowsFn.REJECTS).setRowSchema(REJECTS));
    if (!compiled.features().provesUnique(def.entity())) {
      // The plan does not rule out two rows for one entity (no GROUP BY on it): count them.
      features.apply("UniqueEntities", RequireUniqueKey.of(def.entity(), "the features query's output"));
    }
    if (def.consent().isPresent()) { // the consent filter keeps fewer rows than were checked
      features.apply("Progress[features]", progress(run, def, "features"));
    } else {
      checked.get(FeatureRowsFn.COUNTS).setCoder(VarLongCoder.of())
          .apply("Progress[features]", progressCounted(run, def, "features"));
    }
    Schema.Field entity = features.getSchema().getField(def.entity());

    // 3. Segmentation, then 4. labelled members.
    // The method's members carry the profiled features, so the profile needs no join back to them.
    SegmentationMethod method = SegmentationMethods.of(def.segmentation());
    Segmented segmented = method.segment(features, new MethodContext(def.entity(), compiled.literals(), run.previous(),
        io.segflow.pipeline.methods.LabelWords.of(def.features().columnWords())));
    Schema.Builder memberFields = Schema.builder()
        .addField(entity.withNullable(false))
        .addInt32Field("segment_id")
        .addStringField("segment_label");
    if (segmented.hierarchical()) {
      memberFields.addStringField("segment_path");
    }
    memberFields
        .addNullableField("distance", Schema.FieldType.DOUBLE)
        .addNullableField("margin", Schema.FieldType.DOUBLE)
        .addBooleanField("holdout");
    for (String column : segmented.memberColumns()) {
      memberFields.addField(column, segmented.assignments().getSchema()
          .getField(Segmented.PROFILED_PREFIX + column).getType());
    }
    Schema memberSchema = memberFields.addStringField("run_id").addStringField("run_time").build();
    segmented.rejects().ifPresent(r -> rejects.add(
        r.apply("Rejects[segment]", ParDo.of(new FromMethodRejects())).setRowSchema(REJECTS)));
    segmented.stageDone().apply("Progress[" + segmented.stage() + "]", progress(run, def, segmented.stage()));
    Optional<PCollection<FittedModel>> model = segmented.model();
    // The published ids: the previous run's, matched by centroid or name; new ids for new segments.
    PCollectionView<SegmentIds> labels = segmented.labels()
        .apply("SegmentIds", AssignSegmentIds.matching(run.previous(), model).withNames(method.segmentNames()))
        .apply("SegmentIdsView", View.asSingleton());
    // The ids are made after the first assignments: on the DirectRunner the steps reading them take the
    // assignments as lists (BundleLists says why; 1M members took 0.89x the time).
    PCollection<?> assignmentsForIds = BundleLists.forLateSideInput("AssignmentLists", segmented.assignments());
    PCollection<Row> members = assignmentsForIds
        .apply("Members", ParDo.of(new MembersFn(labels, memberSchema,
            segmented.assignments().getSchema().hasField("distance"), segmented.hierarchical(),
            segmented.memberColumns(), run,
            def.holdout().map(h -> new HoldoutGroup(h.share(), h.salt())).orElse(HoldoutGroup.NONE)))
            .withSideInputs(labels))
        .setRowSchema(memberSchema);

    // 5. Segment profiles: size, share, and per feature mean, median, min, max.
    // Each segment's members summarised once: the profiles, the drift and the report's sample read the summaries.
    SegmentProfiles profiles = SegmentProfiles.of(segmented.profiled()).withInputFields(segmented.profiledFields())
        .keyedBy(def.entity())
        .withExtremesSuppressedBelow(def.output().suppressExtremesBelow());
    PCollection<SegmentSummary> summaries = segmented.assignments().apply("Summaries", profiles.summaries());
    // A tree's nodes above the leaves are profiled over their leaves' members.
    PCollection<SegmentSummary> profiledSummaries = !segmented.hierarchical() ? summaries : assignmentsForIds
        .apply("WithAncestors", ParDo.of(new WithAncestorsFn(labels, segmented.assignments().getSchema().indexOf("segment_id")))
            .withSideInputs(labels))
        .setRowSchema(segmented.assignments().getSchema())
        .apply("SummariesWithAncestors", profiles.summaries());
    PCollection<Row> profile = profiledSummaries.apply("Profile", profiles.fromSummaries());
    Schema segmentSchema = describedProfile(profile.getSchema(), segmented.hierarchical());
    // Shares of the run's members, whom the leaves' summaries hold once each. The total, made last, is the
    // main input: the DirectRunner runs a step whose side input is made after its main input again each
    // time another step completes work.
    PCollectionView<List<Row>> profileRows = profile.apply("ProfileView", View.asList());
    PCollection<Row> segments = summaries
        .apply("MemberCounts", MapElements.into(TypeDescriptors.longs()).via(SegmentSummary::size))
        .apply("CountMembers", GloballyOrDefault.of(Sum.ofLongs()))
        .apply("Describe", ParDo.of(new DescribeFn(labels, profileRows, segmentSchema, method.descriptions()))
            .withSideInputs(labels, profileRows))
        .setRowSchema(segmentSchema);

    segments.apply("Progress[segments]", progress(run, def, "segment profiles"));

    // 6. Outputs.
    PCollection<Row> allRejects = PCollectionList.of(rejects).apply("AllRejects", Flatten.pCollections());
    // Each feature's deciles, and its stability index against the previous run's, kept in the model.
    // The drift, made last, is the main input and the model a side input (as for the shares above).
    Optional<PCollection<String>> modelJson = model.map(m -> {
      PCollectionView<FittedModel> fitted = m.apply("FittedModelView", View.asSingleton());
      return summaries
          .apply("FeatureDrift", FeatureDrift.of(segmented.profiled()).comparedTo(run.previous().featureBins()))
          .apply("FeatureDriftMetrics", ParDo.of(new DriftMetricsFn()))
          .setCoder(UserTypeSerializableCoder.of(FeatureDrift.Result.class))
          .apply("ModelJson", ParDo.of(new ModelJsonFn(labels, fitted)).withSideInputs(labels, fitted))
          .setCoder(StringUtf8Coder.of());
    });
    List<OutputTables.Table> catalogue = OutputTables.of(def, members.getSchema(), segments.getSchema(),
        allRejects.getSchema(), model.isPresent());
    if (sink instanceof Sink.BigQuery bq) {
      List<BigQueryTables.OutputTable> tables = new ArrayList<>(BigQueryTables.of(catalogue));
      BigQueryOutput.write(bq.dataset(), def.name(), run, tables, members, segments, allRejects, modelJson,
          bq.testServices());
      tables.add(BigQueryTables.of(OutputTables.transitions(def.name(), catalogue.get(0).columns().get(0))));
      tables.add(BigQueryTables.of(OutputTables.runs(def.name())));
      return new Graph(features, members, segments, allRejects, model, catalogue, tables);
    }
    write(members, run.outputDirectory().resolve("members"), "WriteMembers");
    write(segments, run.outputDirectory().resolve("segments"), "WriteSegments");
    write(allRejects, run.outputDirectory().resolve("rejects"), "WriteRejects");
    // For the run's report (segflow report): bounded, so it costs the same at any number of members.
    write(summaries.apply("ReportSample", ReportSample.of(labels, segmented.profiled())),
        run.outputDirectory().resolve("sample"), "WriteSample");
    modelJson.ifPresent(m -> m.apply("WriteModel",
        LineFile.<String>write(run.outputDirectory().resolve("model.json").toString(), json -> json)));
    return new Graph(features, members, segments, allRejects, model, catalogue, List.of());
  }

  /** The key under which a launcher listens to the stages of this run ({@link StageProgress#listen}). */
  public static String progressKey(SegmentDefinition def, RunContext run) {
    return def.name() + "/" + run.runId();
  }

  private static <T> StageProgress.Mark<T> progress(RunContext run, SegmentDefinition def, String stage) {
    return StageProgress.mark(progressKey(def, run), stage, run.runTime().toEpochMilli());
  }

  private static StageProgress.Mark<Long> progressCounted(RunContext run, SegmentDefinition def, String stage) {
    return StageProgress.markCounted(progressKey(def, run), stage, run.runTime().toEpochMilli());
  }

  /** The reader of a source as its binding in {@code env} says: files, or BigQuery (through {@code bigQuery}'s fakes in tests). */
  static PTransform<PBegin, SourceIO.Result> read(SourceSpec source, Environment env,
      Optional<BigQueryServices> bigQuery) {
    return read(source, env.sources().get(source.name()), bigQuery);
  }

  /** The reader of a source from {@code binding}: the environment's, or a stream's history. */
  static PTransform<PBegin, SourceIO.Result> read(SourceSpec source, SourceBinding binding,
      Optional<BigQueryServices> bigQuery) {
    if (binding instanceof SourceBinding.BigQuery bq) {
      BigQuerySourceIO.Read read = BigQuerySourceIO.read(source.name(), BeamSchemas.of(source.columns()))
          .withPersonalColumns(personalColumns(source))
          .withMethod(bq.readMethod() == SourceBinding.ReadMethod.EXPORT ? BigQuerySourceIO.Method.EXPORT
              : BigQuerySourceIO.Method.DIRECT_READ);
      read = bq.table().isPresent() ? read.fromTable(bq.table().get()) : read.fromQuery(bq.query().orElseThrow());
      read = bq.rowFilter().map(read::withRowFilter).orElse(read);
      read = bq.location().map(read::withQueryLocation).orElse(read);
      // segflow run checks the tables and columns before it builds the pipeline (BigQuerySourceChecks).
      read = read.withoutValidation();
      return bigQuery.map(read::withTestServices).orElse(read);
    }
    if (binding instanceof SourceBinding.PubSub pubsub) {
      SourceIO.Read read = typed(SourceIO.read(source.name(), BeamSchemas.of(source.columns()))
          .withPersonalColumns(personalColumns(source)), pubsub.typing());
      PubsubRead messages = read.fromSubscription(pubsub.subscription());
      messages = pubsub.idAttribute().map(messages::withIdAttribute).orElse(messages);
      return pubsub.timestampAttribute().map(messages::withTimestampAttribute).orElse(messages);
    }
    SourceBinding.Files files = (SourceBinding.Files) binding;
    SourceIO.Read read = typed(SourceIO.read(source.name(), BeamSchemas.of(source.columns()))
        .withPersonalColumns(personalColumns(source))
        .from(files.path().toString())
        .withFormat(files.format() == SourceBinding.FileFormat.JSONL ? SourceIO.Format.JSONL : SourceIO.Format.CSV)
        .withDelimiter(files.delimiter()), files.typing());
    return files.maxRecordBytes().isPresent() ? read.withMaxRecordBytes(files.maxRecordBytes().getAsInt()) : read;
  }

  private static SourceIO.Read typed(SourceIO.Read read, SourceBinding.Typing typing) {
    read = read.withNullValues(typing.nullValues()).withTimeZone(typing.timeZone());
    read = typing.dateFormat().map(read::withDateFormat).orElse(read);
    read = typing.timestampFormat().map(read::withTimestampFormat).orElse(read);
    return typing.missingKeysAreNull() ? read.withMissingKeysAsNull() : read;
  }

  /**
   * Whether {@code source}'s rows may be a customer's: the consent source, a source the features' entity
   * is computed from, and every source when the planner cannot trace the entity. Not a source the entity
   * does not come from (a product list, say), whose rejects are nobody's.
   */
  private static boolean namesCustomers(CompiledDefinition compiled, ConsentSpec consent, String source) {
    return source.equals(consent.source()) || compiled.features().sourceColumnsOf(compiled.definition().entity())
        .map(byTable -> byTable.containsKey(source)).orElse(true);
  }

  /**
   * The column of {@code source} that holds the customer: the consent source's entity column, or the one
   * column of the source the features' entity is computed from; empty when that cannot be told, and then
   * no reject of the source keeps its record.
   */
  private static Optional<String> customerColumn(CompiledDefinition compiled, ConsentSpec consent, String source) {
    if (source.equals(consent.source())) {
      return Optional.of(consent.entity());
    }
    java.util.Set<String> columns = compiled.features().sourceColumnsOf(compiled.definition().entity())
        .map(byTable -> byTable.getOrDefault(source, java.util.Set.of())).orElse(java.util.Set.of());
    return columns.size() == 1 ? Optional.of(columns.iterator().next()) : Optional.empty();
  }

  private static List<String> personalColumns(SourceSpec source) {
    return source.columns().stream().filter(io.segflow.dsl.model.Column::pii).map(io.segflow.dsl.model.Column::name).toList();
  }

  /**
   * The profile with each segment's label after its id, its share after its size, and last what it means
   * (last, so that readers of the columns before it by position are not moved).
   */
  private static Schema describedProfile(Schema profile, boolean hierarchical) {
    Schema.Builder b = Schema.builder();
    for (Schema.Field f : profile.getFields()) {
      b.addField(f);
      if (f.getName().equals("segment_id")) {
        b.addStringField("segment_label");
        if (hierarchical) {
          b.addNullableField("parent_segment_id", Schema.FieldType.INT32);
          b.addInt32Field("depth");
        }
      } else if (f.getName().equals("size")) {
        b.addDoubleField("share");
        b.addNullableField("centroid_shift", Schema.FieldType.DOUBLE);
      }
    }
    return b.addNullableField("segment_description", Schema.FieldType.STRING).build();
  }

  static void write(PCollection<Row> rows, Path prefix, String name) {
    rows.apply(name, CsvFile.write(prefix + ".csv"));
  }

  /** Counts a reject by stage and reason, the quoted bad value left out so that like reasons group. */
  static void countReason(String stage, String reason) {
    Metrics.counter(REJECT_REASONS, stage + ": " + reason.replaceAll("'[^']*'", "'…'")).inc();
  }

  static final class FromSourceRejects extends DoFn<Row, Row> {
    @ProcessElement
    public void process(@Element Row r, OutputReceiver<Row> out) {
      countReason("read", r.getString("reason"));
      out.output(Row.withSchema(REJECTS).attachValues("read", r.getString("source"), r.getString("file"),
          r.getInt64("line"), null, r.getString("record"), r.getString("reason")));
    }
  }

  static final class FromMethodRejects extends DoFn<Row, Row> {
    private final Counter counter = Metrics.counter(METRICS, "entities_rejected");

    @ProcessElement
    public void process(@Element Row r, OutputReceiver<Row> out) {
      counter.inc();
      countReason("segment", r.getString("reason"));
      out.output(Row.withSchema(REJECTS).attachValues("segment", null, null, null, r.getString("entity"),
          r.getString("record"), r.getString("reason")));
    }
  }

  /**
   * A member row from a method's output: entity, segment id, then distance and margin where the method has
   * them, then the method's member columns.
   */
  static final class MembersFn extends DoFn<Object, Row> {
    private final PCollectionView<SegmentIds> labels;
    private final Schema schema;
    private final boolean measured;
    private final boolean hierarchical;
    private final List<String> columns;
    private final String runId;
    private final String runTime;
    private final HoldoutGroup holdout;
    private final DeferredCounter counter = DeferredCounter.of(METRICS, "members");
    private final DeferredCounter heldOut = DeferredCounter.of(METRICS, "holdout_members");

    /**
     * @param measured whether the method's rows have distance and margin
     * @param hierarchical whether the segments form a tree, whose path each member gets
     */
    MembersFn(PCollectionView<SegmentIds> labels, Schema schema, boolean measured, boolean hierarchical,
        List<String> columns, RunContext run, HoldoutGroup holdout) {
      this.labels = labels;
      this.schema = schema;
      this.measured = measured;
      this.hierarchical = hierarchical;
      this.columns = columns.stream().map(c -> Segmented.PROFILED_PREFIX + c).toList();
      this.runId = run.runId();
      this.runTime = run.runTime().toString();
      this.holdout = holdout;
    }

    @ProcessElement
    public void process(@Element Object assignments, ProcessContext c) {
      SegmentIds ids = c.sideInput(labels);
      for (Row r : BundleLists.rowsOf(assignments)) {
        c.output(member(r, ids));
      }
    }

    private Row member(Row r, SegmentIds ids) {
      int segment = r.getInt32("segment_id");
      counter.inc();
      boolean held = holdout.holdsOut(r.getValue(0));
      if (held) {
        heldOut.inc();
      }
      List<Object> values = new ArrayList<>(List.of(r.getValue(0), ids.id(segment), ids.label(segment)));
      if (hierarchical) {
        values.add(ids.path(segment));
      }
      values.add(measured ? r.getDouble("distance") : null);
      values.add(measured ? r.getDouble("margin") : null);
      values.add(held);
      columns.forEach(field -> values.add(r.getValue(field)));
      values.add(runId);
      values.add(runTime);
      return Row.withSchema(schema).attachValues(values);
    }

    @FinishBundle
    public void finishBundle() {
      counter.flush();
      heldOut.flush();
    }
  }

  /**
   * The model as JSON with the published id of each centroid, which the next run's ids are matched to, and
   * each feature's deciles and stability index against the previous run.
   */
  static final class ModelJsonFn extends DoFn<FeatureDrift.Result, String> {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
        new com.fasterxml.jackson.databind.ObjectMapper().enable(
            com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    private final PCollectionView<SegmentIds> labels;
    private final PCollectionView<FittedModel> model;

    ModelJsonFn(PCollectionView<SegmentIds> labels, PCollectionView<FittedModel> model) {
      this.labels = labels;
      this.model = model;
    }

    @ProcessElement
    public void process(@Element FeatureDrift.Result features, ProcessContext c) throws java.io.IOException {
      com.fasterxml.jackson.databind.node.ObjectNode json =
          (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(c.sideInput(model).toJson());
      com.fasterxml.jackson.databind.node.ArrayNode ids = json.putArray(PreviousSegments.SEGMENT_IDS);
      for (int id : c.sideInput(labels).ids()) {
        ids.add(id);
      }
      json.set(FeatureBinsJson.FIELD, FeatureBinsJson.write(features.bins()));
      json.set("feature_stability_index", JSON.valueToTree(features.stabilityIndex()));
      c.output(JSON.writeValueAsString(json));
    }
  }

  /** Hands each feature's stability index to the launcher, which reports it and checks it against max_drift. */
  static final class DriftMetricsFn extends DoFn<FeatureDrift.Result, FeatureDrift.Result> {
    @ProcessElement
    public void process(@Element FeatureDrift.Result drift, OutputReceiver<FeatureDrift.Result> out) {
      drift.stabilityIndex().forEach((feature, psi) ->
          Metrics.distribution(FEATURE_PSI, feature).update(Math.round(psi * SHIFT_UNITS)));
      out.output(drift);
    }
  }

  /** A member's row once for its leaf and once more for every node above it, each as that node's segment. */
  static final class WithAncestorsFn extends DoFn<Object, Row> {
    private final PCollectionView<SegmentIds> labels;
    private final int segmentField;

    WithAncestorsFn(PCollectionView<SegmentIds> labels, int segmentField) {
      this.labels = labels;
      this.segmentField = segmentField;
    }

    @ProcessElement
    public void process(@Element Object assignments, ProcessContext c) {
      SegmentIds ids = c.sideInput(labels);
      for (Row r : BundleLists.rowsOf(assignments)) {
        c.output(r);
        for (int at = ids.parents()[r.getInt32(segmentField)]; at >= 0; at = ids.parents()[at]) {
          // attachValues: the same values but the segment, which fit the schema as they did.
          List<Object> values = new ArrayList<>(r.getValues());
          values.set(segmentField, at);
          c.output(Row.withSchema(r.getSchema()).attachValues(values));
        }
      }
    }
  }

  /** Each segment's profile with its published id, label, share of the members and description. */
  static final class DescribeFn extends DoFn<Long, Row> {
    private final PCollectionView<SegmentIds> labels;
    private final PCollectionView<List<Row>> profile;
    private final Schema schema;
    private final Map<String, String> descriptions;

    DescribeFn(PCollectionView<SegmentIds> labels, PCollectionView<List<Row>> profile, Schema schema,
        Map<String, String> descriptions) {
      this.labels = labels;
      this.profile = profile;
      this.schema = schema;
      this.descriptions = new java.util.HashMap<>(descriptions);
    }

    @ProcessElement
    public void process(@Element Long total, ProcessContext c) {
      SegmentIds ids = c.sideInput(labels);
      for (Row r : c.sideInput(profile)) {
        c.output(describe(r, ids, total));
      }
    }

    private Row describe(Row r, SegmentIds ids, long total) {
      int segment = r.getInt32("segment_id");
      int id = ids.id(segment);
      String label = ids.label(segment);
      long size = r.getInt64("size");
      // The launcher checks segment sizes (output.min_segment_size) from these, whatever the sink.
      String name = new SegmentKey(id, label).metricName();
      Metrics.distribution(SEGMENT_SIZES, name).update(size);
      if (!Double.isNaN(ids.shift(segment))) {
        Metrics.distribution(SEGMENT_SHIFTS, name).update(Math.round(ids.shift(segment) * SHIFT_UNITS));
      }
      List<Object> values = new ArrayList<>();
      for (Schema.Field f : r.getSchema().getFields()) {
        if (f.getName().equals("segment_id")) {
          values.add(id);
          values.add(label);
          if (schema.hasField("parent_segment_id")) {
            values.add(ids.parentId(segment));
            values.add(ids.depth(segment));
          }
        } else if (f.getName().equals("size")) {
          values.add(size);
          values.add((double) size / total);
          values.add(Double.isNaN(ids.shift(segment)) ? null : ids.shift(segment));
        } else {
          values.add(r.getValue(f.getName()));
        }
      }
      values.add(descriptions.get(label));
      return Row.withSchema(schema).attachValues(values);
    }
  }
}
