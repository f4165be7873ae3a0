package io.segflow.transforms.stream;

import io.segflow.transforms.batching.Regroup;
import io.segflow.transforms.batching.ShardingOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * A bounded collection's values of each key, in the order of their timestamps: what a stream of them would
 * have delivered, for a history replayed in one pass (a file of past events). One key's values are held at
 * a time. What is computed from a key's values goes out at each value's own time, earlier than the
 * grouped element's ({@link #outputsAtEachValuesTime}). Ties keep no particular order: {@code tieBreak} orders them, so every
 * runner sees the same sequence.
 *
 * <p>On the DirectRunner ({@link ShardingOptions}: shards) the keys are grouped a shard at a time, as
 * segflow's other grouped steps are: it runs the step after a grouping once per key, one bundle each, and
 * a replay of 4,338 customers' histories grouped per key took most of its 85 s there. It holds every value
 * in memory anyway. Other runners group per key.
 */
public final class InTimeOrder<V> extends PTransform<PCollection<KV<String, V>>, PCollection<KV<String, List<TimestampedValue<V>>>>> {
  private final Comparator<V> tieBreak;

  private InTimeOrder(Comparator<V> tieBreak) {
    this.tieBreak = tieBreak;
  }

  /** @param tieBreak orders values of one key at the same instant; must be serializable */
  public static <V> InTimeOrder<V> of(Comparator<V> tieBreak) {
    return new InTimeOrder<>(tieBreak);
  }

  @Override
  public PCollection<KV<String, List<TimestampedValue<V>>>> expand(PCollection<KV<String, V>> input) {
    if (input.isBounded() != PCollection.IsBounded.BOUNDED) {
      throw new IllegalArgumentException("InTimeOrder holds a key's whole history: it needs a bounded input, "
          + input.getName() + " is unbounded");
    }
    @SuppressWarnings("unchecked")
    Coder<V> values = ((KvCoder<String, V>) input.getCoder()).getValueCoder();
    Coder<TimestampedValue<V>> timestamped = TimestampedValue.TimestampedValueCoder.of(values);
    KvCoder<String, TimestampedValue<V>> keyed = KvCoder.of(StringUtf8Coder.of(), timestamped);
    PCollection<KV<String, TimestampedValue<V>>> stamped = input
        .apply("Timestamped", ParDo.of(new TimestampedFn<V>()))
        .setCoder(keyed);
    int shards = input.getPipeline().getOptions().as(ShardingOptions.class).getShards();
    PCollection<KV<String, Iterable<TimestampedValue<V>>>> grouped = shards == 0
        ? stamped.apply("ByKey", GroupByKey.create())
        : stamped
            .apply("ToShards", WithKeys.<Integer, KV<String, TimestampedValue<V>>>of(kv -> Regroup.shardOf(kv.getKey(), shards))
                .withKeyType(TypeDescriptors.integers()))
            .setCoder(KvCoder.of(VarIntCoder.of(), keyed))
            .apply("ByShard", GroupByKey.create())
            .apply("ByKeyInShard", ParDo.of(new KeysOfShardFn<V>()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), IterableCoder.of(timestamped)));
    return grouped
        .apply("Sorted", ParDo.of(new SortFn<>(tieBreak)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(timestamped)));
  }

  /** A shard's values, a key at a time. */
  private static final class KeysOfShardFn<V>
      extends DoFn<KV<Integer, Iterable<KV<String, TimestampedValue<V>>>>, KV<String, Iterable<TimestampedValue<V>>>> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, TimestampedValue<V>>>> shard,
        OutputReceiver<KV<String, Iterable<TimestampedValue<V>>>> out) {
      java.util.Map<String, List<TimestampedValue<V>>> byKey = new java.util.HashMap<>();
      for (KV<String, TimestampedValue<V>> kv : shard.getValue()) {
        byKey.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue());
      }
      byKey.forEach((key, values) -> out.output(KV.of(key, values)));
    }
  }

  /**
   * The skew a DoFn over the grouped values allows itself, to output each value's result at that value's
   * time: the group sits at the end of the global window (and a source's rows, once re-timed to their
   * events, may sit behind the watermark), and a bounded global window drops nothing late.
   */
  public static org.joda.time.Duration outputsAtEachValuesTime() {
    return org.joda.time.Duration.millis(Long.MAX_VALUE);
  }

  /** Carries each value's timestamp into the value, where grouping keeps it. */
  private static final class TimestampedFn<V> extends DoFn<KV<String, V>, KV<String, TimestampedValue<V>>> {
    @ProcessElement
    public void process(@Element KV<String, V> kv, @Timestamp Instant at, OutputReceiver<KV<String, TimestampedValue<V>>> out) {
      out.output(KV.of(kv.getKey(), TimestampedValue.of(kv.getValue(), at)));
    }
  }

  /** Orders rows at the same instant by their text: arbitrary, but the same on every runner. */
  public static final class RowsByText implements Comparator<org.apache.beam.sdk.values.Row>, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(org.apache.beam.sdk.values.Row a, org.apache.beam.sdk.values.Row b) {
      return a.toString().compareTo(b.toString());
    }
  }

  private static final class SortFn<V> extends DoFn<KV<String, Iterable<TimestampedValue<V>>>, KV<String, List<TimestampedValue<V>>>> {
    private final Comparator<V> tieBreak;

    SortFn(Comparator<V> tieBreak) {
      this.tieBreak = tieBreak;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<TimestampedValue<V>>> group,
        OutputReceiver<KV<String, List<TimestampedValue<V>>>> out) {
      List<TimestampedValue<V>> values = new ArrayList<>();
      group.getValue().forEach(values::add);
      values.sort(Comparator.<TimestampedValue<V>, Instant>comparing(TimestampedValue::getTimestamp)
          .thenComparing(TimestampedValue::getValue, tieBreak));
      out.output(KV.of(group.getKey(), values));
    }
  }
}
