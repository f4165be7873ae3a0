package io.segflow.transforms.sample;

import io.segflow.transforms.points.Hashing;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;
import java.util.List;
import org.apache.beam.sdk.coders.BigEndianLongCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The rows whose key has the {@code capacity} smallest seeded hashes: a uniform sample that is a function of
 * the keys and the seed alone, so every runner, and every refresh of the same customers, samples the same
 * rows. Beam's {@link Top} keeps at most {@code capacity} rows per accumulator, so memory stays bounded at
 * any input size (unlike collecting the input and drawing from it).
 *
 * <pre>{@code
 * PCollection<Row> sample = members.apply(SeededSample.of(5_000).keyedBy("customer_id").withSeed(7));
 * }</pre>
 */
public final class SeededSample extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final int capacity;
  private final String keyField;
  private final long seed;

  private SeededSample(int capacity, String keyField, long seed) {
    this.capacity = capacity;
    this.keyField = keyField;
    this.seed = seed;
  }

  /** A sample of at most {@code capacity} rows, keyed by the rows' first field, seed 0. */
  public static SeededSample of(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a sample holds at least one row, got capacity " + capacity);
    }
    return new SeededSample(capacity, null, 0L);
  }

  /** Hashes this field's value (as text) instead of the first field's. */
  public SeededSample keyedBy(String field) {
    return new SeededSample(capacity, Objects.requireNonNull(field, "field"), seed);
  }

  public SeededSample withSeed(long newSeed) {
    return new SeededSample(capacity, keyField, newSeed);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> rows) {
    int index = keyField == null ? 0 : rows.getSchema().indexOf(keyField);
    // Each row's hash once, beside it: Top compares a row with the heap's largest at least once, and a
    // comparator that hashed both sides' keys was most of the sample's cost at 1M rows.
    long hashSeed = seed;
    return rows
        .apply("Hash", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.rows()))
            .via((Row row) -> KV.of(Hashing.hash(hashSeed, keyText(row, index)), row)))
        .setCoder(KvCoder.of(BigEndianLongCoder.of(), rows.getCoder()))
        .apply("Smallest", Top.of(capacity, new LargerHashFirst(index)).withoutDefaults())
        .apply("Rows", FlatMapElements.into(TypeDescriptors.rows())
            .via((List<KV<Long, Row>> smallest) -> smallest.stream().map(KV::getValue).toList()))
        .setRowSchema(rows.getSchema());
  }

  private static String keyText(Row row, int index) {
    return String.valueOf((Object) row.getValue(index));
  }

  /**
   * Orders hashed rows so that {@link Top} keeps the smallest hashes; equal hashes (different keys, rarely)
   * are ordered by the key's text, so the sample never depends on arrival order.
   */
  static final class LargerHashFirst implements Comparator<KV<Long, Row>>, Serializable {
    private static final long serialVersionUID = 1L;
    private final int keyIndex;

    LargerHashFirst(int keyIndex) {
      this.keyIndex = keyIndex;
    }

    @Override
    public int compare(KV<Long, Row> a, KV<Long, Row> b) {
      int byHash = Long.compare(b.getKey(), a.getKey());
      return byHash != 0 ? byHash : keyText(b.getValue(), keyIndex).compareTo(keyText(a.getValue(), keyIndex));
    }
  }
}
