package io.segflow.compile;

import io.segflow.transforms.aggregate.ExactDoubleSumFn;
import io.segflow.transforms.aggregate.RowAggregates;
import io.segflow.transforms.aggregate.ShardedGroupBy;
import io.segflow.transforms.batching.ShardingOptions;
import java.util.List;
import org.apache.beam.sdk.extensions.sql.impl.rel.BeamAggregationRel;
import org.apache.beam.sdk.extensions.sql.impl.transform.agg.AggregationCombineFnAdapter;
import org.apache.beam.sdk.extensions.sql.impl.utils.CalciteUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.plan.RelOptCluster;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.plan.RelTraitSet;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rel.RelNode;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rel.core.Aggregate;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rel.core.AggregateCall;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.util.ImmutableBitSet;

/**
 * A GROUP BY without windows, run as {@link ShardedGroupBy} instead of Beam SQL's combine per group key.
 * The aggregate functions are Beam SQL's own (built the way Beam SQL builds them), so results are the same;
 * only the shape of the pipeline changes. {@link SegflowQueryPlanner} puts it in the plan.
 */
final class ShardedAggregationRel extends BeamAggregationRel {
  ShardedAggregationRel(RelOptCluster cluster, RelTraitSet traits, RelNode input, ImmutableBitSet groupSet,
      List<AggregateCall> aggCalls) {
    super(cluster, traits, input, groupSet, null, aggCalls, null, -1);
  }

  @Override
  public Aggregate copy(RelTraitSet traitSet, RelNode input, ImmutableBitSet groupSet,
      List<ImmutableBitSet> groupSets, List<AggregateCall> aggCalls) {
    return new ShardedAggregationRel(getCluster(), traitSet, input, groupSet, aggCalls);
  }

  @Override
  public PTransform<PCollectionList<Row>, PCollection<Row>> buildPTransform() {
    Schema input = CalciteUtils.toSchema(getInput().getRowType());
    List<RowAggregates.Aggregation> aggregations = getNamedAggCalls().stream().map(named -> {
      AggregateCall call = named.getKey();
      Schema.Field output = CalciteUtils.toField(named.getValue(), call.getType());
      CombineFn<?, ?, ?> fn = AggregationCombineFnAdapter.createCombineFn(call, output, call.getAggregation().getName());
      return new RowAggregates.Aggregation(call.getArgList(), sumOfDoubles(call, input, output) ? exactSum(fn) : fn,
          output);
    }).toList();
    ShardedGroupBy groupBy = ShardedGroupBy.of(input, getGroupSet().asList(), RowAggregates.of(input, aggregations))
        .withOutputSchema(CalciteUtils.toSchema(getRowType()));
    return new SingleInput("ShardedGroupBy",
        rows -> groupBy.withShards(rows.getPipeline().getOptions().as(ShardingOptions.class).getShards()));
  }

  /** A SUM of one DOUBLE field giving a DOUBLE: Beam's adds in arrival order, so runners differ in the last bits. */
  private static boolean sumOfDoubles(AggregateCall call, Schema input, Schema.Field output) {
    return call.getAggregation().getName().equals("SUM") && call.getArgList().size() == 1
        && input.getField(call.getArgList().get(0)).getType().getTypeName() == Schema.TypeName.DOUBLE
        && output.getType().getTypeName() == Schema.TypeName.DOUBLE;
  }

  /** The same sum, exact until the end, and whatever Beam's gives for a group without a value. */
  @SuppressWarnings("unchecked")
  private static ExactDoubleSumFn exactSum(CombineFn<?, ?, ?> beams) {
    CombineFn<Object, Object, Object> fn = (CombineFn<Object, Object, Object>) beams;
    return new ExactDoubleSumFn((Double) fn.extractOutput(fn.createAccumulator()));
  }
}
