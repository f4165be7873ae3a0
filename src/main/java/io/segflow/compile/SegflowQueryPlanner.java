package io.segflow.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.extensions.sql.impl.CalciteQueryPlanner;
import org.apache.beam.sdk.extensions.sql.impl.ParseException;
import org.apache.beam.sdk.extensions.sql.impl.QueryPlanner;
import org.apache.beam.sdk.extensions.sql.impl.SqlConversionException;
import org.apache.beam.sdk.extensions.sql.impl.rel.BeamAggregationRel;
import org.apache.beam.sdk.extensions.sql.impl.rel.BeamCalcRel;
import org.apache.beam.sdk.extensions.sql.impl.rel.BeamCoGBKJoinRel;
import org.apache.beam.sdk.extensions.sql.impl.rel.BeamRelNode;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.plan.RelOptUtil;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rel.RelNode;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rel.core.Aggregate;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlExplainLevel;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.SqlNode;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.util.ImmutableBitSet;

/**
 * Beam SQL's Calcite planner, then four changes to its plan: every plain GROUP BY (no window, no grouping
 * sets) runs as a {@link ShardedAggregationRel}, every equi-join as a {@link ShardedJoinRel}, a projection
 * that gives its input as it is (same columns, names and types, no filter) is left out (Calcite keeps one
 * over a table's scan, and it cost a pass over every row), and one that only picks and renames columns runs
 * as a {@link ProjectionRel}. Used by every SqlTransform segflow builds
 * ({@link SegflowSql#transform}); Beam SQL finds the planner by its {@code FACTORY}.
 */
public final class SegflowQueryPlanner implements QueryPlanner {
  public static final QueryPlanner.Factory FACTORY =
      // Through Beam's own factory: it loads Beam SQL's built-in functions (SHA256, TO_HEX, IS_NAN, ...).
      (connection, ruleSets) -> new SegflowQueryPlanner(
          (CalciteQueryPlanner) CalciteQueryPlanner.FACTORY.createPlanner(connection, ruleSets));

  private final CalciteQueryPlanner calcite;

  private SegflowQueryPlanner(CalciteQueryPlanner calcite) {
    this.calcite = calcite;
  }

  @Override
  public SqlNode parse(String sql) throws ParseException {
    return calcite.parse(sql);
  }

  @Override
  public BeamRelNode convertToBeamRel(String sql, QueryParameters parameters)
      throws ParseException, SqlConversionException {
    return (BeamRelNode) shardAggregations(calcite.convertToBeamRel(sql, parameters));
  }

  /**
   * What Calcite's metadata says of a planned query's output: the columns it proves unique (a GROUP BY key,
   * say), so the run skips its duplicate-entity check where the plan rules duplicates out; and each
   * column's lineage ({@link ColumnLineage}), so validation can keep personal data out of the outputs.
   */
  record PlanFacts(Set<String> uniqueColumns, Map<String, Optional<Set<ColumnLineage.SourceColumn>>> lineage) {
  }

  /** What Calcite's metadata says of a plan's output. */
  static PlanFacts facts(BeamRelNode plan) {
    return new PlanFacts(uniqueColumns(plan), ColumnLineage.of(plan));
  }

  private static Set<String> uniqueColumns(RelNode rel) {
    Set<String> unique = new java.util.HashSet<>();
    List<String> names = rel.getRowType().getFieldNames();
    for (int i = 0; i < names.size(); i++) {
      try {
        if (Boolean.TRUE.equals(rel.getCluster().getMetadataQuery().areColumnsUnique(rel, ImmutableBitSet.of(i)))) {
          unique.add(names.get(i));
        }
      } catch (RuntimeException e) {
        // A rel without uniqueness metadata proves nothing; the run checks instead.
      }
    }
    return Set.copyOf(unique);
  }

  static RelNode shardAggregations(RelNode node) {
    List<RelNode> inputs = new ArrayList<>();
    boolean changed = false;
    for (RelNode input : node.getInputs()) {
      RelNode rewritten = shardAggregations(input);
      inputs.add(rewritten);
      changed |= rewritten != input;
    }
    RelNode rel = changed ? node.copy(node.getTraitSet(), inputs) : node;
    if (rel instanceof BeamCalcRel calc && calc.getProgram().isTrivial()
        && calc.getRowType().equals(calc.getInput().getRowType())) {
      return calc.getInput();
    }
    if (rel instanceof BeamCalcRel calc && !(rel instanceof ProjectionRel) && ProjectionRel.supports(calc)) {
      return new ProjectionRel(calc.getCluster(), calc.getTraitSet(), calc.getInput(), calc.getProgram());
    }
    if (rel instanceof BeamCoGBKJoinRel join && !(rel instanceof ShardedJoinRel) && ShardedJoinRel.supports(join)) {
      return new ShardedJoinRel(join.getCluster(), join.getTraitSet(), join.getLeft(), join.getRight(),
          join.getCondition(), join.getVariablesSet(), join.getJoinType());
    }
    if (rel instanceof BeamAggregationRel aggregate && !(rel instanceof ShardedAggregationRel)
        && aggregate.getGroupType() == Aggregate.Group.SIMPLE && !windowed(aggregate)) {
      return new ShardedAggregationRel(aggregate.getCluster(), aggregate.getTraitSet(), aggregate.getInput(),
          aggregate.getGroupSet(), aggregate.getAggCallList());
    }
    return rel;
  }

  /** Beam SQL keeps a GROUP BY's window (TUMBLE, HOP, SESSION) to itself; its plan line shows it. */
  private static boolean windowed(BeamAggregationRel aggregate) {
    String plan = RelOptUtil.toString(aggregate, SqlExplainLevel.NON_COST_ATTRIBUTES);
    return plan.lines().findFirst().orElse("").contains("window=");
  }
}
