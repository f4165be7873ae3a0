package io.segflow.transforms.batching;

import java.io.Serializable;
import java.nio.ByteBuffer;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.Row;

/**
 * The key a grouped step groups by, as bytes: the shard of the row's key ({@link ShardingOptions}, shards
 * above 0), or the key itself, encoded (0 shards). Bytes, because a key of any type then groups on every
 * runner: Beam refuses a floating-point key coder as non-deterministic, while the same value always
 * encodes to the same bytes.
 */
public final class GroupKey implements Serializable {
  private final RowCoder coder;
  private final int shards;

  private GroupKey(Schema keySchema, int shards) {
    this.coder = RowCoder.of(keySchema);
    this.shards = shards;
  }

  /** {@code shards}: 0 to group by the key itself, else 1 to 65,536. */
  public static GroupKey of(Schema keySchema, int shards) {
    if (shards < 0 || shards > 65_536) {
      throw new IllegalArgumentException("Invalid GroupKey: shards must be 0 (per key) or between 1 and 65536, got "
          + shards);
    }
    return new GroupKey(keySchema, shards);
  }

  public Schema schema() {
    return coder.getSchema();
  }

  public boolean perKey() {
    return shards == 0;
  }

  /** The bytes {@code key} groups under. */
  public byte[] of(Row key) {
    if (!perKey()) {
      return ByteBuffer.allocate(4).putInt(Regroup.shardOf(key, shards)).array();
    }
    try {
      return CoderUtils.encodeToByteArray(coder, key);
    } catch (CoderException e) {
      throw new IllegalArgumentException("cannot encode group key " + key, e);
    }
  }

  /** The key back from its bytes; only when grouping per key. */
  public Row decode(byte[] bytes) {
    if (!perKey()) {
      throw new IllegalStateException("a shard's bytes do not hold a key");
    }
    try {
      return CoderUtils.decodeFromByteArray(coder, bytes);
    } catch (CoderException e) {
      throw new IllegalStateException("cannot decode a group key", e);
    }
  }
}
