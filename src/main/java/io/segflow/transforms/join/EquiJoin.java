package io.segflow.transforms.join;

import io.segflow.transforms.batching.GroupKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * SQL's equi-join of two row collections (inner, left, right or full outer) on key fields, many rows to
 * many, grouped by {@link GroupKey}: per key (a group holds one key's rows of both sides), or in a few hash
 * shards for the DirectRunner, which runs the steps after a grouping once per group. Each group is read
 * once. As in SQL, a NULL key matches nothing, and an outer join keeps the rows of its preserved side that
 * matched nothing, with NULLs for the other side. The output's fields are the left's, then the right's,
 * in the given {@code outputSchema} (the SQL planner's names; outer sides nullable).
 */
public final class EquiJoin extends PTransform<PCollectionList<Row>, PCollection<Row>> {
  /** Which sides keep their rows that match nothing. */
  public enum Type {
    INNER(false, false),
    LEFT(true, false),
    RIGHT(false, true),
    FULL(true, true);

    final boolean keepsLeft;
    final boolean keepsRight;

    Type(boolean keepsLeft, boolean keepsRight) {
      this.keepsLeft = keepsLeft;
      this.keepsRight = keepsRight;
    }
  }

  private static final int LEFT = 0;
  private static final int RIGHT = 1;
  private static final TupleTag<KV<byte[], RawUnionValue>> KEYED = new TupleTag<>("segflow.join.keyed") {};
  private static final TupleTag<Row> UNMATCHED = new TupleTag<>("segflow.join.null-key") {};

  private final Type type;
  private final int[] leftKeys;
  private final int[] rightKeys;
  private final Schema outputSchema;
  private final int shards;

  private EquiJoin(Type type, int[] leftKeys, int[] rightKeys, Schema outputSchema, int shards) {
    this.type = type;
    this.leftKeys = leftKeys;
    this.rightKeys = rightKeys;
    this.outputSchema = outputSchema;
    this.shards = shards;
  }

  /** Joins input 0 (left) and input 1 (right) where each left key field equals the right one at its position. */
  public static EquiJoin of(Type type, List<Integer> leftKeys, List<Integer> rightKeys, Schema outputSchema) {
    if (leftKeys.isEmpty() || leftKeys.size() != rightKeys.size()) {
      throw new IllegalArgumentException("Invalid EquiJoin: the sides need as many key fields, at least one; got "
          + leftKeys + " and " + rightKeys);
    }
    return new EquiJoin(type, leftKeys.stream().mapToInt(i -> i).toArray(),
        rightKeys.stream().mapToInt(i -> i).toArray(), outputSchema, 0);
  }

  /** 0 (the default) groups per key; 1 to 65,536 shards each join their keys in memory. */
  public EquiJoin withShards(int count) {
    GroupKey.of(Schema.builder().build(), count); // the same bounds as every grouped step
    return new EquiJoin(type, leftKeys, rightKeys, outputSchema, count);
  }

  @Override
  public PCollection<Row> expand(PCollectionList<Row> inputs) {
    if (inputs.size() != 2) {
      throw new IllegalArgumentException("Invalid EquiJoin: needs two inputs, got " + inputs.size());
    }
    Schema left = inputs.get(0).getSchema();
    Schema right = inputs.get(1).getSchema();
    if (outputSchema.getFieldCount() != left.getFieldCount() + right.getFieldCount()) {
      throw new IllegalArgumentException("Invalid EquiJoin: the output needs the fields of both sides, "
          + left.getFieldCount() + " + " + right.getFieldCount() + ", got " + outputSchema.getFieldCount());
    }
    if (!keysOfOneType(left, right)) {
      throw new IllegalArgumentException("Invalid EquiJoin: the key fields " + left.getFieldNames() + " "
          + Arrays.toString(leftKeys) + " and " + right.getFieldNames() + " " + Arrays.toString(rightKeys)
          + " are not of the same types");
    }
    Schema.Builder keyFields = Schema.builder();
    for (int i = 0; i < leftKeys.length; i++) {
      keyFields.addField("k" + i, left.getField(leftKeys[i]).getType().withNullable(true));
    }
    GroupKey groupKey = GroupKey.of(keyFields.build(), shards);
    KvCoder<byte[], RawUnionValue> coder = KvCoder.of(ByteArrayCoder.of(),
        UnionCoder.of(List.of(inputs.get(0).getCoder(), inputs.get(1).getCoder())));
    PCollectionTuple lefts = key(inputs.get(0), "Left", new KeyFn(LEFT, leftKeys, groupKey, type.keepsLeft,
        right.getFieldCount(), outputSchema), coder);
    PCollectionTuple rights = key(inputs.get(1), "Right", new KeyFn(RIGHT, rightKeys, groupKey, type.keepsRight,
        left.getFieldCount(), outputSchema), coder);
    PCollection<Row> joined = PCollectionList.of(lefts.get(KEYED)).and(rights.get(KEYED))
        .apply("BothSides", Flatten.pCollections())
        .apply("Group", GroupByKey.create())
        .apply("Join", ParDo.of(new JoinFn(leftKeys, rightKeys, groupKey.schema(), type, left.getFieldCount(),
            right.getFieldCount(), outputSchema)))
        .setRowSchema(outputSchema);
    return PCollectionList.of(joined).and(lefts.get(UNMATCHED)).and(rights.get(UNMATCHED))
        .apply("WithNullKeys", Flatten.pCollections())
        .setRowSchema(outputSchema);
  }

  /** Whether each left key field has the type of its right one (nullability aside): the keys then compare. */
  public boolean keysOfOneType(Schema left, Schema right) {
    for (int i = 0; i < leftKeys.length; i++) {
      if (!left.getField(leftKeys[i]).getType().withNullable(true)
          .equals(right.getField(rightKeys[i]).getType().withNullable(true))) {
        return false;
      }
    }
    return true;
  }

  private PCollectionTuple key(PCollection<Row> side, String name, KeyFn fn, KvCoder<byte[], RawUnionValue> coder) {
    PCollectionTuple keyed = side.apply("Key" + name, ParDo.of(fn).withOutputTags(KEYED, TupleTagList.of(UNMATCHED)));
    keyed.get(KEYED).setCoder(coder);
    keyed.get(UNMATCHED).setRowSchema(outputSchema);
    return keyed;
  }

  static Row keyOf(Row row, int[] keys, Schema keySchema) {
    Object[] values = new Object[keys.length];
    for (int i = 0; i < keys.length; i++) {
      values[i] = row.getValue(keys[i]);
    }
    return Row.withSchema(keySchema).attachValues(values);
  }

  /** A left row and a right row (either may be null: its side's fields are then NULL) as one output row. */
  static Row joined(Row l, Row r, int leftFields, int rightFields, Schema outputSchema) {
    Object[] values = new Object[leftFields + rightFields];
    for (int i = 0; l != null && i < leftFields; i++) {
      values[i] = l.getValue(i);
    }
    for (int i = 0; r != null && i < rightFields; i++) {
      values[leftFields + i] = r.getValue(i);
    }
    return Row.withSchema(outputSchema).attachValues(values);
  }

  /** Each row under its group key, tagged with its side; a row with a NULL key matches nothing. */
  static final class KeyFn extends DoFn<Row, KV<byte[], RawUnionValue>> {
    private final int side;
    private final int[] keys;
    private final GroupKey groupKey;
    private final boolean kept;
    private final int otherFields;
    private final Schema outputSchema;

    KeyFn(int side, int[] keys, GroupKey groupKey, boolean kept, int otherFields, Schema outputSchema) {
      this.side = side;
      this.keys = keys;
      this.groupKey = groupKey;
      this.kept = kept;
      this.otherFields = otherFields;
      this.outputSchema = outputSchema;
    }

    @ProcessElement
    public void process(@Element Row row, MultiOutputReceiver out) {
      Row key = keyOf(row, keys, groupKey.schema());
      if (!key.getValues().contains(null)) {
        out.get(KEYED).output(KV.of(groupKey.of(key), new RawUnionValue(side, row)));
      } else if (kept) {
        int fields = row.getFieldCount();
        out.get(UNMATCHED).output(side == LEFT ? joined(row, null, fields, otherFields, outputSchema)
            : joined(null, row, otherFields, fields, outputSchema));
      }
    }
  }

  /** One group, read once: both sides' rows by key, then every pair with equal keys, then the unmatched. */
  static final class JoinFn extends DoFn<KV<byte[], Iterable<RawUnionValue>>, Row> {
    private final int[] leftKeys;
    private final int[] rightKeys;
    private final Schema keySchema;
    private final Type type;
    private final int leftFields;
    private final int rightFields;
    private final Schema outputSchema;

    JoinFn(int[] leftKeys, int[] rightKeys, Schema keySchema, Type type, int leftFields, int rightFields,
        Schema outputSchema) {
      this.leftKeys = leftKeys;
      this.rightKeys = rightKeys;
      this.keySchema = keySchema;
      this.type = type;
      this.leftFields = leftFields;
      this.rightFields = rightFields;
      this.outputSchema = outputSchema;
    }

    @ProcessElement
    public void process(@Element KV<byte[], Iterable<RawUnionValue>> group, OutputReceiver<Row> out) {
      Map<Row, List<Row>> lefts = new LinkedHashMap<>();
      Map<Row, List<Row>> rights = new LinkedHashMap<>();
      for (RawUnionValue tagged : group.getValue()) {
        Row row = (Row) tagged.getValue();
        boolean left = tagged.getUnionTag() == LEFT;
        (left ? lefts : rights).computeIfAbsent(keyOf(row, left ? leftKeys : rightKeys, keySchema),
            k -> new ArrayList<>()).add(row);
      }
      lefts.forEach((key, ls) -> {
        List<Row> rs = rights.get(key);
        for (Row l : ls) {
          if (rs != null) {
            rs.forEach(r -> out.output(joined(l, r, leftFields, rightFields, outputSchema)));
          } else if (type.keepsLeft) {
            out.output(joined(l, null, leftFields, rightFields, outputSchema));
          }
        }
      });
      if (type.keepsRight) {
        rights.forEach((key, rs) -> {
          if (!lefts.containsKey(key)) {
            rs.forEach(r -> out.output(joined(null, r, leftFields, rightFields, outputSchema)));
          }
        });
      }
    }
  }
}
