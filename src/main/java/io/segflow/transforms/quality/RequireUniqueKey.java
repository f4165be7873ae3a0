package io.segflow.transforms.quality;

import io.segflow.transforms.batching.ShardingOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Fails the pipeline when a key field's value is on more than one row, naming the value and how many rows
 * have it: one row per key is a contract (one segment per customer), and a second row would make a
 * second member. The output is the keys that repeat, which is empty whenever the pipeline goes on.
 *
 * <p>The keys travel encoded, in batches per hash shard, and each shard's keys are counted in one set; not
 * per key, on any runner. The DirectRunner ran the check once per customer (22 s of a 40 s run on 100,000
 * rows). Flink's batch runner sorts what it groups with a comparator that decodes both keys at every
 * comparison (Beam's {@code EncodedValueComparator} has no normalized keys): per key, that sort was half of
 * a 1M-customer run's model stage; a batch sorts as one element. The DirectRunner takes its
 * {@link ShardingOptions} shards (it holds everything in memory anyway); other runners take
 * {@value #SHARDS_WITHOUT_RUNNER_SHARDS}, so a shard holds one key in 4,096: 2,500 keys at 10M customers,
 * 250,000 (a few MB) at a billion.
 *
 * <pre>{@code
 * features.apply("UniqueEntities", RequireUniqueKey.of("customer_id", "the features query's output"));
 * }</pre>
 */
public final class RequireUniqueKey extends PTransform<PCollection<Row>, PCollection<KV<String, Long>>> {
  static final int SHARDS_WITHOUT_RUNNER_SHARDS = 4096;
  private static final int BUFFERED_BYTES = 8 << 20;
  private final String field;
  private final String where;
  private final int bufferedBytes;

  private RequireUniqueKey(String field, String where, int bufferedBytes) {
    this.field = field;
    this.where = where;
    this.bufferedBytes = bufferedBytes;
  }

  /** @param where what holds the rows, for the message ("the features query's output") */
  public static RequireUniqueKey of(String field, String where) {
    return new RequireUniqueKey(field, where, BUFFERED_BYTES);
  }

  /** The same check, sending a bundle's batches on whenever together they hold this many bytes (tests force it). */
  RequireUniqueKey withBufferedBytes(int bytes) {
    return new RequireUniqueKey(field, where, bytes);
  }

  @Override
  public PCollection<KV<String, Long>> expand(PCollection<Row> rows) {
    Schema schema = rows.getSchema();
    if (!schema.hasField(field)) {
      throw new IllegalArgumentException("Invalid RequireUniqueKey: no field '" + field + "' in " + schema.getFieldNames());
    }
    Schema key = Schema.builder().addField(schema.getField(field)).build();
    int runnerShards = rows.getPipeline().getOptions().as(ShardingOptions.class).getShards();
    int shards = runnerShards > 0 ? runnerShards : SHARDS_WITHOUT_RUNNER_SHARDS;
    return rows
        .apply("Keys", ParDo.of(new KeyBatchesFn(schema.indexOf(field), key, shards, bufferedBytes)))
        .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()))
        .apply("Group", GroupByKey.create())
        .apply("Check", ParDo.of(new CheckShardFn(key, field, where)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
  }

  /**
   * Each row's key, encoded into a batch per shard. A shard's batch leaves at a megabyte, all of them when
   * together they hold the buffer's bytes (8 MB; Flink's batch bundle is a whole partition), and the rest at
   * the bundle's end.
   */
  private static final class KeyBatchesFn extends DoFn<Row, KV<Integer, byte[]>> {
    private static final int BATCH_BYTES = 1 << 20;
    private final int index;
    private final Schema key;
    private final int shards;
    private final int bufferedBytes;
    private transient RowCoder coder;
    private transient ByteArrayOutputStream[] batches;
    private transient long buffered;

    KeyBatchesFn(int index, Schema key, int shards, int bufferedBytes) {
      this.index = index;
      this.key = key;
      this.shards = shards;
      this.bufferedBytes = bufferedBytes;
    }

    @Setup
    public void setup() {
      coder = RowCoder.of(key);
    }

    @StartBundle
    public void startBundle() {
      batches = new ByteArrayOutputStream[shards];
      buffered = 0;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<KV<Integer, byte[]>> out) throws IOException {
      Object value = row.getValue(index);
      int shard = Math.floorMod(Objects.hashCode(value), shards);
      if (batches[shard] == null) {
        batches[shard] = new ByteArrayOutputStream();
      }
      int before = batches[shard].size();
      coder.encode(Row.withSchema(key).attachValues(value), batches[shard]);
      buffered += batches[shard].size() - before;
      if (batches[shard].size() >= BATCH_BYTES) {
        buffered -= batches[shard].size();
        out.output(KV.of(shard, batches[shard].toByteArray()));
        batches[shard].reset();
      }
      if (buffered >= bufferedBytes) {
        flush(out::output);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      flush(batch -> context.output(batch, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
    }

    private void flush(Consumer<KV<Integer, byte[]>> out) {
      for (int shard = 0; shard < shards; shard++) {
        if (batches[shard] != null && batches[shard].size() > 0) {
          out.accept(KV.of(shard, batches[shard].toByteArray()));
          batches[shard].reset();
        }
      }
      buffered = 0;
    }
  }

  /** Counts a shard's keys and fails on the first that repeats, with its count. */
  private static final class CheckShardFn extends DoFn<KV<Integer, Iterable<byte[]>>, KV<String, Long>> {
    private final Schema key;
    private final String field;
    private final String where;

    CheckShardFn(Schema key, String field, String where) {
      this.key = key;
      this.field = field;
      this.where = where;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<byte[]>> shard) throws IOException {
      RowCoder coder = RowCoder.of(key);
      Set<KeyValue> seen = new HashSet<>();
      Map<KeyValue, Long> repeats = new HashMap<>(); // rows past the first, of keys seen again
      for (byte[] batch : shard.getValue()) {
        ByteArrayInputStream in = new ByteArrayInputStream(batch);
        while (in.available() > 0) {
          KeyValue value = new KeyValue(coder.decode(in).getValue(0));
          if (!seen.add(value)) {
            repeats.merge(value, 1L, Long::sum);
          }
        }
      }
      repeats.forEach((value, more) -> {
        throw repeated(field, value.value(), more + 1, where);
      });
    }
  }

  /** A key's value as a map key: NULL is one value too. */
  private record KeyValue(Object value) {}

  private static IllegalStateException repeated(String field, Object value, long rows, String where) {
    // No cause: the run reports the deepest cause's message, and this is the whole story.
    return new IllegalStateException(field + " '" + value + "' is on " + rows + " rows of " + where + "; each "
        + field + " must be on one row (GROUP BY " + field + ", or pick one row per " + field + ")");
  }
}
