package io.segflow.transforms.batching;

import io.segflow.transforms.windowing.GlobalWindowOnly;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Regroups rows into a fixed number of shards, so the stages after it see a few large bundles whatever
 * came before. A GROUP BY in Beam SQL leaves one bundle per key on the DirectRunner, and every stage after
 * it then pays its per-bundle cost once per key (k-means blocks of one point, side inputs read per
 * bundle). Rows keep their values; only the bundling changes, so the results do not.
 *
 * <p>Rows travel as batches of about a megabyte of encoded rows, each batch to the next shard in turn: the
 * DirectRunner copies a key's grouped values through their coder each time a bundle adds to them, and a
 * byte array copies at memory speed where a million rows took seconds to encode and decode again.
 *
 * <pre>{@code
 * PCollection<Row> regrouped = features.apply(Regroup.intoShards(64));
 * }</pre>
 */
public final class Regroup extends PTransform<PCollection<Row>, PCollection<Row>> {
  /** Encoded bytes per batch. */
  static final int BATCH_BYTES = 1 << 20;

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
    GlobalWindowOnly.require(input, "Regroup", "it batches rows of the global window");
    return input
        .apply("Batch", ParDo.of(new BatchFn(shards, input.getCoder())))
        .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()))
        .apply("Group", GroupByKey.create())
        .apply("Unbatch", ParDo.of(new UnbatchFn(input.getCoder())))
        .setRowSchema(input.getSchema());
  }

  static final class BatchFn extends DoFn<Row, KV<Integer, byte[]>> {
    private final int shards;
    private final Coder<Row> coder;
    private transient ByteArrayOutputStream batch;
    private transient int next;

    BatchFn(int shards, Coder<Row> coder) {
      this.shards = shards;
      this.coder = coder;
    }

    @StartBundle
    public void startBundle() {
      batch = new ByteArrayOutputStream(BATCH_BYTES + (BATCH_BYTES >> 2));
      next = ThreadLocalRandom.current().nextInt(shards); // bundles that end in small batches spread too
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<KV<Integer, byte[]>> out) throws IOException {
      coder.encode(row, batch);
      if (batch.size() >= BATCH_BYTES) {
        out.output(take());
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      if (batch.size() > 0) {
        context.output(take(), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
    }

    private KV<Integer, byte[]> take() {
      KV<Integer, byte[]> taken = KV.of(next, batch.toByteArray());
      next = (next + 1) % shards;
      batch.reset();
      return taken;
    }
  }

  static final class UnbatchFn extends DoFn<KV<Integer, Iterable<byte[]>>, Row> {
    private final Coder<Row> coder;

    UnbatchFn(Coder<Row> coder) {
      this.coder = coder;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<byte[]>> shard, OutputReceiver<Row> out) throws IOException {
      for (byte[] batch : shard.getValue()) {
        ByteArrayInputStream in = new ByteArrayInputStream(batch);
        while (in.available() > 0) {
          out.output(coder.decode(in));
        }
      }
    }
  }
}
