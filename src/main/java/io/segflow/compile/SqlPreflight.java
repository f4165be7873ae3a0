package io.segflow.compile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Plans SQL once for validation and the run ({@link PlannedQuery}), and applies the plan to empty inputs
 * with the declared schemas in a pipeline that is built but never run, so what passes here also becomes a
 * run's transforms. Results are memoised: a definition's rules are checked one by one against one schema.
 */
public final class SqlPreflight {
  /** The table name rule predicates are checked against. */
  static final String FEATURES_TABLE = "features";

  /** A plan holds Calcite's tree (~200 KB each, measured): a definition's queries fit, a corpus does not need to. */
  private static final int CACHE_SIZE = 64;

  /** The plan of a query that plans, or the problem that stopped it. */
  record Planned(Optional<PlannedQuery> query, Optional<SqlProblem> problem) {}

  private final Map<String, Planned> cache = new LinkedHashMap<>(64, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Planned> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  /** Plans a query over named inputs (table name to schema); positions in a problem are the rewritten SQL's. */
  synchronized Planned plan(RewrittenSql sql, Map<String, Schema> tables) {
    String key = sql.text() + '\u0000' + tables;
    Planned hit = cache.get(key);
    if (hit == null) {
      hit = planUncached(sql, tables);
      cache.put(key, hit);
    }
    return hit;
  }

  private static Planned planUncached(RewrittenSql sql, Map<String, Schema> tables) {
    try {
      PlannedQuery query = PlannedQuery.plan(sql, tables);
      // Applied once to empty inputs: some constructs are refused only when the plan becomes transforms.
      Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
      PCollectionTuple inputs = PCollectionTuple.empty(pipeline);
      for (Map.Entry<String, Schema> table : tables.entrySet()) {
        PCollection<Row> empty = pipeline
            .apply("Empty[" + table.getKey() + "]", Create.empty(RowCoder.of(table.getValue())))
            .setRowSchema(table.getValue());
        inputs = inputs.and(new TupleTag<Row>(table.getKey()), empty);
      }
      inputs.apply("Plan", query.transform());
      return new Planned(Optional.of(query), Optional.empty());
    } catch (RuntimeException | AssertionError | StackOverflowError e) {
      // Calcite reports through a range of exception types, and some of its checks are assertions;
      // SqlProblem reads them all, so no input gets a stack trace.
      return new Planned(Optional.empty(), Optional.of(SqlProblem.of(e, sql.text())));
    }
  }

  /**
   * Checks one rule predicate against the features' schema. The predicate is planned on lines of its own
   * inside the CASE the run compiles rules to, so its line and column map back directly; positions in a
   * problem are the rewritten predicate's.
   */
  Optional<SqlProblem> checkPredicate(RewrittenSql rewritten, Schema features) {
    String predicate = rewritten.text();
    String sql = "SELECT CASE WHEN\n" + predicate + "\nTHEN 1 ELSE 0 END AS matched FROM " + FEATURES_TABLE;
    Planned planned = plan(new RewrittenSql(sql, List.of(new RewrittenSql.Piece(0, sql.length(), 0, true)),
        rewritten.aggregates(), rewritten.spelledAs()), Map.of(FEATURES_TABLE, features));
    if (planned.problem().isEmpty()) {
      return Optional.empty();
    }
    SqlProblem p = planned.problem().get();
    long predicateLines = predicate.lines().count();
    int line = p.line() - 1;
    int column = p.column();
    if (line < 1) {
      line = 1;
      column = 1;
    } else if (line > predicateLines) {
      // Reported on the THEN after the predicate: the predicate ended too early.
      line = (int) Math.max(1, predicateLines);
      column = predicate.lines().reduce((a, b) -> b).orElse("").length() + 1;
    }
    return Optional.of(new SqlProblem(p.kind(), line, column, p.message()));
  }
}
