package io.segflow.transforms.stream;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;

/**
 * A bounded collection's values of each key, in the order of their timestamps: what a stream of them would
 * have delivered, for a history replayed in one pass (a file of past events). One key's values are held at
 * a time. What is computed from a key's values goes out at each value's own time, earlier than the
 * grouped element's ({@link #outputsAtEachValuesTime}). Ties keep no particular order: {@code tieBreak} orders them, so every
 * runner sees the same sequence.
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
    return input
        .apply("Timestamped", ParDo.of(new TimestampedFn<V>()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), timestamped))
        .apply("ByKey", GroupByKey.create())
        .apply("Sorted", ParDo.of(new SortFn<>(tieBreak)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(timestamped)));
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
