package io.segflow.compile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rel.RelNode;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rel.core.Aggregate;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rel.core.AggregateCall;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rel.core.Calc;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rel.metadata.RelColumnOrigin;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rex.RexBuilder;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rex.RexCall;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rex.RexNode;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rex.RexProgram;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rex.RexShuttle;

/**
 * Which source columns each output column of a plan carries, by Calcite's column-origin metadata
 * ({@code RelMetadataQuery.getColumnOrigins}), leaving out what only reaches it through a one-way function:
 * SHA256 or SHA512 of it, or a count of it. The plan is first copied with those calls made constants, so
 * Calcite's own lineage, joins and unions included, decides the rest. A filter's or join's condition
 * carries no values into the output and is not lineage.
 */
final class ColumnLineage {
  /** Functions whose result does not give back their argument. */
  static final Set<String> ONE_WAY_FUNCTIONS = Set.of("SHA256", "SHA512");
  /** Aggregates that say how many values there were, never which. */
  static final Set<String> COUNTS = Set.of("COUNT", SqlRewriter.COUNT_DISTINCT);

  /** A column of a table the query reads. */
  record SourceColumn(String table, String column) implements Comparable<SourceColumn> {
    @Override
    public int compareTo(SourceColumn o) {
      return (table + '.' + column).compareTo(o.table + '.' + o.column);
    }

    @Override
    public String toString() {
      return table + "." + column;
    }
  }

  private ColumnLineage() {}

  /** Each output column's source columns; empty where Calcite cannot tell. */
  static Map<String, Optional<Set<SourceColumn>>> of(RelNode plan) {
    RelNode neutral = withoutOneWayCalls(plan);
    var metadata = neutral.getCluster().getMetadataQuery();
    List<String> names = neutral.getRowType().getFieldNames();
    Map<String, Optional<Set<SourceColumn>>> out = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      Set<RelColumnOrigin> origins;
      try {
        origins = metadata.getColumnOrigins(neutral, i);
      } catch (RuntimeException e) {
        origins = null; // a rel without lineage metadata tells nothing
      }
      if (origins == null) {
        out.put(names.get(i), Optional.empty());
        continue;
      }
      Set<SourceColumn> columns = new TreeSet<>();
      for (RelColumnOrigin origin : origins) {
        List<String> table = origin.getOriginTable().getQualifiedName();
        columns.add(new SourceColumn(table.get(table.size() - 1),
            origin.getOriginTable().getRowType().getFieldNames().get(origin.getOriginColumnOrdinal())));
      }
      out.put(names.get(i), Optional.of(Set.copyOf(columns)));
    }
    return out;
  }

  /** The plan with each one-way call a NULL of its type and each count an argument-less count. */
  private static RelNode withoutOneWayCalls(RelNode rel) {
    List<RelNode> inputs = new ArrayList<>();
    for (RelNode input : rel.getInputs()) {
      inputs.add(withoutOneWayCalls(input));
    }
    if (rel instanceof Calc calc) {
      return calc.copy(calc.getTraitSet(), inputs.get(0), neutral(calc.getProgram(), calc.getCluster().getRexBuilder()));
    }
    if (rel instanceof Aggregate aggregate) {
      List<AggregateCall> calls = new ArrayList<>();
      for (AggregateCall call : aggregate.getAggCallList()) {
        boolean count = COUNTS.contains(call.getAggregation().getName().toUpperCase(Locale.ROOT));
        calls.add(count ? call.copy(List.of(), -1) : call);
      }
      return aggregate.copy(aggregate.getTraitSet(), inputs.get(0), aggregate.getGroupSet(),
          aggregate.getGroupSets(), calls);
    }
    return inputs.equals(rel.getInputs()) ? rel : rel.copy(rel.getTraitSet(), inputs);
  }

  private static RexProgram neutral(RexProgram program, RexBuilder rex) {
    RexShuttle oneWayToNull = new RexShuttle() {
      @Override
      public RexNode visitCall(RexCall call) {
        if (ONE_WAY_FUNCTIONS.contains(call.getOperator().getName().toUpperCase(Locale.ROOT))) {
          return rex.makeNullLiteral(call.getType());
        }
        return super.visitCall(call);
      }
    };
    List<RexNode> projects = new ArrayList<>();
    program.getProjectList().forEach(p -> projects.add(program.expandLocalRef(p).accept(oneWayToNull)));
    RexNode condition = program.getCondition() == null ? null
        : program.expandLocalRef(program.getCondition()).accept(oneWayToNull);
    return RexProgram.create(program.getInputRowType(), projects, condition, program.getOutputRowType(), rex);
  }
}
