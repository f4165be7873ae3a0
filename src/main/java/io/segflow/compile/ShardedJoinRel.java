package io.segflow.compile;

import io.segflow.transforms.batching.ShardingOptions;
import io.segflow.transforms.join.EquiJoin;
import java.util.Set;
import org.apache.beam.sdk.extensions.sql.impl.rel.BeamCoGBKJoinRel;
import org.apache.beam.sdk.extensions.sql.impl.utils.CalciteUtils;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.plan.RelOptCluster;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.plan.RelTraitSet;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rel.RelNode;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rel.core.CorrelationId;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rel.core.Join;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rel.core.JoinInfo;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rel.core.JoinRelType;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.rex.RexNode;

/**
 * A JOIN of two bounded inputs on equal keys, run as {@link EquiJoin} instead of Beam SQL's join, which
 * groups by the key itself: on the DirectRunner every step after it then ran once per key (a three-source
 * definition of 10,000 customers spent 60 s in its features). {@link ShardingOptions} decides shards or
 * per key, as for GROUP BY; rows and types are Beam SQL's. Anything else (windowed or unbounded inputs, keys of
 * different types) stays Beam SQL's own join. {@link SegflowQueryPlanner} puts it in the plan.
 */
final class ShardedJoinRel extends BeamCoGBKJoinRel {
  ShardedJoinRel(RelOptCluster cluster, RelTraitSet traits, RelNode left, RelNode right, RexNode condition,
      Set<CorrelationId> variablesSet, JoinRelType joinType) {
    super(cluster, traits, left, right, condition, variablesSet, joinType);
  }

  /** Whether a join can run as {@link EquiJoin}: keys compared for equality only, and a join type SQL has. */
  static boolean supports(Join join) {
    JoinInfo info = join.analyzeCondition();
    return info.isEqui() && !info.leftKeys.isEmpty() && type(join.getJoinType()) != null;
  }

  @Override
  public Join copy(RelTraitSet traitSet, RexNode conditionExpr, RelNode left, RelNode right, JoinRelType joinType,
      boolean semiJoinDone) {
    return new ShardedJoinRel(getCluster(), traitSet, left, right, conditionExpr, variablesSet, joinType);
  }

  @Override
  public PTransform<PCollectionList<Row>, PCollection<Row>> buildPTransform() {
    JoinInfo info = analyzeCondition();
    EquiJoin join = EquiJoin.of(type(getJoinType()), info.leftKeys, info.rightKeys,
        CalciteUtils.toSchema(getRowType()));
    PTransform<PCollectionList<Row>, PCollection<Row>> beams = super.buildPTransform();
    return new Apply(join, beams);
  }

  private static EquiJoin.Type type(JoinRelType type) {
    return switch (type) {
      case INNER -> EquiJoin.Type.INNER;
      case LEFT -> EquiJoin.Type.LEFT;
      case RIGHT -> EquiJoin.Type.RIGHT;
      case FULL -> EquiJoin.Type.FULL;
      default -> null;
    };
  }

  /** The inputs as Beam SQL hands them: bounded and in the global window, or Beam SQL's own join. */
  private static final class Apply extends PTransform<PCollectionList<Row>, PCollection<Row>> {
    private final EquiJoin join;
    private final PTransform<PCollectionList<Row>, PCollection<Row>> beams;

    Apply(EquiJoin join, PTransform<PCollectionList<Row>, PCollection<Row>> beams) {
      this.join = join;
      this.beams = beams;
    }

    @Override
    public PCollection<Row> expand(PCollectionList<Row> inputs) {
      boolean plain = inputs.getAll().stream().allMatch(p -> p.isBounded() == PCollection.IsBounded.BOUNDED
          && p.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)
          && join.keysOfOneType(inputs.get(0).getSchema(), inputs.get(1).getSchema());
      if (!plain) {
        return inputs.apply("BeamJoin", beams);
      }
      int shards = inputs.getPipeline().getOptions().as(ShardingOptions.class).getShards();
      return inputs.apply("EquiJoin", join.withShards(shards));
    }
  }
}
