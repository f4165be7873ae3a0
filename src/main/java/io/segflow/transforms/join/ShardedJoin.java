package io.segflow.transforms.join;

import io.segflow.transforms.batching.GroupKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.join.UnionCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;

/**
 * An inner join of two row collections on one key field, where a key appears at most once on the left.
 * Rows of both sides meet under their {@link GroupKey}: per key (bounded: a group holds one key's rows), or
 * in a few hash shards (for the DirectRunner, which runs the steps after a grouping once per group; each
 * shard then joins in memory). Each group is read once, in whatever order the runner gives: Flink's batch
 * groupings cannot be iterated twice, which rules out reading a {@code CoGbkResult} side by side. The output
 * has the left side's fields, then the right side's except its key.
 *
 * <pre>{@code
 * PCollection<Row> profiled = members.apply(ShardedJoin.with(features).on("customer_id").intoShards(0));
 * }</pre>
 */
public final class ShardedJoin extends PTransform<PCollection<Row>, PCollection<Row>> {
  private static final int LEFT = 0;
  private static final int RIGHT = 1;

  private final PCollection<Row> right;
  private final String key;
  private final int shards;

  private ShardedJoin(PCollection<Row> right, String key, int shards) {
    this.right = right;
    this.key = key;
    this.shards = shards;
  }

  /** Joins the input (left) with {@code right}. Default: per key; a key field is required. */
  public static ShardedJoin with(PCollection<Row> right) {
    return new ShardedJoin(right, null, 0);
  }

  public ShardedJoin on(String keyField) {
    return new ShardedJoin(right, keyField, shards);
  }

  /** 0 joins per key; 1 to 65,536 shards each hold their share of the left side in memory. */
  public ShardedJoin intoShards(int count) {
    if (count < 0 || count > 65_536) {
      throw new IllegalArgumentException("Invalid ShardedJoin: shards must be 0 (per key) or between 1 and 65536, got "
          + count);
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
    // The key's type as the left side has it: a nullable right key of the same type groups the same.
    GroupKey groupKey = GroupKey.of(Schema.builder().addField(l.getField(key).withNullable(true)).build(), shards);
    KvCoder<byte[], RawUnionValue> coder = KvCoder.of(ByteArrayCoder.of(),
        UnionCoder.of(List.of(left.getCoder(), right.getCoder())));
    PCollection<KV<byte[], RawUnionValue>> lefts = left.apply("KeyLeft", ParDo.of(new KeyFn(key, groupKey, LEFT)))
        .setCoder(coder);
    PCollection<KV<byte[], RawUnionValue>> rights = right.apply("KeyRight", ParDo.of(new KeyFn(key, groupKey, RIGHT)))
        .setCoder(coder);
    return PCollectionList.of(lefts).and(rights)
        .apply("BothSides", Flatten.pCollections())
        .apply("Group", GroupByKey.create())
        .apply("Join", ParDo.of(new JoinFn(key, joined)))
        .setRowSchema(joined);
  }

  /** Each row under its group key, tagged with its side; a NULL key joins nothing, as in SQL. */
  static final class KeyFn extends DoFn<Row, KV<byte[], RawUnionValue>> {
    private final String key;
    private final GroupKey groupKey;
    private final int side;

    KeyFn(String key, GroupKey groupKey, int side) {
      this.key = key;
      this.groupKey = groupKey;
      this.side = side;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<KV<byte[], RawUnionValue>> out) {
      Object k = row.getValue(key);
      if (k != null) {
        Row keyRow = Row.withSchema(groupKey.schema()).attachValues(k);
        out.output(KV.of(groupKey.of(keyRow), new RawUnionValue(side, row)));
      }
    }
  }

  /**
   * One group, read once: left rows into a map by key, right rows joined as soon as their left row is
   * known, and kept until it is otherwise (a group holds one key's rows when joining per key).
   */
  static final class JoinFn extends DoFn<KV<byte[], Iterable<RawUnionValue>>, Row> {
    private final String key;
    private final Schema joined;

    JoinFn(String key, Schema joined) {
      this.key = key;
      this.joined = joined;
    }

    @ProcessElement
    public void process(@Element KV<byte[], Iterable<RawUnionValue>> group, OutputReceiver<Row> out) {
      Map<Object, Row> lefts = new HashMap<>();
      List<Row> waiting = new ArrayList<>();
      for (RawUnionValue tagged : group.getValue()) {
        Row row = (Row) tagged.getValue();
        if (tagged.getUnionTag() == LEFT) {
          if (lefts.put(row.getValue(key), row) != null) {
            throw new IllegalStateException("ShardedJoin: key " + row.getValue(key) + " appears twice on the left side");
          }
        } else {
          Row l = lefts.get(row.getValue(key));
          if (l == null) {
            waiting.add(row);
          } else {
            out.output(join(l, row));
          }
        }
      }
      for (Row r : waiting) {
        Row l = lefts.get(r.getValue(key));
        if (l != null) {
          out.output(join(l, r));
        }
      }
    }

    private Row join(Row l, Row r) {
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
      return Row.withSchema(joined).attachValues(values);
    }
  }
}
