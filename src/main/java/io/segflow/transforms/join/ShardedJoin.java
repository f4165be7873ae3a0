package io.segflow.transforms.join;

import io.segflow.transforms.batching.Regroup;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * An inner join of two row collections on one key field, through a fixed number of hash shards: rows of
 * both sides meet in their key's shard, and each shard joins in memory, holding its share of the left
 * side. Beam's per-key joins (schema {@code Join}, Beam SQL's JOIN) group by the key itself, which on the
 * DirectRunner makes one bundle per key and grows faster than the keys do; this join's cost does not
 * depend on the runner's bundling. The output has the left side's fields, then the right side's except
 * its key; a key may appear once on the left.
 *
 * <pre>{@code
 * PCollection<Row> profiled = members.apply(ShardedJoin.with(features).on("customer_id").intoShards(64));
 * }</pre>
 */
public final class ShardedJoin extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final PCollection<Row> right;
  private final String key;
  private final int shards;

  private ShardedJoin(PCollection<Row> right, String key, int shards) {
    this.right = right;
    this.key = key;
    this.shards = shards;
  }

  /** Joins the input (left) with {@code right}. Default: 64 shards; a key field is required. */
  public static ShardedJoin with(PCollection<Row> right) {
    return new ShardedJoin(right, null, 64);
  }

  public ShardedJoin on(String keyField) {
    return new ShardedJoin(right, keyField, shards);
  }

  /** 1 to 65,536 shards; more keep more workers busy, and each holds less of the left side. */
  public ShardedJoin intoShards(int count) {
    if (count < 1 || count > 65_536) {
      throw new IllegalArgumentException("Invalid ShardedJoin: shards must be between 1 and 65536, got " + count);
    }
    return new ShardedJoin(right, key, count);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> left) {
    Schema l = left.getSchema();
    Schema r = right.getSchema();
    if (key == null || !l.hasField(key) || !r.hasField(key)) {
      throw new IllegalArgumentException("Invalid ShardedJoin: the key field must be on both sides, got '" + key
          + "' (left: " + l.getFieldNames() + ", right: " + r.getFieldNames() + ")");
    }
    Schema.Builder out = Schema.builder().addFields(l.getFields());
    for (Schema.Field f : r.getFields()) {
      if (f.getName().equals(key)) {
        continue;
      }
      if (l.hasField(f.getName())) {
        throw new IllegalArgumentException("Invalid ShardedJoin: field '" + f.getName() + "' is on both sides; "
            + "rename it on one of them");
      }
      out.addField(f);
    }
    Schema joined = out.build();
    TupleTag<Row> leftTag = new TupleTag<>("left");
    TupleTag<Row> rightTag = new TupleTag<>("right");
    PCollection<KV<Integer, Row>> leftKeyed = left.apply("ShardLeft", ParDo.of(new ShardFn(key, shards)))
        .setCoder(KvCoder.of(VarIntCoder.of(), left.getCoder()));
    PCollection<KV<Integer, Row>> rightKeyed = right.apply("ShardRight", ParDo.of(new ShardFn(key, shards)))
        .setCoder(KvCoder.of(VarIntCoder.of(), right.getCoder()));
    return KeyedPCollectionTuple.of(leftTag, leftKeyed).and(rightTag, rightKeyed)
        .apply("Group", CoGroupByKey.create())
        .apply("Join", ParDo.of(new JoinFn(key, leftTag, rightTag, joined)))
        .setRowSchema(joined);
  }

  static final class ShardFn extends DoFn<Row, KV<Integer, Row>> {
    private final String key;
    private final int shards;

    ShardFn(String key, int shards) {
      this.key = key;
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<KV<Integer, Row>> out) {
      Object k = row.getValue(key);
      if (k != null) { // NULL joins nothing, as in SQL
        out.output(KV.of(Regroup.shardOf(k, shards), row));
      }
    }
  }

  static final class JoinFn extends DoFn<KV<Integer, CoGbkResult>, Row> {
    private final String key;
    private final TupleTag<Row> leftTag;
    private final TupleTag<Row> rightTag;
    private final Schema joined;

    JoinFn(String key, TupleTag<Row> leftTag, TupleTag<Row> rightTag, Schema joined) {
      this.key = key;
      this.leftTag = leftTag;
      this.rightTag = rightTag;
      this.joined = joined;
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> shard, OutputReceiver<Row> out) {
      Map<Object, Row> lefts = new HashMap<>();
      for (Row l : shard.getValue().getAll(leftTag)) {
        if (lefts.put(l.getValue(key), l) != null) {
          throw new IllegalStateException("ShardedJoin: key " + l.getValue(key) + " appears twice on the left side");
        }
      }
      for (Row r : shard.getValue().getAll(rightTag)) {
        Row l = lefts.get(r.getValue(key));
        if (l == null) {
          continue;
        }
        Object[] values = new Object[joined.getFieldCount()];
        int i = 0;
        for (Object v : l.getValues()) {
          values[i++] = v;
        }
        for (Schema.Field f : r.getSchema().getFields()) {
          if (!f.getName().equals(key)) {
            values[i++] = r.getValue(f.getName());
          }
        }
        out.output(Row.withSchema(joined).attachValues(values));
      }
    }
  }
}
