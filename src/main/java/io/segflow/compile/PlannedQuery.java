package io.segflow.compile;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.sql.impl.BeamSqlEnv;
import org.apache.beam.sdk.extensions.sql.impl.rel.BeamIOSourceRel;
import org.apache.beam.sdk.extensions.sql.impl.rel.BeamRelNode;
import org.apache.beam.sdk.extensions.sql.impl.rel.BeamSqlRelUtils;
import org.apache.beam.sdk.extensions.sql.impl.utils.CalciteUtils;
import org.apache.beam.sdk.extensions.sql.meta.BeamSqlTable;
import org.apache.beam.sdk.extensions.sql.meta.SchemaBaseBeamTable;
import org.apache.beam.sdk.extensions.sql.meta.provider.ReadOnlyTableProvider;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.transforms.Convert;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rel.RelNode;

/**
 * A query planned once, over tables known by name and schema, and applied to any pipeline's inputs with
 * {@link #transform}. Beam's SqlTransform plans its query again each time it is applied, because its tables
 * are the PCollections it is applied to; here the tables are bound when the plan is applied, so validation's
 * plan is the one a run executes (planning costs ~0.3 s a query once warm, more cold).
 */
public final class PlannedQuery {
  private final Map<String, Schema> tables;
  private final BeamRelNode plan;
  private final Schema schema;
  private final SegflowQueryPlanner.PlanFacts facts;

  private PlannedQuery(Map<String, Schema> tables, BeamRelNode plan, Schema schema,
      SegflowQueryPlanner.PlanFacts facts) {
    this.tables = tables;
    this.plan = plan;
    this.schema = schema;
    this.facts = facts;
  }

  /**
   * Plans {@code sql} over {@code tables} (name to schema; bounded tables) with segflow's planner.
   *
   * @throws RuntimeException (Beam's ParseException and Calcite's kinds) and AssertionError where it does
   *     not parse, validate or plan; {@link SqlProblem} reads them
   */
  public static PlannedQuery plan(RewrittenSql sql, Map<String, Schema> tables) {
    Map<String, BeamSqlTable> named = new LinkedHashMap<>();
    tables.forEach((name, schema) -> named.put(name, new BoundOnApply(name, schema)));
    BeamSqlEnv.BeamSqlEnvBuilder env = BeamSqlEnv.builder(new ReadOnlyTableProvider("segflow", named))
        .setQueryPlannerClassName(SegflowQueryPlanner.class.getName())
        .setPipelineOptions(PipelineOptionsFactory.create());
    for (Map.Entry<String, Combine.CombineFn<?, ?, ?>> fn : sql.aggregates().entrySet()) {
      env.addUdaf(fn.getKey(), fn.getValue());
    }
    BeamRelNode plan = env.build().parseQuery(sql.text());
    return new PlannedQuery(Map.copyOf(tables), plan, CalciteUtils.toSchema(plan.getRowType()),
        SegflowQueryPlanner.facts(plan));
  }

  /** The output rows' schema, as the planner gives it. */
  public Schema schema() {
    return schema;
  }

  /** Whether the plan proves {@code column} unique in the output (a GROUP BY on it, say); false when it cannot tell. */
  public boolean provesUnique(String column) {
    return facts.uniqueColumns().contains(column);
  }

  /** The source columns each output column is computed from; empty where the planner cannot trace it. */
  public Map<String, Optional<Set<ColumnLineage.SourceColumn>>> lineage() {
    return facts.lineage();
  }

  /**
   * The columns of each input table that {@code column} of the output is computed from, by table; empty
   * when the planner cannot trace it.
   */
  public Optional<Map<String, Set<String>>> sourceColumnsOf(String column) {
    return facts.lineage().getOrDefault(column, Optional.empty()).map(columns -> {
      Map<String, Set<String>> byTable = new java.util.TreeMap<>();
      columns.forEach(c -> byTable.computeIfAbsent(c.table(), t -> new java.util.TreeSet<>()).add(c.column()));
      return byTable;
    });
  }

  /**
   * The table whose rows the plan gives as they are, when it does (a query selecting a table's columns in
   * order, which the planner reduces to the table's scan).
   */
  public Optional<String> scannedTable() {
    return scanned(plan);
  }

  /**
   * The table whose rows the plan gives one for one, in the bundles they came in: its scan, or a projection
   * that picks and renames its columns ({@link ProjectionRel}, one step per row). Where the table's reader
   * made large bundles, the steps after the plan get them too.
   */
  public Optional<String> tableGivenRowForRow() {
    return scanned(plan instanceof ProjectionRel projection ? projection.getInput() : plan);
  }

  private static Optional<String> scanned(RelNode rel) {
    return rel instanceof BeamIOSourceRel scan && scan.getBeamSqlTable() instanceof BoundOnApply table
        ? Optional.of(table.name) : Optional.empty();
  }

  /** The plan as a transform of the input tables, each tagged with its table's name. */
  public PTransform<PCollectionTuple, PCollection<Row>> transform() {
    return new Apply(this);
  }

  private static final class Apply extends PTransform<PCollectionTuple, PCollection<Row>> {
    private final transient PlannedQuery query;

    Apply(PlannedQuery query) {
      this.query = query;
    }

    @Override
    public PCollection<Row> expand(PCollectionTuple inputs) {
      for (Map.Entry<String, Schema> table : query.tables.entrySet()) {
        TupleTag<Row> tag = new TupleTag<>(table.getKey());
        if (!inputs.has(tag)) {
          throw new IllegalArgumentException("the query reads table " + table.getKey() + ", which is not among "
              + "the inputs " + inputs.getAll().keySet());
        }
        Schema given = inputs.get(tag).getSchema();
        if (!given.equivalent(table.getValue())) {
          throw new IllegalArgumentException("table " + table.getKey() + " was planned as " + table.getValue()
              + " and is given as " + given);
        }
      }
      return BOUND.with(inputs, () -> BeamSqlRelUtils.toPCollection(inputs.getPipeline(), query.plan));
    }
  }

  /** The inputs of the plan being applied, by pipeline: one plan may be applied to several pipelines. */
  private static final Bindings BOUND = new Bindings();

  private static final class Bindings {
    private final Map<Pipeline, PCollectionTuple> applying = new java.util.IdentityHashMap<>();

    synchronized <T> T with(PCollectionTuple inputs, java.util.function.Supplier<T> expansion) {
      Pipeline pipeline = inputs.getPipeline();
      if (applying.containsKey(pipeline)) {
        throw new IllegalStateException("a planned query is already being applied to this pipeline");
      }
      applying.put(pipeline, inputs);
      try {
        return expansion.get();
      } finally {
        applying.remove(pipeline);
      }
    }

    synchronized PCollection<Row> input(Pipeline pipeline, String table) {
      PCollectionTuple inputs = applying.get(pipeline);
      if (inputs == null) {
        throw new IllegalStateException("table " + table + " is read outside the application of its plan");
      }
      return inputs.get(new TupleTag<Row>(table));
    }
  }

  /** A table whose rows are the input of its name where the plan is applied. */
  private static final class BoundOnApply extends SchemaBaseBeamTable {
    private static final long serialVersionUID = 1L;
    private final String name;

    BoundOnApply(String name, Schema schema) {
      super(schema);
      this.name = name;
    }

    @Override
    public PCollection<Row> buildIOReader(PBegin begin) {
      // As Beam's own PCollection table: Convert of rows to rows returns its input, but it makes the scan a
      // composite with a part, which a runner's translation needs (a part-less transform must have a URN).
      return BOUND.input(begin.getPipeline(), name).apply("Convert", Convert.toRows());
    }

    @Override
    public POutput buildIOWriter(PCollection<Row> input) {
      throw new UnsupportedOperationException("segflow's queries only read their tables");
    }

    @Override
    public PCollection.IsBounded isBounded() {
      return PCollection.IsBounded.BOUNDED;
    }
  }
}
