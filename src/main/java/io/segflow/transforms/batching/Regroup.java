package io.segflow.transforms.batching;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Regroups rows into a fixed number of shards, so the stages after it see a few large bundles whatever
 * came before. A GROUP BY in Beam SQL leaves one bundle per key on the DirectRunner, and every stage after
 * it then pays its per-bundle cost once per key (k-means blocks of one point, side inputs read per
 * bundle). Rows keep their values and their window; only the bundling changes, so the results do not.
 *
 * <pre>{@code
 * PCollection<Row> regrouped = features.apply(Regroup.intoShards(64));
 * }</pre>
 */
public final class Regroup extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final int shards;

  private Regroup(int shards) {
    this.shards = shards;
  }

  /** {@code shards}: 1 to 65,536; more shards keep more workers busy after the regrouping. */
  public static Regroup intoShards(int shards) {
    if (shards < 1 || shards > 65_536) {
      throw new IllegalArgumentException("Invalid Regroup: shards must be between 1 and 65536, got " + shards);
    }
    return new Regroup(shards);
  }

  /**
   * The shard of a value, for every transform that spreads data over shards. The values rows hold
   * (strings, numbers, instants, rows of them: Row.hashCode is computed from the values) hash from their
   * content, so every worker puts equal values in the same shard.
   */
  public static int shardOf(Object value, int shards) {
    return Math.floorMod(value.hashCode(), shards);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> input) {
    return input
        .apply("Shard", ParDo.of(new ShardFn(shards)))
        .setCoder(KvCoder.of(VarIntCoder.of(), input.getCoder()))
        .apply("Group", GroupByKey.create())
        .apply("Ungroup", ParDo.of(new UngroupFn()))
        .setRowSchema(input.getSchema());
  }

  static final class ShardFn extends DoFn<Row, KV<Integer, Row>> {
    private final int shards;

    ShardFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<KV<Integer, Row>> out) {
      out.output(KV.of(shardOf(row, shards), row));
    }
  }

  static final class UngroupFn extends DoFn<KV<Integer, Iterable<Row>>, Row> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Row>> shard, OutputReceiver<Row> out) {
      shard.getValue().forEach(out::output);
    }
  }
}
